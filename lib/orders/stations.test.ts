import { beforeAll, expect, it } from "vitest";
import type { Principal } from "../auth";
import { logPosition, readEvents } from "../events/log";
import { describeEachDatabase } from "../testing/each-database";
import { makePartner, makeUser, placeConfirmedOrder, placeOrder, type TestPartner } from "../testing/fixtures";
import { confirmOrder, getOrder } from "./service";
import { toOrderDto } from "./dto";
import { getKitchenSettings, updateKitchenSettings } from "./settings";
import { UNDO_WINDOW_MS } from "./line-state";
import { expoBump, expoUndo, fireCourseNow, fireDue, stationAction } from "./stations";

describeEachDatabase("station workflow", (t) => {
  let demo: TestPartner;
  let operator: Principal;
  let chef: Principal;
  let otherChef: Principal;

  beforeAll(async () => {
    demo = await makePartner(t.db, "demo");
    const other = await makePartner(t.db, "other");
    operator = (await makeUser(t.db, { partnerId: demo.partner.id, role: "operator", username: "op" })).principal;
    chef = (await makeUser(t.db, { partnerId: demo.partner.id, role: "kitchen", username: "chef" })).principal;
    otherChef = (await makeUser(t.db, { partnerId: other.partner.id, role: "kitchen", username: "chef2" })).principal;
  });

  const threeStations = () =>
    placeConfirmedOrder(t.db, demo, operator, { items: [{ food: "Margherita" }, { food: "Fries" }, { food: "Lemonade" }] });
  const states = (o: { parts: { station: string; state: string }[] }) => Object.fromEntries(o.parts.map((p) => [p.station, p.state]));
  const eventsSince = async (after: number) => readEvents({ db: t.db, afterId: after, limit: 100 });

  it("confirmation fires course 1: one QUEUED part per line at its station", async () => {
    const order = await threeStations();
    expect(states(order)).toEqual({ oven: "QUEUED", fryer: "QUEUED", bar: "QUEUED" });
    expect(order.parts.every((p) => p.firedAt === order.confirmedAt)).toBe(true);
  });

  it("a station's start and bump touch only its lines; the last bump makes the order READY once", async () => {
    const order = await threeStations();
    const before = (await logPosition({ db: t.db })).lastEventId;
    const started = await stationAction({ db: t.db, principal: chef, id: order.id, station: "bar", action: "start" });
    expect(states(started)).toEqual({ oven: "QUEUED", fryer: "QUEUED", bar: "STARTED" });
    expect(started.status).toBe("PREPARING");
    const barDone = await stationAction({ db: t.db, principal: chef, id: order.id, station: "bar", action: "bump" });
    expect(states(barDone)).toEqual({ oven: "QUEUED", fryer: "QUEUED", bar: "DONE" });
    expect(barDone.status).toBe("PREPARING");
    await stationAction({ db: t.db, principal: chef, id: order.id, station: "oven", action: "bump" });
    const ready = await stationAction({ db: t.db, principal: chef, id: order.id, station: "fryer", action: "bump" });
    expect(ready.status).toBe("READY");
    expect(ready.parts.every((p) => p.doneBy === "chef")).toBe(true);
    const events = await eventsSince(before);
    expect(events.map((e) => e.type)).toEqual([
      "order.station",
      "order.status", // CONFIRMED → PREPARING
      "order.station",
      "order.station",
      "order.station",
      "order.status", // PREPARING → READY
    ]);
    expect(events.filter((e) => e.type === "order.status").map((e) => (e.payload as { to: string }).to)).toEqual(["PREPARING", "READY"]);
  });

  it("illegal moves are 409 with the station's states and change nothing", async () => {
    const order = await threeStations();
    const { order: pending } = await placeOrder(t.db, demo, { items: [{ food: "Fries" }] });
    const before = (await logPosition({ db: t.db })).lastEventId;
    await expect(stationAction({ db: t.db, principal: chef, id: order.id, station: "bar", action: "recall" })).rejects.toMatchObject({
      status: 409,
      details: { station: "bar", states: { [order.orderItems[2]!.id]: "QUEUED" } },
    });
    await expect(stationAction({ db: t.db, principal: chef, id: order.id, station: "grill", action: "bump" })).rejects.toMatchObject({
      status: 409,
    });
    await expect(
      stationAction({ db: t.db, principal: chef, id: order.id, station: "bar", action: "bump", itemIds: ["nope"] }),
    ).rejects.toMatchObject({ status: 400, details: { field: "itemIds.0" } });
    await expect(stationAction({ db: t.db, principal: otherChef, id: order.id, station: "bar", action: "bump" })).rejects.toMatchObject({
      status: 404,
    });
    await expect(stationAction({ db: t.db, principal: chef, id: pending.id, station: "fryer", action: "bump" })).rejects.toMatchObject({
      status: 409,
    });
    expect((await logPosition({ db: t.db })).lastEventId).toBe(before);
    expect(states(await getOrder({ db: t.db, principal: chef, id: order.id }))).toEqual({ oven: "QUEUED", fryer: "QUEUED", bar: "QUEUED" });
  });

  it("recall at a station reopens it and takes READY back to PREPARING; undo within 10 s does the same for the last bump", async () => {
    const order = await placeConfirmedOrder(t.db, demo, operator, { items: [{ food: "Fries" }, { food: "Lemonade" }] });
    const t0 = new Date();
    await stationAction({ db: t.db, principal: chef, id: order.id, station: "bar", action: "bump", now: t0 });
    const ready = await stationAction({ db: t.db, principal: chef, id: order.id, station: "fryer", action: "bump", now: t0 });
    expect(ready.status).toBe("READY");
    const undone = await stationAction({
      db: t.db,
      principal: chef,
      id: order.id,
      station: "fryer",
      action: "undo",
      now: new Date(t0.getTime() + 5_000),
    });
    expect(undone.status).toBe("PREPARING");
    expect(states(undone)).toEqual({ fryer: "STARTED", bar: "DONE" });
    await expect(
      stationAction({ db: t.db, principal: chef, id: order.id, station: "bar", action: "undo", now: new Date(t0.getTime() + 11_000) }),
    ).rejects.toMatchObject({ status: 409 });
    await stationAction({ db: t.db, principal: chef, id: order.id, station: "fryer", action: "bump" });
    const recalled = await stationAction({ db: t.db, principal: chef, id: order.id, station: "bar", action: "recall" });
    expect(recalled.status).toBe("PREPARING");
    expect(states(recalled)).toEqual({ fryer: "DONE", bar: "STARTED" });
  });

  it("two stations bumping at the same moment leave the order READY exactly once", async () => {
    for (let round = 0; round < 5; round++) {
      const order = await placeConfirmedOrder(t.db, demo, operator, {
        items: [{ food: "Margherita" }, { food: "Fries" }, { food: "Lemonade" }],
      });
      const before = (await logPosition({ db: t.db })).lastEventId;
      const results = await Promise.all(
        ["oven", "fryer", "bar"].map((station) => stationAction({ db: t.db, principal: chef, id: order.id, station, action: "bump" })),
      );
      expect(results.filter((o) => o.status === "READY")).toHaveLength(1);
      const events = await eventsSince(before);
      const statuses = events.filter((e) => e.type === "order.status").map((e) => (e.payload as { to: string }).to);
      // The first bump takes it to PREPARING, exactly one of them to READY.
      expect(statuses).toEqual(["PREPARING", "READY"]);
      expect(events.filter((e) => e.type === "order.station")).toHaveLength(3);
    }
  });

  it("expo confirms: READY only when expo bumps after every station; expo may force", async () => {
    await t.db.updateTable("partners").set({ expoConfirms: 1 }).where("id", "=", demo.partner.id).execute();
    try {
      const order = await placeConfirmedOrder(t.db, demo, operator, { items: [{ food: "Fries" }, { food: "Lemonade" }] });
      await expect(expoBump({ db: t.db, principal: chef, id: order.id })).rejects.toMatchObject({
        status: 409,
        message: expect.stringContaining("fryer, bar"),
      });
      await stationAction({ db: t.db, principal: chef, id: order.id, station: "fryer", action: "bump" });
      const allDone = await stationAction({ db: t.db, principal: chef, id: order.id, station: "bar", action: "bump" });
      expect(allDone.status).toBe("PREPARING");
      expect((await expoBump({ db: t.db, principal: chef, id: order.id })).status).toBe("READY");

      const second = await placeConfirmedOrder(t.db, demo, operator, { items: [{ food: "Fries" }] });
      const forced = await expoBump({ db: t.db, principal: chef, id: second.id, force: true });
      expect(forced.status).toBe("READY");
      expect(states(forced)).toEqual({ fryer: "DONE" });
    } finally {
      await t.db.updateTable("partners").set({ expoConfirms: 0 }).where("id", "=", demo.partner.id).execute();
    }
  });

  it("expo's bump is undone within 10 s: forced parts reopen as they were, a station's own bump stays", async () => {
    await t.db.updateTable("partners").set({ expoConfirms: 1 }).where("id", "=", demo.partner.id).execute();
    try {
      const t0 = new Date();
      const order = await placeConfirmedOrder(t.db, demo, operator, { items: [{ food: "Fries" }, { food: "Lemonade" }] });
      await stationAction({ db: t.db, principal: chef, id: order.id, station: "fryer", action: "start", now: t0 });
      await expect(expoUndo({ db: t.db, principal: chef, id: order.id, now: t0 })).rejects.toMatchObject({ status: 409 });
      const forced = await expoBump({ db: t.db, principal: chef, id: order.id, force: true, now: t0 });
      expect(forced.status).toBe("READY");
      const before = (await logPosition({ db: t.db })).lastEventId;
      const undone = await expoUndo({ db: t.db, principal: chef, id: order.id, now: new Date(t0.getTime() + 5_000) });
      expect(undone.status).toBe("PREPARING");
      expect(states(undone)).toEqual({ fryer: "STARTED", bar: "QUEUED" });
      expect(undone.expoBumpedAt).toBeNull();
      const events = await eventsSince(before);
      expect(events.map((e) => [e.type, (e.payload as { to?: string }).to])).toEqual([["order.status", "PREPARING"]]);
      // Twice is a conflict (nothing to undo), and so is an undo after the window.
      await expect(expoUndo({ db: t.db, principal: chef, id: order.id })).rejects.toMatchObject({ status: 409 });
      await stationAction({ db: t.db, principal: chef, id: order.id, station: "fryer", action: "bump" });
      await stationAction({ db: t.db, principal: chef, id: order.id, station: "bar", action: "bump" });
      const bumped = await expoBump({ db: t.db, principal: chef, id: order.id, now: t0 });
      expect(bumped.status).toBe("READY");
      await expect(
        expoUndo({ db: t.db, principal: chef, id: order.id, now: new Date(t0.getTime() + UNDO_WINDOW_MS + 1) }),
      ).rejects.toMatchObject({ status: 409 });
      // Within the window: the stations' own bumps stay DONE; the order waits for expo again.
      const again = await expoUndo({ db: t.db, principal: chef, id: order.id, now: new Date(t0.getTime() + 1_000) });
      expect(again.status).toBe("PREPARING");
      expect(states(again)).toEqual({ fryer: "DONE", bar: "DONE" });
      expect((await expoBump({ db: t.db, principal: chef, id: order.id })).status).toBe("READY");
    } finally {
      await t.db.updateTable("partners").set({ expoConfirms: 0 }).where("id", "=", demo.partner.id).execute();
    }
  });

  it("courses: course 2 is held until course 1 is done, then fires by itself; or by hand", async () => {
    const order = await placeConfirmedOrder(t.db, demo, operator, {
      items: [
        { food: "Margherita", course: 1 },
        { food: "Lemonade", course: 2 },
      ],
    });
    expect(states(order)).toEqual({ oven: "QUEUED", bar: "HELD" });
    await expect(stationAction({ db: t.db, principal: chef, id: order.id, station: "bar", action: "start" })).rejects.toMatchObject({
      status: 409,
    });
    const before = (await logPosition({ db: t.db })).lastEventId;
    const after = await stationAction({ db: t.db, principal: chef, id: order.id, station: "oven", action: "bump" });
    expect(states(after)).toEqual({ oven: "DONE", bar: "QUEUED" });
    expect(after.status).toBe("PREPARING");
    const fired = (await eventsSince(before)).find((e) => e.type === "order.fired");
    expect(fired?.payload).toMatchObject({ fired: { courses: [2], by: "auto" } });

    const byHand = await placeConfirmedOrder(t.db, demo, operator, {
      items: [
        { food: "Margherita", course: 1 },
        { food: "Lemonade", course: 2 },
      ],
    });
    const now = await fireCourseNow({ db: t.db, principal: chef, id: byHand.id, course: 2 });
    expect(states(now)).toEqual({ oven: "QUEUED", bar: "QUEUED" });
    await expect(fireCourseNow({ db: t.db, principal: chef, id: byHand.id, course: 2 })).rejects.toMatchObject({ status: 409 });
  });

  it("a scheduled order is held at confirmation and fires at promisedAt − its longest prep target, once", async () => {
    await t.db.updateTable("foods").set({ prepMinutes: 25 }).where("id", "=", demo.food("Margherita").id).execute();
    const now = new Date();
    const promisedAt = new Date(now.getTime() + 60 * 60_000).toISOString();
    const { order } = await placeOrder(t.db, demo, { items: [{ food: "Margherita" }, { food: "Lemonade" }], promisedAt, now });
    expect(order.fireAt).toBe(new Date(Date.parse(promisedAt) - 25 * 60_000).toISOString());
    const confirmed = await confirmOrder({ db: t.db, principal: operator, id: order.id, input: { paymentMethod: "CARD" }, now });
    expect(states(confirmed)).toEqual({ oven: "HELD", bar: "HELD" });
    expect(await fireDue({ db: t.db, now: new Date(now.getTime() + 30 * 60_000) })).not.toContain(order.id);
    const at = new Date(now.getTime() + 36 * 60_000);
    const results = await Promise.all([fireDue({ db: t.db, now: at }), fireDue({ db: t.db, now: at })]);
    expect(results.flat().filter((id) => id === order.id)).toHaveLength(1);
    const fired = await getOrder({ db: t.db, principal: chef, id: order.id });
    expect(states(fired)).toEqual({ oven: "QUEUED", bar: "QUEUED" });
    expect(fired.fireAt).toBeNull();
    await t.db.updateTable("foods").set({ prepMinutes: null }).where("id", "=", demo.food("Margherita").id).execute();
  });

  it("each part's target is its food's prep target, else its station's default; deadlines follow the partner's thresholds", async () => {
    await t.db.updateTable("foods").set({ prepMinutes: 12 }).where("id", "=", demo.food("Margherita").id).execute();
    await t.db
      .updateTable("stations")
      .set({ prepMinutes: 6 })
      .where("partnerId", "=", demo.partner.id)
      .where("key", "=", "fryer")
      .execute();
    const settings = await updateKitchenSettings({
      db: t.db,
      principal: operator,
      partner: "demo",
      patch: { warnPercent: 80, latePercent: 120 },
    });
    expect(settings).toEqual({ expoConfirms: false, warnPercent: 80, latePercent: 120 });
    try {
      const order = await placeConfirmedOrder(t.db, demo, operator, {
        items: [{ food: "Margherita" }, { food: "Fries" }, { food: "Lemonade" }],
      });
      expect(Object.fromEntries(order.parts.map((p) => [p.station, p.targetMinutes]))).toEqual({ oven: 12, fryer: 6, bar: 10 });
      const dto = toOrderDto(order);
      const oven = dto.orderItems[0]!.parts[0]!;
      const fired = Date.parse(order.confirmedAt!);
      expect(oven.warnAt).toBe(new Date(fired + 12 * 60_000 * 0.8).toISOString());
      expect(oven.lateAt).toBe(new Date(fired + 12 * 60_000 * 1.2).toISOString());
      await expect(
        updateKitchenSettings({ db: t.db, principal: operator, partner: "demo", patch: { latePercent: 50 } }),
      ).rejects.toMatchObject({ status: 400, details: { field: "latePercent" } });
      await expect(updateKitchenSettings({ db: t.db, principal: chef, partner: "demo", patch: { warnPercent: 90 } })).rejects.toMatchObject(
        {
          status: 403,
        },
      );
      await expect(getKitchenSettings({ db: t.db, principal: otherChef, partner: "demo" })).rejects.toMatchObject({ status: 404 });
    } finally {
      await updateKitchenSettings({ db: t.db, principal: operator, partner: "demo", patch: { warnPercent: 100, latePercent: 150 } });
      await t.db.updateTable("foods").set({ prepMinutes: null }).where("id", "=", demo.food("Margherita").id).execute();
      await t.db.updateTable("stations").set({ prepMinutes: null }).where("partnerId", "=", demo.partner.id).execute();
    }
  });

  it("the whole-order READY (expo's force on the old screens) completes every part; recall reopens them", async () => {
    const { changeStatus } = await import("./service");
    const order = await placeConfirmedOrder(t.db, demo, operator, { items: [{ food: "Fries" }, { food: "Lemonade" }] });
    await changeStatus({ db: t.db, principal: chef, id: order.id, status: "PREPARING" });
    const ready = await changeStatus({ db: t.db, principal: chef, id: order.id, status: "READY" });
    expect(states(ready)).toEqual({ fryer: "DONE", bar: "DONE" });
    const back = await changeStatus({ db: t.db, principal: chef, id: order.id, status: "PREPARING" });
    expect(states(back)).toEqual({ fryer: "STARTED", bar: "STARTED" });
  });
});
