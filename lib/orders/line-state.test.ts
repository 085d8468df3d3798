import { describe, expect, it } from "vitest";
import {
  deriveStatus,
  fireCourse,
  fireNextCourses,
  isLate,
  type LinePart,
  type PartState,
  partDeadlines,
  plan,
  UNDO_WINDOW_MS,
  waitingOn,
} from "./line-state";
import type { OrderStatus } from "./status";

const T0 = new Date("2026-12-01T12:00:00.000Z");
const part = (id: string, station: string, state: PartState, course = 1, extra: Partial<LinePart> = {}): LinePart => ({
  id,
  orderItemId: `item-${id}`,
  station,
  course,
  state,
  firedAt: state === "HELD" ? null : T0.toISOString(),
  startedAt: state === "STARTED" || state === "DONE" ? T0.toISOString() : null,
  startedBy: null,
  doneAt: state === "DONE" ? T0.toISOString() : null,
  doneBy: null,
  targetMinutes: 10,
  ...extra,
});
const order = (status: OrderStatus, parts: LinePart[], expoConfirms = false) => ({ status, parts, expoConfirms, expoBumped: false });
const by = { who: "chef", now: T0 };

describe("station actions (pure)", () => {
  // Every action against every part state, at the acting station: legal moves and what they give.
  it.each([
    ["start", "QUEUED", "STARTED"],
    ["start", "STARTED", null],
    ["start", "DONE", null],
    ["start", "HELD", null],
    ["bump", "QUEUED", "DONE"],
    ["bump", "STARTED", "DONE"],
    ["bump", "DONE", null],
    ["bump", "HELD", null],
    ["recall", "DONE", "STARTED"],
    ["recall", "QUEUED", null],
    ["recall", "STARTED", null],
    ["recall", "HELD", null],
  ] as const)("%s on a %s part → %s", (action, from, to) => {
    const result = plan(order("PREPARING", [part("a", "grill", from)]), { station: "grill", action }, by);
    if (to === null) {
      expect(result).toMatchObject({ refused: expect.any(String), states: { "item-a": from } });
    } else {
      expect("refused" in result).toBe(false);
      if (!("refused" in result)) expect(result.parts[0]!.state).toBe(to);
    }
  });

  it("acts on its own station only: the grill's bump leaves the bar and fryer as they are", () => {
    const parts = [part("g", "grill", "STARTED"), part("b", "bar", "QUEUED"), part("f", "fryer", "STARTED")];
    const result = plan(order("PREPARING", parts), { station: "grill", action: "bump" }, by);
    if ("refused" in result) throw new Error(result.refused);
    expect(result.parts.map((p) => p.state)).toEqual(["DONE", "QUEUED", "STARTED"]);
    expect(result.changed).toEqual(["g"]);
    expect(result.status).toBe("PREPARING");
    expect(waitingOn(result.parts)).toEqual(["bar", "fryer"]);
  });

  it("start at one station turns a CONFIRMED order PREPARING without touching the others", () => {
    const result = plan(
      order("CONFIRMED", [part("g", "grill", "QUEUED"), part("b", "bar", "QUEUED")]),
      { station: "bar", action: "start" },
      by,
    );
    if ("refused" in result) throw new Error(result.refused);
    expect(result.parts.map((p) => p.state)).toEqual(["QUEUED", "STARTED"]);
    expect(result.status).toBe("PREPARING");
  });

  it("the last station's bump makes the order READY; with expo confirms it waits for expo", () => {
    const parts = [part("g", "grill", "DONE"), part("b", "bar", "STARTED")];
    const plain = plan(order("PREPARING", parts), { station: "bar", action: "bump" }, by);
    const expo = plan(order("PREPARING", parts, true), { station: "bar", action: "bump" }, by);
    expect(plain).toMatchObject({ status: "READY" });
    expect(expo).toMatchObject({ status: "PREPARING" });
  });

  it("per-line: only the listed lines move", () => {
    const parts = [part("a", "grill", "STARTED"), part("b", "grill", "STARTED")];
    const result = plan(order("PREPARING", parts), { station: "grill", action: "bump", itemIds: ["item-b"] }, by);
    if ("refused" in result) throw new Error(result.refused);
    expect(result.parts.map((p) => p.state)).toEqual(["STARTED", "DONE"]);
  });

  it("recall reopens a station and takes READY back to PREPARING", () => {
    const parts = [part("g", "grill", "DONE"), part("b", "bar", "DONE")];
    expect(plan(order("READY", parts), { station: "bar", action: "recall" }, by)).toMatchObject({ status: "PREPARING" });
  });

  it("undo takes back the station's last bump within 10 s, not later, not an older one", () => {
    const bumped = plan(order("PREPARING", [part("g", "grill", "STARTED")]), { station: "grill", action: "bump" }, by);
    if ("refused" in bumped) throw new Error(bumped.refused);
    expect(bumped.status).toBe("READY");
    const soon = plan(
      order("READY", bumped.parts),
      { station: "grill", action: "undo" },
      { who: "chef", now: new Date(T0.getTime() + 9_000) },
    );
    expect(soon).toMatchObject({ status: "PREPARING", parts: [{ state: "STARTED", doneAt: null }] });
    const late = plan(
      order("READY", bumped.parts),
      { station: "grill", action: "undo" },
      { who: "chef", now: new Date(T0.getTime() + UNDO_WINDOW_MS + 1) },
    );
    expect(late).toMatchObject({ refused: expect.stringContaining("10 s") });
    // Two bumps: undo takes back the later one only.
    const earlier = part("a", "grill", "DONE", 1, { doneAt: new Date(T0.getTime() - 5_000).toISOString() });
    const later = part("b", "grill", "DONE", 1, { doneAt: T0.toISOString() });
    const undone = plan(
      order("READY", [earlier, later]),
      { station: "grill", action: "undo" },
      { who: "chef", now: new Date(T0.getTime() + 1_000) },
    );
    expect(undone).toMatchObject({ parts: [{ state: "DONE" }, { state: "STARTED" }] });
  });

  it("refuses closed orders and stations the order has nothing at, with the states", () => {
    expect(plan(order("PICKED_UP", [part("g", "grill", "DONE")]), { station: "grill", action: "recall" }, by)).toMatchObject({
      refused: expect.stringContaining("PICKED_UP"),
    });
    expect(plan(order("PREPARING", [part("g", "grill", "QUEUED")]), { station: "bar", action: "bump" }, by)).toMatchObject({
      refused: expect.stringContaining("'bar'"),
    });
  });
});

describe("courses", () => {
  it("course 2 is held until course 1 is done, then fires by itself; the order is READY only when both are done", () => {
    const parts = [part("m", "grill", "STARTED", 1), part("d", "cold", "HELD", 2)];
    const result = plan(order("PREPARING", parts), { station: "grill", action: "bump" }, by);
    if ("refused" in result) throw new Error(result.refused);
    expect(result.fired).toEqual([2]);
    expect(result.parts.map((p) => p.state)).toEqual(["DONE", "QUEUED"]);
    expect(result.changed.sort()).toEqual(["d", "m"]);
    expect(result.status).toBe("PREPARING");
  });

  it("a course waits for every part of every earlier course", () => {
    const parts = [
      part("a", "grill", "DONE", 1),
      part("b", "bar", "STARTED", 1),
      part("c", "cold", "HELD", 2),
      part("d", "cold", "HELD", 3),
    ];
    expect(
      fireNextCourses(
        parts.map((p) => ({ ...p })),
        T0.toISOString(),
      ),
    ).toEqual([]);
  });

  it("fire by hand releases that course; 'all' releases the lowest held course (a scheduled order's time)", () => {
    const parts = [part("a", "grill", "HELD", 1), part("b", "cold", "HELD", 2)];
    expect(fireCourse(parts, 2, T0.toISOString()).parts.map((p) => p.state)).toEqual(["HELD", "QUEUED"]);
    expect(fireCourse(parts, "all", T0.toISOString()).parts.map((p) => p.state)).toEqual(["QUEUED", "HELD"]);
  });
});

describe("prep targets", () => {
  it("a fired part warns at its target and is late at +50 % (partner thresholds), held parts never", () => {
    const p = part("a", "grill", "STARTED", 1, { targetMinutes: 8 });
    expect(partDeadlines(p, { warnPercent: 100, latePercent: 150 })).toEqual({
      warnAt: "2026-12-01T12:08:00.000Z",
      lateAt: "2026-12-01T12:12:00.000Z",
    });
    expect(partDeadlines(part("h", "grill", "HELD"), { warnPercent: 100, latePercent: 150 })).toBeNull();
    expect(isLate(p, { warnPercent: 100, latePercent: 150 }, new Date("2026-12-01T12:11:59.000Z"))).toBe(false);
    expect(isLate(p, { warnPercent: 100, latePercent: 150 }, new Date("2026-12-01T12:12:01.000Z"))).toBe(true);
    const doneInTime = { ...p, state: "DONE" as const, doneAt: "2026-12-01T12:10:00.000Z" };
    expect(isLate(doneInTime, { warnPercent: 100, latePercent: 150 }, new Date("2026-12-01T13:00:00.000Z"))).toBe(false);
  });
});

describe("deriveStatus", () => {
  it.each([
    ["CONFIRMED", ["QUEUED"], false, false, "CONFIRMED"],
    ["CONFIRMED", ["STARTED"], false, false, "PREPARING"],
    ["PREPARING", ["DONE", "QUEUED"], false, false, "PREPARING"],
    ["PREPARING", ["DONE", "DONE"], false, false, "READY"],
    ["PREPARING", ["DONE", "DONE"], true, false, "PREPARING"],
    ["PREPARING", ["DONE", "DONE"], true, true, "READY"],
    ["READY", ["DONE", "STARTED"], false, false, "PREPARING"],
    ["PREPARING", ["DONE", "HELD"], false, false, "PREPARING"],
    ["PICKED_UP", ["DONE"], false, false, "PICKED_UP"],
    ["CANCELLED", ["QUEUED"], false, false, "CANCELLED"],
  ] as const)("%s with parts %j (expo %s, bumped %s) → %s", (status, states, expoConfirms, expoBumped, expected) => {
    const parts = states.map((s, i) => part(String(i), "grill", s));
    expect(deriveStatus({ status, parts, expoConfirms, expoBumped })).toBe(expected);
  });
});
