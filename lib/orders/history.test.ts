/**
 * The audit trail and the order view (issue 17 items 3 and 4): every event about an order gets a
 * history row with who caused it — a user, a device, a guest, a job — written by mutate in the
 * event's transaction; the rows outlive the pruned log; an order from before the trail still shows
 * its steps from its own stamps. Partner scoping: another partner's order is 404. SQLite and PostgreSQL.
 */
import { beforeAll, expect, it } from "vitest";
import type { Principal } from "../auth";
import { mutate, pruneEvents } from "../events";
import { describeEachDatabase } from "../testing/each-database";
import { makePartner, makeToken, makeUser, placeOrder, type TestPartner } from "../testing/fixtures";
import { cancelOverdue } from "./automation";
import { EVENT_PAYLOAD_VERSION } from "./events";
import { getOrderHistory, type TimelineEntry } from "./history";
import { updatePartnerProfile } from "./partner-profile";
import { recordHeartbeat } from "./screens";
import { changeStatus, confirmOrder, loadOrder } from "./service";
import { stationAction } from "./stations";

describeEachDatabase("the order's history", (ctx) => {
  let demo: TestPartner;
  let operator: Principal;
  let kitchen: Principal;
  let otherOperator: Principal;
  let grill: Principal;

  beforeAll(async () => {
    demo = await makePartner(ctx.db, "demo");
    const other = await makePartner(ctx.db, "other");
    operator = (await makeUser(ctx.db, { partnerId: demo.partner.id, role: "operator", username: "ana" })).principal;
    kitchen = (await makeUser(ctx.db, { partnerId: demo.partner.id, role: "kitchen", username: "chef" })).principal;
    otherOperator = (await makeUser(ctx.db, { partnerId: other.partner.id, role: "operator", username: "op2" })).principal;
    const token = await makeToken(ctx.db, { partnerId: demo.partner.id, role: "kitchen" });
    grill = { kind: "token", tokenId: token.id, name: token.name, role: "kitchen", partnerId: demo.partner.id, channels: token.channels };
  });

  const brief = (t: TimelineEntry[]) => t.map((e) => [e.type, e.source, e.actor?.kind ?? null, e.actor?.name ?? null]);

  it("records who did each change: the guest placed it, the cashier confirmed, a kitchen screen saw it, the grill started and bumped", async () => {
    const { order } = await placeOrder(ctx.db, demo, { source: "qr", customer: "Zoé", items: [{ food: "Margherita", quantity: 1 }] });
    await confirmOrder({ db: ctx.db, principal: operator, id: order.id, input: { paymentMethod: "CASH" } });
    await recordHeartbeat({
      db: ctx.db,
      principal: grill,
      beat: {
        screenId: "kitchen-grill-1",
        screen: "kitchen",
        lastEventId: null,
        soundUnlocked: true,
        awake: true,
        shownOrderIds: [order.id],
      },
    });
    await stationAction({ db: ctx.db, principal: grill, id: order.id, station: "oven", action: "start" });
    await stationAction({ db: ctx.db, principal: kitchen, id: order.id, station: "oven", action: "bump" });
    const view = await getOrderHistory({ db: ctx.db, principal: operator, id: order.id });
    expect(view).toMatchObject({ id: order.id, money: { currency: "USD", locale: "en-US" }, orderItems: [{ name: "Margherita" }] });
    const tokenName = grill.kind === "token" ? grill.name : "";
    expect(brief(view.timeline)).toEqual([
      ["order.created", "audit", "guest", "Zoé"],
      ["order.confirmed", "audit", "user", "ana"],
      ["order.acknowledged", "audit", "device", tokenName],
      // Starting moved the order to PREPARING, bumping its last station to READY: same change, same actor.
      ["order.station", "audit", "device", tokenName],
      ["order.status", "audit", "device", tokenName],
      ["order.station", "audit", "user", "chef"],
      ["order.status", "audit", "user", "chef"],
    ]);
    const confirmed = view.timeline[1]!;
    expect(confirmed.actor).toEqual({ kind: "user", id: operator.kind === "user" ? operator.userId : "", name: "ana" });
    expect(view.timeline[3]!.detail).toMatchObject({ station: { station: "oven", action: "start" } });
    expect(view.timeline[6]!.detail).toMatchObject({ from: "PREPARING", to: "READY" });
    // One row per event of the order in the log, each naming its event.
    const logged = await ctx.db.selectFrom("events").select("id").where("orderId", "=", order.id).orderBy("id").execute();
    expect(view.timeline.map((e) => e.eventId)).toEqual(logged.map((e) => Number(e.id)));
  });

  it("a job is the system, by its name", async () => {
    await updatePartnerProfile({ db: ctx.db, principal: operator, slug: "demo", patch: { autoCancelMinutes: 1 } });
    const { order } = await placeOrder(ctx.db, demo, { source: "counter", principal: operator });
    await cancelOverdue({ db: ctx.db, now: new Date(Date.now() + 5 * 60_000) });
    await updatePartnerProfile({ db: ctx.db, principal: operator, slug: "demo", patch: { autoCancelMinutes: null } });
    const { timeline } = await getOrderHistory({ db: ctx.db, principal: kitchen, id: order.id });
    expect(brief(timeline)).toEqual([
      ["order.created", "audit", "user", "ana"],
      ["order.status", "audit", "system", "order:auto_cancel"],
    ]);
  });

  it("the history is written in the change's transaction: a change that fails leaves no row", async () => {
    const { order } = await placeOrder(ctx.db, demo);
    const count = async () =>
      Number(
        (
          await ctx.db
            .selectFrom("orderHistory")
            .select((eb) => eb.fn.countAll().as("n"))
            .where("orderId", "=", order.id)
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count()).toBe(1);
    await expect(
      mutate(ctx.db, async (trx, emit) => {
        const current = (await loadOrder(trx, order.id))!;
        await emit({
          version: EVENT_PAYLOAD_VERSION,
          partnerId: demo.partner.id,
          type: "order.reprinted",
          orderId: order.id,
          payload: { order: current },
        });
        throw new Error("the printer caught fire");
      }),
    ).rejects.toThrow("the printer caught fire");
    expect(await count()).toBe(1);
  });

  it("outlives the log: once the order's events are pruned the timeline and its actors remain", async () => {
    const { order } = await placeOrder(ctx.db, demo, { principal: operator });
    await confirmOrder({ db: ctx.db, principal: operator, id: order.id, input: { paymentMethod: "CARD" } });
    await changeStatus({ db: ctx.db, principal: operator, id: order.id, status: "CANCELLED", reason: "guest left" });
    const before = await getOrderHistory({ db: ctx.db, principal: operator, id: order.id });
    await placeOrder(ctx.db, demo); // retention keeps the partner's newest event: let it be another order's
    const removed = await pruneEvents({ db: ctx.db, now: new Date(Date.now() + 48 * 3_600_000), minPerPartner: 1 });
    expect(removed).toBeGreaterThan(0);
    expect(await ctx.db.selectFrom("events").select("id").where("orderId", "=", order.id).execute()).toEqual([]);
    const after = await getOrderHistory({ db: ctx.db, principal: operator, id: order.id });
    expect(after.timeline).toEqual(before.timeline);
    expect(brief(after.timeline)).toEqual([
      ["order.created", "audit", "user", "ana"],
      ["order.confirmed", "audit", "user", "ana"],
      ["order.status", "audit", "user", "ana"],
    ]);
    expect(after.timeline[2]!.detail).toEqual({ from: "CONFIRMED", to: "CANCELLED", reason: "guest left" });
  });

  it("an order from before the audit trail: its logged events while kept, then its own stamps", async () => {
    const { order } = await placeOrder(ctx.db, demo, { source: "qr" });
    await confirmOrder({ db: ctx.db, principal: operator, id: order.id, input: { paymentMethod: "CASH" } });
    await stationAction({ db: ctx.db, principal: kitchen, id: order.id, station: "oven", action: "start" });
    // As if written before migration 0021: no history rows.
    await ctx.db.deleteFrom("orderHistory").where("orderId", "=", order.id).execute();
    const fromLog = await getOrderHistory({ db: ctx.db, principal: operator, id: order.id });
    expect(brief(fromLog.timeline)).toEqual([
      ["order.created", "log", null, null],
      ["order.confirmed", "log", null, null],
      ["order.station", "log", "named", "chef"],
      ["order.status", "log", null, null],
    ]);
    await placeOrder(ctx.db, demo); // retention keeps the partner's newest event: let it be another order's
    await pruneEvents({ db: ctx.db, now: new Date(Date.now() + 48 * 3_600_000), minPerPartner: 1 });
    const stored = await getOrderHistory({ db: ctx.db, principal: operator, id: order.id });
    expect(brief(stored.timeline)).toEqual([
      ["order.created", "stored", null, null],
      ["order.confirmed", "stored", "user", "ana"],
      ["line.started", "stored", "named", "chef"],
      ["order.status", "stored", null, null],
    ]);
    expect(stored.timeline[2]!.detail).toEqual({ station: "oven", item: "Margherita" });
    expect(stored.timeline[3]!.detail).toMatchObject({ to: "PREPARING" });
  });

  it("another partner's order is not found; bad ids are not found", async () => {
    const { order } = await placeOrder(ctx.db, demo);
    await expect(getOrderHistory({ db: ctx.db, principal: otherOperator, id: order.id })).rejects.toMatchObject({ status: 404 });
    await expect(getOrderHistory({ db: ctx.db, principal: operator, id: 2 ** 31 + 5 })).rejects.toMatchObject({ status: 404 });
  });
});
