/**
 * The browser client's transport against a real node (Node has fetch and web streams):
 * OrderRealtime's seeds/000 contract, and LiveStream across a server restart.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDb } from "../testing/each-database";
import { makePartner, makeToken, makeUser, placeOrder, type TestPartner } from "../testing/fixtures";
import { startTestNode, type TestNode } from "../testing/node";
import { confirmOrder } from "../orders";
import type { Principal } from "../auth";
import { SseOrderRealtime, WsOrderRealtime, type OrderListDto, type OrderRealtime } from "./order-realtime";
import WS from "ws";
import { login } from "../auth";
import * as orderRoute from "../../app/api/orders/[id]/route";
import { LiveStream, type StreamEvent } from "./live-stream";

describe("browser client transport", () => {
  const t = useTestDb("sqlite");
  let node: TestNode;
  let demo: TestPartner;
  let operator: Principal;
  let token: string;
  let cookie: string;

  beforeAll(async () => {
    demo = await makePartner(t.db, "demo");
    operator = (await makeUser(t.db, { partnerId: demo.partner.id, role: "operator", username: "op" })).principal;
    token = (await makeToken(t.db, { partnerId: demo.partner.id, role: "operator" })).token;
    cookie = `pass_session=${(await login({ db: t.db, username: "op", password: "fixture-pass-4821" })).sessionToken}`;
    node = await startTestNode({ db: t.db, routes: [{ pattern: /^\/api\/orders\/(?<id>\d+)$/, GET: orderRoute.GET as never }] });
  });
  afterAll(async () => {
    await node?.close();
  });

  const place = async () => (await placeOrder(t.db, demo, { items: [{ food: "Fries" }] })).order;

  // The same contract tests for both transports.
  const makers: Record<string, () => OrderRealtime> = {
    SSE: () => new SseOrderRealtime({ url: `${node.url}/api/events/partner`, headers: { authorization: `Bearer ${token}` } }),
    WebSocket: () =>
      new WsOrderRealtime({ origin: node.url, headers: { cookie }, createSocket: (url) => new WS(url, { headers: { cookie } }) as never }),
  };

  describe.each(["SSE", "WebSocket"])("OrderRealtime (seeds/000) over %s", (name) => {
    const make = makers[name]!;

    it("onCreated and onUpdated get OrderListDto; disconnect stops them", async () => {
      const created: OrderListDto[] = [];
      const updated: OrderListDto[] = [];
      const realtime = make();
      realtime.connect({ onCreated: (o) => created.push(o), onUpdated: (o) => updated.push(o) });
      await expect.poll(() => node.realtime.hub.connectionCount).toBe(1);
      await new Promise((r) => setTimeout(r, 100)); // the WebSocket's subscribe
      const order = await place();
      await confirmOrder({ db: t.db, principal: operator, id: order.id, input: { paymentMethod: "CASH" } });
      await expect.poll(() => updated.length).toBe(1);
      expect(created).toHaveLength(1);
      expect(Object.keys(created[0]!)).toEqual([
        "id",
        "partnerName",
        "partnerImage",
        "displayNumber",
        "status",
        "priority",
        "activeTimer",
        "courierName",
      ]);
      expect(created[0]).toMatchObject({ id: order.id, partnerName: "Partner demo", displayNumber: order.displayCode });
      expect(updated[0]).toMatchObject({ id: order.id, status: "CONFIRMED" });

      realtime.disconnect();
      await expect.poll(() => node.realtime.hub.connectionCount).toBe(0);
      await place();
      await new Promise((r) => setTimeout(r, 150));
      expect(created).toHaveLength(1);
    });

    it("only onUpdated may be registered", async () => {
      const updated: OrderListDto[] = [];
      const realtime = make();
      realtime.connect({ onUpdated: (o) => updated.push(o) });
      await expect.poll(() => node.realtime.hub.connectionCount).toBe(1);
      await new Promise((r) => setTimeout(r, 100));
      const order = await place();
      await confirmOrder({ db: t.db, principal: operator, id: order.id, input: { paymentMethod: "CARD" } });
      await expect.poll(() => updated.length).toBe(1);
      expect(updated[0]!.id).toBe(order.id);
      realtime.disconnect();
      await expect.poll(() => node.realtime.hub.connectionCount).toBe(0);
    });
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
