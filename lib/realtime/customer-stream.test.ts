/**
 * GET /v1/orders/live (docs/contracts.md#seeds-002) on a real listener: customers with their tracking token,
 * staff with filters, replay, heartbeats, refusals.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDb } from "../testing/db";
import { describeEachDatabase } from "../testing/each-database";
import { makePartner, makeToken, makeUser } from "../testing/fixtures";
import { startTestNode, type TestNode } from "../testing/node";
import { logEvents, openSse } from "../testing/sse-client";
import type { Principal } from "../auth";
import { assignCourier, changeStatus, confirmOrder, createOrder, recordCourierLocation } from "../orders";
import { isoDuration } from "./customer-stream";

describeEachDatabase("/v1/orders/live", (ctx) => {
  let t: TestDb;
  let node: TestNode;
  let demo: Awaited<ReturnType<typeof makePartner>>;
  let operator: Principal;
  let chef: Principal;
  let staffToken: string;
  let otherStaffToken: string;

  beforeAll(async () => {
    t = ctx.t;
    demo = await makePartner(t.db, "demo");
    const other = await makePartner(t.db, "other");
    operator = (await makeUser(t.db, { partnerId: demo.partner.id, role: "operator", username: "op" })).principal;
    chef = (await makeUser(t.db, { partnerId: demo.partner.id, role: "kitchen", username: "chef" })).principal;
    staffToken = (await makeToken(t.db, { partnerId: demo.partner.id, role: "operator" })).token;
    otherStaffToken = (await makeToken(t.db, { partnerId: other.partner.id, role: "operator" })).token;
    node = await startTestNode({ db: t.db, keepaliveMs: 150 });
  });
  afterAll(async () => {
    await node?.close();
  });

  const place = (customer = "cust-123") =>
    createOrder({
      db: t.db,
      principal: null,
      input: { partner: "demo", customer, items: [{ foodId: demo.food("Margherita").id, quantity: 2 }] },
    });
  const live = (query: string, headers: Record<string, string> = {}) => openSse(`${node.url}/v1/orders/live${query}`, { headers });

  it("a customer follows their own order through every status, and nothing else", async () => {
    const { order, trackingToken } = await place();
    const stranger = await place("someone-else");
    const conn = await live(`?orderId=${order.id}`, { authorization: `Bearer ${trackingToken}` });
    expect(conn.status).toBe(200);
    expect(conn.headers["x-stream-id"]).toMatch(/^live-/);
    await conn.waitFor((e) => e.some((x) => x.event === "connected"));
    expect(conn.events[0]!.json).toMatchObject({ streamId: conn.headers["x-stream-id"], filters: { orderId: String(order.id) } });

    await confirmOrder({ db: t.db, principal: operator, id: stranger.order.id, input: { paymentMethod: "CASH" } });
    const confirmed = await confirmOrder({ db: t.db, principal: operator, id: order.id, input: { paymentMethod: "CARD" } });
    await changeStatus({ db: t.db, principal: chef, id: order.id, status: "PREPARING" });
    await changeStatus({ db: t.db, principal: chef, id: order.id, status: "READY" });
    await changeStatus({ db: t.db, principal: operator, id: order.id, status: "PICKED_UP" });
    await conn.waitFor((e) => logEvents(e).length >= 4);
    const events = logEvents(conn.events);
    expect(events.map((e) => [e.event, e.json.status])).toEqual([
      ["order-updated", "CONFIRMED"],
      ["order-updated", "PROCESSING"],
      ["order-updated", "READY"],
      ["order-updated", "PICKED_UP"],
    ]);
    expect(events[0]!.json).toMatchObject({ orderId: String(order.id), ticketNumber: confirmed.ticketNumber, total: 26 });
    expect(events.every((e) => e.json.orderId === String(order.id))).toBe(true);
    conn.cut();
  });

  it("the tracking token also works as ?token=, replays by Last-Event-ID, and sends heartbeats", async () => {
    const { order, trackingToken } = await place();
    const first = await live(`?orderId=${order.id}&token=${trackingToken}`);
    await confirmOrder({ db: t.db, principal: operator, id: order.id, input: { paymentMethod: "CASH" } });
    await first.waitFor((e) => logEvents(e).length >= 1);
    const lastId = logEvents(first.events).at(-1)!.id!;
    first.cut();
    await changeStatus({ db: t.db, principal: operator, id: order.id, status: "CANCELLED", reason: "kitchen closed" });
    const again = await live(`?orderId=${order.id}&token=${trackingToken}`, { "last-event-id": lastId });
    await again.waitFor((e) => e.some((x) => x.event === "replay-complete"));
    expect(again.events.map((e) => e.event).slice(0, 4)).toEqual(["connected", "replay-start", "order-cancelled", "replay-complete"]);
    expect(again.events[1]!.json).toEqual({ missedEvents: 1, replayingFrom: lastId });
    expect(again.events[2]!.json).toEqual({ orderId: String(order.id), status: "CANCELLED", reason: "kitchen closed" });
    await again.waitFor((e) => e.some((x) => x.event === "heartbeat"), 3_000);
    const beat = again.events.find((e) => e.event === "heartbeat")!;
    expect(beat.json).toEqual({ timestamp: expect.any(String), connectionAge: expect.stringMatching(/^PT\d+S$/) });
    again.cut();
  });

  it("staff filter by customer and event type within their partner; since replays by time", async () => {
    const before = new Date(Date.now() - 1).toISOString();
    const a = await place("cust-777");
    await place("cust-888");
    const conn = await live(`?customerId=cust-777&eventTypes=order-created,order-updated&since=${encodeURIComponent(before)}`, {
      authorization: `Bearer ${staffToken}`,
    });
    await conn.waitFor((e) => e.some((x) => x.event === "replay-complete"));
    const replayed = logEvents(conn.events);
    expect(replayed.map((e) => [e.event, e.json.orderId])).toEqual([["order-created", String(a.order.id)]]);
    expect(replayed[0]!.json).toMatchObject({
      customerId: "cust-777",
      status: "PENDING",
      total: 26,
      items: [{ name: "Margherita", quantity: 2, price: 13 }],
    });
    const b = await place("cust-777");
    await changeStatus({ db: t.db, principal: operator, id: b.order.id, status: "CANCELLED", reason: "dup" }); // order-cancelled: filtered out
    await confirmOrder({ db: t.db, principal: operator, id: a.order.id, input: { paymentMethod: "CASH" } });
    await conn.waitFor((e) => logEvents(e).length >= 3);
    await new Promise((r) => setTimeout(r, 100));
    expect(logEvents(conn.events).map((e) => [e.event, e.json.orderId])).toEqual([
      ["order-created", String(a.order.id)],
      ["order-created", String(b.order.id)],
      ["order-updated", String(a.order.id)],
    ]);
    conn.cut();
    // Another partner's staff cannot follow this order.
    const elsewhere = await live(`?orderId=${a.order.id}`, { authorization: `Bearer ${otherStaffToken}` });
    expect(elsewhere.status).toBe(404);
  });

  it("a delivery: courier assigned, shipped, and the courier's position, on the customer's stream", async () => {
    const { order, trackingToken } = await createOrder({
      db: t.db,
      principal: operator,
      input: { partner: "demo", source: "delivery", customer: "cust-del", items: [{ foodId: demo.food("Fries").id, quantity: 1 }] },
    });
    const conn = await live(`?orderId=${order.id}`, { authorization: `Bearer ${trackingToken}` });
    await conn.waitFor((e) => e.some((x) => x.event === "connected"));
    await confirmOrder({ db: t.db, principal: operator, id: order.id, input: { paymentMethod: "CARD" } });
    await assignCourier({ db: t.db, principal: operator, id: order.id, courierName: "Sam" });
    for (const status of ["PREPARING", "READY", "PICKED_UP"] as const)
      await changeStatus({ db: t.db, principal: operator, id: order.id, status });
    await recordCourierLocation({ db: t.db, principal: operator, id: order.id, lat: 48.8566, lng: 2.3522 });
    await conn.waitFor((e) => logEvents(e).length >= 6);
    const events = logEvents(conn.events);
    expect(events.map((e) => e.event)).toEqual([
      "order-updated",
      "order-updated",
      "order-updated",
      "order-updated",
      "order-shipped",
      "order-updated",
    ]);
    expect(events[1]!.json).toMatchObject({ courierName: "Sam" });
    expect(events[4]!.json).toEqual({ orderId: String(order.id), status: "PICKED_UP", carrier: "Sam" });
    expect(events[5]!.json).toMatchObject({ courierName: "Sam", courierLocation: { lat: 48.8566, lng: 2.3522, at: expect.any(String) } });
    conn.cut();
  });

  it("refusals: 401 without credentials, 404 for a wrong token, 400 naming the filter", async () => {
    const { order } = await place();
    expect((await live(`?orderId=${order.id}`)).status).toBe(401);
    const wrong = await live(`?orderId=${order.id}&token=trk_wrong`);
    expect(wrong.status).toBe(404);
    const cases: [string, string][] = [
      [`?token=trk_x`, "orderId"],
      [`?orderId=abc`, "orderId"],
      [`?eventTypes=order-exploded`, "eventTypes"],
      [`?since=yesterday`, "since"],
      [`?customerId=`, "customerId"],
    ];
    for (const [query, field] of cases) {
      const res = await live(query, { authorization: `Bearer ${staffToken}` });
      expect(res.status).toBe(400);
      await res.ended;
      expect(JSON.parse(res.body).error).toMatchObject({ code: "SUBSCRIPTION_ERROR", details: { field, recoverable: false } });
    }
  });
});

describe("isoDuration", () => {
  it.each([
    [0, "PT0S"],
    [30_000, "PT30S"],
    [16 * 60_000, "PT16M"],
    [16 * 60_000 + 30_000, "PT16M30S"],
    [3_600_000 + 5_000, "PT1H5S"],
  ])("%i ms → %s", (ms, text) => {
    expect(isoDuration(ms)).toBe(text);
  });
});
