/**
 * The browser client's transport against a real node (Node has fetch and web streams):
 * OrderRealtime's seeds/000 contract, and LiveStream across a server restart.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDb, type TestDb } from "../testing/db";
import { makePartner, makeToken, makeUser } from "../testing/fixtures";
import { startTestNode, type TestNode } from "../testing/node";
import { confirmOrder, createOrder } from "../orders";
import type { Principal } from "../auth";
import { SseOrderRealtime, type OrderListDto } from "./order-realtime";
import { LiveStream, type ConnectionState, type StreamEvent } from "./live-stream";

describe("browser client transport", () => {
  let t: TestDb;
  let node: TestNode;
  let demo: Awaited<ReturnType<typeof makePartner>>;
  let operator: Principal;
  let token: string;

  beforeAll(async () => {
    t = await openTestDb("sqlite");
    demo = await makePartner(t.db, "demo");
    operator = (await makeUser(t.db, { partnerId: demo.partner.id, role: "operator", username: "op" })).principal;
    token = (await makeToken(t.db, { partnerId: demo.partner.id, role: "operator" })).token;
    node = await startTestNode({ db: t.db });
  });
  afterAll(async () => {
    await node?.close();
    await t?.cleanup();
  });

  const place = () =>
    createOrder({ db: t.db, principal: null, input: { partner: "demo", items: [{ foodId: demo.food("Fries").id, quantity: 1 }] } }).then((r) => r.order);

  it("OrderRealtime over SSE: onCreated and onUpdated get OrderListDto; disconnect stops them", async () => {
    const created: OrderListDto[] = [];
    const updated: OrderListDto[] = [];
    const states: ConnectionState[] = [];
    const realtime = new SseOrderRealtime({
      url: `${node.url}/api/events/partner`,
      headers: { authorization: `Bearer ${token}` },
      onState: (s) => states.push(s),
    });
    realtime.connect({ onCreated: (o) => created.push(o), onUpdated: (o) => updated.push(o) });
    await expect.poll(() => states.at(-1)?.status).toBe("live");
    const order = await place();
    await confirmOrder({ db: t.db, principal: operator, id: order.id, input: { paymentMethod: "CASH" } });
    await expect.poll(() => updated.length).toBe(1);
    expect(created).toHaveLength(1);
    expect(Object.keys(created[0]!)).toEqual(["id", "partnerName", "partnerImage", "displayNumber", "status", "priority", "activeTimer", "courierName"]);
    expect(created[0]).toMatchObject({ id: order.id, displayNumber: order.displayCode, status: "RECEIVED" });
    expect(updated[0]).toMatchObject({ id: order.id, status: "CONFIRMED" });

    realtime.disconnect();
    await expect.poll(() => node.realtime.hub.connectionCount).toBe(0);
    await place();
    await new Promise((r) => setTimeout(r, 100));
    expect(created).toHaveLength(1);
  });

  it("only onUpdated may be registered", async () => {
    const updated: OrderListDto[] = [];
    const realtime = new SseOrderRealtime({ url: `${node.url}/api/events/partner`, headers: { authorization: `Bearer ${token}` } });
    realtime.connect({ onUpdated: (o) => updated.push(o) });
    await expect.poll(() => node.realtime.hub.connectionCount).toBe(1);
    const order = await place();
    await confirmOrder({ db: t.db, principal: operator, id: order.id, input: { paymentMethod: "CARD" } });
    await expect.poll(() => updated.length).toBe(1);
    realtime.disconnect();
  });

  it("LiveStream resumes after a server restart with nothing lost or doubled", async () => {
    const port = Number(new URL(node.url).port);
    const received: StreamEvent[] = [];
    const states: string[] = [];
    const stream = new LiveStream({
      url: `${node.url}/api/events/cashier`,
      headers: { authorization: `Bearer ${token}` },
      handlers: { onEvent: (e) => received.push(e), onState: (s) => states.push(s.status), onReset: () => undefined },
    });
    stream.start();
    await expect.poll(() => states.at(-1)).toBe("live");
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push((await place()).id);
    await expect.poll(() => received.filter((e) => e.event === "new-order").length).toBe(5);

    await node.close(); // sends `disconnecting`; the client waits reconnectAfter, then retries
    for (let i = 0; i < 5; i++) ids.push((await place()).id); // written while no node serves streams
    node = await startTestNode({ db: t.db, port });
    for (let i = 0; i < 5; i++) ids.push((await place()).id);
    await expect.poll(() => received.filter((e) => e.event === "new-order").length, { timeout: 15_000 }).toBe(15);
    const orders = received.filter((e) => e.event === "new-order").map((e) => (e.data as { id: number }).id);
    expect(orders).toEqual(ids);
    expect(states).toContain("reconnecting");
    expect(states.at(-1)).toBe("live");
    stream.stop();
  });
});
