import { describe, expect, it } from "vitest";
import type { OrderDto } from "../orders/dto";
import { arrange, paginate, rushAfter, selectedIndex, type Ticket, ticketOf, urgencyAt } from "./kitchen-tickets";

type P = {
  station: string;
  state: "HELD" | "QUEUED" | "STARTED" | "DONE";
  course?: number;
  firedAt?: string | null;
  doneAt?: string | null;
};

let seq = 0;
function order(id: number, lines: P[][], extra: Partial<OrderDto> = {}): OrderDto {
  const at = "2026-12-01T12:00:00.000Z";
  return {
    id,
    ticketNumber: id,
    displayCode: `A${id}`,
    status: "PREPARING",
    priority: "NORMAL",
    confirmedAt: new Date(Date.parse(at) + id * 1000).toISOString(),
    createdAt: at,
    statusChangedAt: at,
    expoConfirms: false,
    waitingOn: [],
    orderItems: lines.map((parts, k) => ({
      id: `i${id}-${k}`,
      name: `Dish ${k}`,
      quantity: 1,
      station: parts[0]!.station,
      stations: parts.map((p) => p.station),
      course: parts[0]!.course ?? 1,
      parts: parts.map((p) => ({
        id: `p${++seq}`,
        station: p.station,
        course: p.course ?? 1,
        state: p.state,
        firedAt: p.state === "HELD" ? null : (p.firedAt ?? at),
        startedAt: null,
        startedBy: null,
        doneAt: p.state === "DONE" ? (p.doneAt ?? at) : null,
        doneBy: null,
        targetMinutes: 10,
        warnAt: p.state === "HELD" ? null : "2026-12-01T12:08:00.000Z",
        lateAt: p.state === "HELD" ? null : "2026-12-01T12:10:00.000Z",
      })),
    })),
    ...extra,
  } as unknown as OrderDto;
}

describe("ticketOf", () => {
  it("a station sees only its lines in its part's state; held parts are not there yet", () => {
    const o = order(1, [
      [{ station: "grill", state: "DONE" }],
      [{ station: "bar", state: "QUEUED" }],
      [{ station: "bar", state: "HELD", course: 2 }],
    ]);
    const bar = ticketOf(o, "bar")!;
    expect(bar.lines.map((l) => [l.item.id, l.state])).toEqual([["i1-1", "QUEUED"]]);
    expect(bar.open).toBe(true);
    const grill = ticketOf(o, "grill")!;
    expect(grill.open).toBe(false);
    expect(ticketOf(o, "cold")).toBeNull();
  });

  it("expo: a tick per station, held courses, ready to send when expo confirms", () => {
    const o = order(2, [
      [{ station: "grill", state: "DONE" }],
      [{ station: "fryer", state: "STARTED" }],
      [{ station: "cold", state: "HELD", course: 2 }],
    ]);
    const t = ticketOf(o, null)!;
    expect(t.ticks).toEqual([
      { station: "grill", state: "done" },
      { station: "fryer", state: "open" },
      { station: "cold", state: "held" },
    ]);
    expect(t.heldCourses).toEqual([2]);
    expect(t.readyToSend).toBe(false);
    const done = order(3, [[{ station: "grill", state: "DONE" }]], { expoConfirms: true } as Partial<OrderDto>);
    expect(ticketOf(done, null)!.readyToSend).toBe(true);
    expect(ticketOf({ ...done, status: "READY" } as OrderDto, null)!.readyToSend).toBe(false);
  });

  it("the card's thresholds are the earliest open part's, on the station's parts only", () => {
    const o = order(4, [[{ station: "grill", state: "DONE" }], [{ station: "bar", state: "QUEUED" }]]);
    const bar = ticketOf(o, "bar")!;
    expect(bar.warnAt).toBe("2026-12-01T12:08:00.000Z");
    expect(ticketOf(o, "grill")!.warnAt).toBeNull();
    expect(urgencyAt(Date.parse("2026-12-01T12:07:59Z"), bar.warnAt, bar.lateAt)).toBe("ok");
    expect(urgencyAt(Date.parse("2026-12-01T12:08:00Z"), bar.warnAt, bar.lateAt)).toBe("warn");
    expect(urgencyAt(Date.parse("2026-12-01T12:10:00Z"), bar.warnAt, bar.lateAt)).toBe("late");
  });
});

describe("arrange", () => {
  it("a ticket leaves a station when its parts there are done, unless its bump can still be undone", () => {
    const orders = [
      order(1, [[{ station: "bar", state: "DONE", doneAt: "2026-12-01T12:01:00Z" }], [{ station: "grill", state: "QUEUED" }]]),
      order(2, [[{ station: "bar", state: "QUEUED" }]]),
    ];
    const a = arrange(orders, "bar", new WeakMap());
    expect(a.normal.map((t) => t.id)).toEqual([2]);
    expect(a.done.map((t) => t.id)).toEqual([1]);
    expect(arrange(orders, "bar", new WeakMap(), new Set([1])).normal.map((t) => t.id)).toEqual([1, 2]);
    expect(arrange(orders, "grill", new WeakMap()).normal.map((t) => t.id)).toEqual([1]);
  });

  it("arrival order (a later course arrives when it fires), RUSH apart", () => {
    const orders = [
      order(1, [[{ station: "bar", state: "QUEUED", course: 2, firedAt: "2026-12-01T12:30:00Z" }]]),
      order(2, [[{ station: "bar", state: "QUEUED" }]]),
      order(3, [[{ station: "bar", state: "QUEUED" }]], { priority: "HIGH" } as Partial<OrderDto>),
    ];
    const a = arrange(orders, "bar", new WeakMap());
    expect(a.normal.map((t) => t.id)).toEqual([2, 1]);
    expect(a.rush.map((t) => t.id)).toEqual([3]);
  });

  it("the screen's own arrival order: a recalled ticket comes back after the cards shown, not among them", () => {
    const places = new Map<number, number>();
    const bar = (id: number, state: P["state"], extra: Partial<OrderDto> = {}) =>
      order(id, [[{ station: "bar", state, doneAt: "2026-12-01T12:05:00Z" }]], extra);
    const first = arrange([bar(1, "DONE"), bar(2, "QUEUED"), bar(3, "QUEUED")], "bar", new WeakMap(), new Set(), places);
    expect(first.normal.map((t) => t.id)).toEqual([2, 3]);
    // #1 recalled (its firedAt is the earliest), #4 arrives: both go after #2 and #3.
    const orders = [bar(1, "STARTED"), bar(2, "QUEUED"), bar(3, "QUEUED"), bar(4, "QUEUED")];
    const second = arrange(orders, "bar", new WeakMap(), new Set(), places);
    expect(second.normal.map((t) => t.id)).toEqual([2, 3, 1, 4]);
    // Calling again with the same orders changes nothing (a re-render).
    expect(arrange(orders, "bar", new WeakMap(), new Set(), places).normal.map((t) => t.id)).toEqual([2, 3, 1, 4]);
    // Without the screen's places, the server's arrival times.
    expect(arrange(orders, "bar", new WeakMap()).normal.map((t) => t.id)).toEqual([1, 2, 3, 4]);
    // Expo: a READY order recalled comes back at the end too.
    const expoPlaces = new Map<number, number>();
    arrange([bar(1, "DONE", { status: "READY" }), bar(2, "QUEUED")], null, new WeakMap(), new Set(), expoPlaces);
    const expo = arrange([bar(1, "STARTED"), bar(2, "QUEUED")], null, new WeakMap(), new Set(), expoPlaces);
    expect(expo.normal.map((t) => t.id)).toEqual([2, 1]);
  });

  it("keeps one Ticket per order object", () => {
    const orders = [order(1, [[{ station: "bar", state: "QUEUED" }]])];
    const cache = new WeakMap();
    expect(arrange(orders, "bar", cache).normal[0]).toBe(arrange(orders, "bar", cache).normal[0]);
  });
});

describe("paginate", () => {
  const tickets = (n: number, rush = false) =>
    Array.from({ length: n }, (_, i) => ({ id: (rush ? 1000 : 0) + i + 1, rush }) as unknown as Ticket);

  it("fills fixed slots row by row beside the RUSH lane; an arrival never moves a placed card", () => {
    const normal = tickets(7);
    const before = paginate([], normal, 4, 2);
    expect(before.pages).toBe(2);
    expect(before.slots.get(1)).toEqual({ page: 0, col: 1, row: 0, key: 1 });
    expect(before.slots.get(4)).toEqual({ page: 0, col: 1, row: 1, key: 4 });
    expect(before.slots.get(7)).toEqual({ page: 1, col: 1, row: 0, key: 1 });
    const after = paginate(tickets(2, true), [...normal, ...tickets(9).slice(7)], 4, 2);
    for (const t of normal) expect({ ...after.slots.get(t.id)!, key: 0 }).toEqual({ ...before.slots.get(t.id)!, key: 0 });
    expect(after.slots.get(1001)).toEqual({ page: 0, col: 0, row: 0, key: 1 });
    expect(after.nav.slice(0, 3).map((t) => t.id)).toEqual([1001, 1002, 1]);
  });

  it("30 tickets: every one on some page, the bump bar's order covers them all", () => {
    const p = paginate(tickets(3, true), tickets(27), 5, 3);
    expect(p.nav).toHaveLength(30);
    expect(p.pages).toBe(3);
    expect(new Set(p.nav.map((t) => p.slots.get(t.id)!.page))).toEqual(new Set([0, 1, 2]));
  });

  it("a narrow screen's lane is the first slot of each page: a RUSH that arrives moves no card", () => {
    for (const [cols, rows] of [
      [2, 1],
      [2, 2],
      [1, 3],
    ] as const) {
      const before = paginate([], tickets(5), cols, rows);
      expect(before.lane).toEqual({ kind: "slot", rows: 1 });
      for (const t of before.nav) expect(before.slots.get(t.id)).not.toMatchObject({ col: 0, row: 0 });
      const after = paginate(tickets(2, true), tickets(6), cols, rows);
      // Same page and place (the 1–9 key hints count the cards of the page, RUSH first).
      for (const t of before.nav) expect({ ...after.slots.get(t.id)!, key: 0 }).toEqual({ ...before.slots.get(t.id)!, key: 0 });
      expect(after.slots.get(1001)).toEqual({ page: 0, col: 0, row: 0, key: 1 });
      expect(after.slots.get(1002)).toMatchObject({ page: 1, col: 0, row: 0 });
      expect(new Set(after.nav.map((t) => t.id)).size).toBe(8);
    }
    expect(paginate([], tickets(2), 3, 1).lane).toEqual({ kind: "column", rows: 1 });
  });

  it("a one-slot screen has no lane: a RUSH waits in arrival order, and the pager says so", () => {
    const normal = tickets(2);
    const rush = tickets(1, true);
    const places = new Map([
      [1, 1],
      [2, 2],
      [1001, 3],
    ]);
    const p = paginate(rush, normal, 1, 1, places);
    expect(p.lane).toBeNull();
    expect(p.nav.map((t) => t.id)).toEqual([1, 2, 1001]);
    expect(p.slots.get(1)).toEqual({ page: 0, col: 0, row: 0, key: 1 });
    expect(rushAfter(p.nav, p.slots, 0)).toBe(1);
    expect(rushAfter(p.nav, p.slots, 2)).toBe(0);
  });
});

describe("selectedIndex", () => {
  const nav = [{ id: 5 }, { id: 6 }, { id: 7 }] as unknown as Ticket[];
  it("follows the selected ticket, else keeps its place", () => {
    expect(selectedIndex(nav, { id: 7, index: 0 })).toBe(2);
    expect(selectedIndex(nav, { id: 99, index: 1 })).toBe(1);
    expect(selectedIndex(nav, { id: 99, index: 9 })).toBe(2);
    expect(selectedIndex([], { id: 1, index: 0 })).toBe(-1);
  });
});
