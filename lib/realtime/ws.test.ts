/**
 * WebSocket /ws (docs/contracts.md#seeds-001) against a real listener: auth, protocol, events, resume, isolation,
 * bad input and the connection limit.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import WebSocket from "ws";
import type { TestDb } from "../testing/db";
import { describeEachDatabase } from "../testing/each-database";
import { makePartner, makeUser } from "../testing/fixtures";
import { startTestNode, type TestNode } from "../testing/node";
import { login, type Principal } from "../auth";
import { assignCourier, changeStatus, confirmOrder, createOrder, updateFood } from "../orders";

type Msg = Record<string, any>;

function connect(url: string, cookie?: string) {
  const ws = new WebSocket(url, { headers: cookie ? { cookie } : {} });
  const messages: Msg[] = [];
  ws.on("message", (data) => messages.push(JSON.parse(data.toString())));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  const opened = new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
    ws.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  const waitFor = async (predicate: (m: Msg[]) => boolean, timeoutMs = 5_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(messages)) {
      if (Date.now() > deadline) throw new Error(`timed out; got ${JSON.stringify(messages)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return messages;
  };
  const send = (m: unknown) => ws.send(typeof m === "string" ? m : JSON.stringify(m));
  return { ws, messages, closed, opened, waitFor, send };
}

describeEachDatabase("WebSocket /ws", (ctx) => {
  let t: TestDb;
  let node: TestNode;
  let demo: Awaited<ReturnType<typeof makePartner>>;
  let operator: Principal;
  let cookie: string;
  let otherCookie: string;
  let wsUrl: string;

  beforeAll(async () => {
    t = ctx.t;
    demo = await makePartner(t.db, "demo");
    const other = await makePartner(t.db, "other");
    operator = (await makeUser(t.db, { partnerId: demo.partner.id, role: "operator", username: "op" })).principal;
    await makeUser(t.db, { partnerId: other.partner.id, role: "operator", username: "op2" });
    cookie = `pass_session=${(await login({ db: t.db, username: "op", password: "password123" })).sessionToken}`;
    otherCookie = `pass_session=${(await login({ db: t.db, username: "op2", password: "password123" })).sessionToken}`;
    node = await startTestNode({ db: t.db, wsLimits: { perIp: 8, attemptsPerMinute: 1000 } });
    wsUrl = node.url.replace("http", "ws") + "/ws";
  });
  afterAll(async () => {
    await node?.close();
  });

  const place = () =>
    createOrder({
      db: t.db,
      principal: null,
      input: { partner: "demo", customer: "cust-45", items: [{ foodId: demo.food("Margherita").id, quantity: 2 }] },
    }).then((r) => r.order);

  it("without a session the connection is closed with 1008", async () => {
    const c = connect(wsUrl);
    expect((await c.closed).code).toBe(1008);
    const bad = connect(wsUrl, "pass_session=nope");
    expect((await bad.closed).code).toBe(1008);
  });

  it("connected, ping/pong, and an error for every invalid message — the server stays up", async () => {
    const c = connect(wsUrl, cookie);
    await c.opened;
    await c.waitFor((m) => m.length >= 1);
    expect(c.messages[0]).toEqual({
      type: "connected",
      message: "WebSocket connection established",
      userId: operator.kind === "user" ? operator.userId : null,
    });
    c.send({ type: "ping" });
    await c.waitFor((m) => m.some((x) => x.type === "pong"));
    for (const bad of [
      "not json",
      "[1,2]",
      "null",
      JSON.stringify({ type: "dance" }),
      JSON.stringify({ type: "subscribe", channel: "gossip" }),
      JSON.stringify({ type: "subscribe", channel: "order_changes", offset: -1 }),
    ]) {
      c.send(bad);
    }
    c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    await c.waitFor((m) => m.filter((x) => x.type === "error").length >= 7);
    expect(c.messages.filter((x) => x.type === "error").every((x) => typeof x.message === "string")).toBe(true);
    // 1,000 subscribe / unsubscribe cycles: every one answered, still responsive.
    for (let i = 0; i < 1000; i++) {
      c.send({ type: "subscribe", channel: "order_changes" });
      c.send({ type: "unsubscribe", channel: "order_changes" });
    }
    await c.waitFor((m) => m.filter((x) => x.type === "unsubscribed").length >= 1000, 15_000);
    c.send({ type: "ping" });
    await c.waitFor((m) => m.filter((x) => x.type === "pong").length >= 2);
    // An oversized frame closes that connection (1009); the server goes on.
    c.ws.send("x".repeat(10_000));
    expect((await c.closed).code).toBe(1009);
    const again = connect(wsUrl, cookie);
    await again.opened;
    again.ws.close();
  });

  it("order, transaction and product events with changed_fields, only for the subscribed topics and partner", async () => {
    const c = connect(wsUrl, cookie);
    const stranger = connect(wsUrl, otherCookie);
    await Promise.all([c.opened, stranger.opened]);
    c.send({ type: "subscribe", channel: "order_changes" });
    c.send({ type: "subscribe", channel: "transaction_changes" });
    c.send({ type: "subscribe", channel: "product_changes" });
    stranger.send({ type: "subscribe", channel: "order_changes" });
    await c.waitFor((m) => m.filter((x) => x.type === "subscribed").length === 3);
    await stranger.waitFor((m) => m.some((x) => x.type === "subscribed"));

    const order = await place();
    await confirmOrder({ db: t.db, principal: operator, id: order.id, input: { paymentMethod: "CARD" } });
    await updateFood({ db: t.db, principal: operator, id: demo.food("Fries").id, patch: { price: "4.9" } });
    await c.waitFor((m) => m.filter((x) => x.event).length >= 4);
    const events = c.messages.filter((x) => x.event);
    expect(events.map((e) => e.event)).toEqual(["order:created", "order:updated", "transaction:created", "product:updated"]);
    expect(events[0]).toEqual({
      id: expect.any(Number),
      event: "order:created",
      data: {
        id: order.id,
        order_number: order.displayCode,
        status: "pending",
        payment_status: "pending",
        total: 26,
        customer_id: "cust-45",
        currency: "USD",
      },
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
    });
    expect(events[1]!.data).toMatchObject({
      status: "confirmed",
      payment_status: "paid",
      changed_fields: { status: "confirmed", payment_status: "paid" },
    });
    expect(events[2]!.data).toEqual({
      id: `pay-${order.id}`,
      order_id: order.id,
      type: "payment",
      status: "completed",
      amount: 26,
      gateway: "card",
    });
    expect(events[3]!.data).toMatchObject({ name: "Fries", price: 4.9, changed_fields: { price: 4.9 } });
    await new Promise((r) => setTimeout(r, 100));
    expect(stranger.messages.filter((x) => x.event)).toEqual([]);

    // Unsubscribed topics stay quiet.
    c.send({ type: "unsubscribe", channel: "order_changes" });
    await c.waitFor((m) => m.some((x) => x.type === "unsubscribed"));
    const before = c.messages.length;
    await changeStatus({ db: t.db, principal: operator, id: order.id, status: "PREPARING" });
    await new Promise((r) => setTimeout(r, 150));
    expect(c.messages.slice(before).filter((x) => x.event)).toEqual([]);
    c.ws.close();
    stranger.ws.close();
  });

  it("delivery: a courier assignment, pickup and delivery arrive on shipment_changes", async () => {
    const c = connect(wsUrl, cookie);
    await c.opened;
    c.send({ type: "subscribe", channel: "shipment_changes" });
    await c.waitFor((m) => m.some((x) => x.type === "subscribed"));
    const { order } = await createOrder({
      db: t.db,
      principal: operator,
      input: { partner: "demo", source: "delivery", items: [{ foodId: demo.food("Fries").id, quantity: 1 }] },
    });
    await confirmOrder({ db: t.db, principal: operator, id: order.id, input: { paymentMethod: "CARD" } });
    await expect(assignCourier({ db: t.db, principal: operator, id: order.id, courierName: "  " })).rejects.toMatchObject({ status: 400 });
    await assignCourier({ db: t.db, principal: operator, id: order.id, courierName: "Sam" });
    for (const status of ["PREPARING", "READY", "PICKED_UP"] as const)
      await changeStatus({ db: t.db, principal: operator, id: order.id, status });
    // The courier's app reports positions over its own socket (docs/contracts.md#seeds-004).
    const courier = connect(wsUrl, cookie);
    await courier.opened;
    courier.send({ type: "location", orderId: order.id, lat: 52.52, lng: 13.405 });
    courier.send({ type: "location", orderId: order.id, lat: 91, lng: 0 });
    courier.send({ type: "location", orderId: order.id, lat: "north" });
    await courier.waitFor((m) => m.filter((x) => x.type === "error" || x.type === "location-recorded").length >= 3);
    expect(courier.messages.filter((x) => x.type === "location-recorded")).toEqual([{ type: "location-recorded", orderId: order.id }]);
    expect(courier.messages.filter((x) => x.type === "error")).toHaveLength(2);
    await changeStatus({ db: t.db, principal: operator, id: order.id, status: "DELIVERED" });
    await c.waitFor((m) => m.filter((x) => x.event).length >= 4);
    expect(c.messages.filter((x) => x.event).map((x) => [x.event, x.data.status, x.data.carrier])).toEqual([
      ["shipment:created", "assigned", "Sam"],
      ["shipment:updated", "shipped", "Sam"],
      ["shipment:updated", "shipped", "Sam"],
      ["shipment:updated", "delivered", "Sam"],
    ]);
    expect(c.messages.filter((x) => x.event)[2]!.data.location).toEqual({ lat: 52.52, lng: 13.405, at: expect.any(String) });
    // After delivery there is nothing left to track.
    courier.send({ type: "location", orderId: order.id, lat: 1, lng: 1 });
    await courier.waitFor((m) => m.filter((x) => x.type === "error").length >= 3);
    courier.ws.close();
    // Only delivery orders get a courier.
    const counter = await place();
    await expect(assignCourier({ db: t.db, principal: operator, id: counter.id, courierName: "Sam" })).rejects.toMatchObject({
      status: 409,
    });
    c.ws.close();
  });

  it("a reconnecting client resumes with offset: nothing lost, nothing doubled", async () => {
    const c = connect(wsUrl, cookie);
    await c.opened;
    c.send({ type: "subscribe", channel: "order_changes" });
    await c.waitFor((m) => m.some((x) => x.type === "subscribed"));
    const first = await place();
    await c.waitFor((m) => m.some((x) => x.event === "order:created" && x.data.id === first.id));
    const lastId = c.messages.filter((x) => x.event).at(-1)!.id as number;
    c.ws.close();
    const missed = [await place(), await place()];
    const d = connect(wsUrl, cookie);
    await d.opened;
    d.send({ type: "subscribe", channel: "order_changes", offset: lastId });
    await d.waitFor((m) => m.some((x) => x.type === "subscribed"));
    const after = await place();
    await d.waitFor((m) => m.some((x) => x.event && x.data.id === after.id));
    const ids = d.messages.filter((x) => x.event === "order:created").map((x) => x.data.id);
    expect(ids).toEqual([...missed.map((o) => o.id), after.id]);
    d.ws.close();
  });

  it("connections per IP are limited: the next one is refused with 429", async () => {
    const clients = Array.from({ length: 8 }, () => connect(wsUrl, cookie));
    await Promise.all(clients.map((c) => c.opened));
    const extra = connect(wsUrl, cookie);
    await expect(extra.opened).rejects.toThrow("HTTP 429");
    for (const c of clients) c.ws.close();
    await Promise.all(clients.map((c) => c.closed));
    const later = connect(wsUrl, cookie);
    await later.opened;
    later.ws.close();
  });
});
