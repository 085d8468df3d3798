/**
 * WebSocket /ws (docs/contracts.md#seeds-001) against a real listener: auth (cookie and bearer), the Origin
 * check, protocol, events, resume, isolation, bad input, protocol pings and the connection limit (also behind a proxy).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { TestDb } from "../testing/db";
import { describeEachDatabase } from "../testing/each-database";
import { makePartner, makeToken, makeUser } from "../testing/fixtures";
import { startTestNode, type TestNode } from "../testing/node";
import { login, revokeDeviceToken, type Principal } from "../auth";
import { updateFood } from "../menu";
import { assignCourier, changeStatus, confirmOrder, createOrder } from "../orders";

type Msg = Record<string, any>;

/** An upgrade refused before the handshake: its HTTP status and JSON body. */
function refusal(url: string, headers: Record<string, string>) {
  return new Promise<{ status: number; body: Msg; contentType: string | undefined }>((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once("open", () => {
      ws.close();
      reject(new Error("the upgrade was accepted"));
    });
    ws.once("error", () => undefined);
    ws.once("unexpected-response", (_req, res) => {
      let text = "";
      res.on("data", (d: Buffer) => (text += d.toString()));
      res.on("end", () => resolve({ status: res.statusCode!, body: JSON.parse(text), contentType: res.headers["content-type"] }));
    });
  });
}

function connect(
  url: string,
  cookie?: string,
  { headers = {}, autoPong = true }: { headers?: Record<string, string>; autoPong?: boolean } = {},
) {
  const ws = new WebSocket(url, { headers: { ...(cookie ? { cookie } : {}), ...headers }, autoPong });
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
  let other: Awaited<ReturnType<typeof makePartner>>;
  let operator: Principal;
  let cookie: string;
  let otherCookie: string;
  let wsUrl: string;

  beforeAll(async () => {
    t = ctx.t;
    demo = await makePartner(t.db, "demo");
    other = await makePartner(t.db, "other");
    operator = (await makeUser(t.db, { partnerId: demo.partner.id, role: "operator", username: "op" })).principal;
    await makeUser(t.db, { partnerId: other.partner.id, role: "operator", username: "op2" });
    cookie = `pass_session=${(await login({ db: t.db, username: "op", password: "fixture-pass-4821" })).sessionToken}`;
    otherCookie = `pass_session=${(await login({ db: t.db, username: "op2", password: "fixture-pass-4821" })).sessionToken}`;
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
        customer_id: null, // a name alone makes no customer (lib/orders/customers.ts)
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

  it("a split bill: one transaction:created per payment, refunds per payment on cancel, the partner's currency", async () => {
    const euro = await makePartner(t.db, "euro-ws", { currency: "EUR", locale: "fr-FR" });
    const euroOp = (await makeUser(t.db, { partnerId: euro.partner.id, role: "operator", username: "op-eur" })).principal;
    const c = connect(wsUrl, `pass_session=${(await login({ db: t.db, username: "op-eur", password: "fixture-pass-4821" })).sessionToken}`);
    await c.opened;
    c.send({ type: "subscribe", channel: "order_changes" });
    c.send({ type: "subscribe", channel: "transaction_changes" });
    await c.waitFor((m) => m.filter((x) => x.type === "subscribed").length === 2);
    const { order } = await createOrder({
      db: t.db,
      principal: null,
      input: { partner: "euro-ws", items: [{ foodId: euro.food("Margherita").id, quantity: 1 }] },
    });
    // 12.50 + 0.50 surcharge = 13.00, 10 % off = 11.70: 5 in cash (10 tendered), 6.70 by card.
    await confirmOrder({
      db: t.db,
      principal: euroOp,
      id: order.id,
      input: {
        discountPercent: 10,
        payments: [
          { method: "CASH", amount: "5", tendered: "10" },
          { method: "CARD", amount: "6.7" },
        ],
      },
    });
    await changeStatus({ db: t.db, principal: euroOp, id: order.id, status: "CANCELLED", reason: "guest left" });
    await c.waitFor((m) => m.filter((x) => x.event === "transaction:created").length >= 4);
    const events = c.messages.filter((x) => x.event);
    expect(events.map((e) => e.event)).toEqual([
      "order:created",
      "order:updated",
      "transaction:created",
      "transaction:created",
      "order:updated",
      "transaction:created",
      "transaction:created",
    ]);
    expect(events.filter((e) => e.event.startsWith("order:")).map((e) => e.data.currency)).toEqual(["EUR", "EUR", "EUR"]);
    expect(events[1]!.data.total).toBe(11.7);
    expect(events.filter((e) => e.event === "transaction:created").map((e) => e.data)).toEqual([
      { id: `pay-${order.id}-1`, order_id: order.id, type: "payment", status: "completed", amount: 5, gateway: "cash" },
      { id: `pay-${order.id}-2`, order_id: order.id, type: "payment", status: "completed", amount: 6.7, gateway: "card" },
      { id: `refund-${order.id}-1`, order_id: order.id, type: "refund", status: "completed", amount: 5, gateway: "cash" },
      { id: `refund-${order.id}-2`, order_id: order.id, type: "refund", status: "completed", amount: 6.7, gateway: "card" },
    ]);
    c.ws.close();
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

  describe("protocol pings", () => {
    let fast: TestNode;
    let fastUrl: string;
    beforeAll(async () => {
      fast = await startTestNode({ db: t.db, wsPingMs: 50, wsLimits: { perIp: 2, attemptsPerMinute: 1000 } });
      fastUrl = fast.url.replace("http", "ws") + "/ws";
    });
    afterAll(async () => {
      await fast?.close();
    });

    it("an idle socket that answers pings stays open past many intervals", async () => {
      const c = connect(fastUrl, cookie);
      let pings = 0;
      c.ws.on("ping", () => pings++);
      await c.opened;
      await new Promise((r) => setTimeout(r, 500));
      expect(pings).toBeGreaterThanOrEqual(4);
      expect(c.ws.readyState).toBe(WebSocket.OPEN);
      c.send({ type: "ping" });
      await c.waitFor((m) => m.some((x) => x.type === "pong"));
      c.ws.close();
      expect((await c.closed).code).toBe(1005);
      await new Promise((r) => setTimeout(r, 50)); // the server's side of the close frees the slot
    });

    it("a peer that stops answering pongs is terminated (no close frame), and its slot is free again", async () => {
      const silent = connect(fastUrl, cookie, { autoPong: false });
      const other = connect(fastUrl, cookie);
      await Promise.all([silent.opened, other.opened]);
      const started = Date.now();
      // Terminated: the client sees the TCP connection end without a close frame (1006).
      expect((await silent.closed).code).toBe(1006);
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(other.ws.readyState).toBe(WebSocket.OPEN);
      // perIp is 2: the dead peer's slot was released.
      const next = connect(fastUrl, cookie);
      await next.opened;
      next.ws.close();
      other.ws.close();
    });
  });

  describe("Origin check before the handshake", () => {
    it("a browser page of another site is refused 403 with the one error body, even with a valid session", async () => {
      const refused = await refusal(wsUrl, { cookie, origin: "https://evil.example" });
      expect(refused.status).toBe(403);
      expect(refused.contentType).toBe("application/json; charset=utf-8");
      expect(refused.body).toEqual({ error: { code: "FORBIDDEN", message: expect.stringContaining("cross-origin WebSocket refused") } });
      // The site's own pages, and clients that send no Origin, connect.
      const own = connect(wsUrl, cookie, { headers: { origin: node.url } });
      await own.opened;
      await own.waitFor((m) => m.some((x) => x.type === "connected"));
      own.ws.close();
    });

    it("behind a proxy that dropped the port, PUBLIC_URL and ALLOWED_ORIGINS are accepted; the Host is not enough", async () => {
      const proxied = await startTestNode({
        db: t.db,
        proxy: { publicUrl: "https://pass.example.com:8443", trustProxy: 0, allowedOrigins: ["https://kiosk.example.com"] },
      });
      const url = proxied.url.replace("http", "ws") + "/ws";
      try {
        for (const origin of ["https://pass.example.com:8443", "https://kiosk.example.com"]) {
          const c = connect(url, cookie, { headers: { host: "pass.example.com", origin } });
          await c.opened;
          await c.waitFor((m) => m.some((x) => x.type === "connected"));
          c.ws.close();
        }
        expect((await refusal(url, { cookie, host: "pass.example.com", origin: "https://evil.example" })).status).toBe(403);
        // The same public origin without PUBLIC_URL: refused (the Host lost the port).
        expect((await refusal(wsUrl, { cookie, host: "pass.example.com", origin: "https://pass.example.com:8443" })).status).toBe(403);
      } finally {
        await proxied.close();
      }
    });
  });

  describe("Authorization: Bearer (courier apps, integrations)", () => {
    it("a device token connects, scoped to its partner; userId is the token's id", async () => {
      const token = await makeToken(t.db, { partnerId: demo.partner.id, role: "integration" });
      const c = connect(wsUrl, undefined, { headers: { authorization: `Bearer ${token.token}` } });
      await c.opened;
      await c.waitFor((m) => m.some((x) => x.type === "connected"));
      expect(c.messages[0]).toEqual({ type: "connected", message: "WebSocket connection established", userId: token.id });
      c.send({ type: "subscribe", channel: "order_changes" });
      await c.waitFor((m) => m.some((x) => x.type === "subscribed"));
      const mine = await place();
      const theirs = await createOrder({
        db: t.db,
        principal: null,
        input: { partner: "other", items: [{ foodId: other.food("Fries").id, quantity: 1 }] },
      }).then((r) => r.order);
      const after = await place();
      await c.waitFor((m) => m.some((x) => x.event === "order:created" && x.data.id === after.id));
      const seen = c.messages.filter((x) => x.event === "order:created").map((x) => x.data.id);
      expect(seen).toEqual([mine.id, after.id]);
      expect(seen).not.toContain(theirs.id);
      c.ws.close();
    });

    it("a bad bearer is refused 401 before the handshake, not closed with 1008 after it", async () => {
      const token = await makeToken(t.db, { partnerId: demo.partner.id, role: "integration" });
      await revokeDeviceToken({ db: t.db, id: token.id });
      for (const authorization of ["Bearer pass_unknown", `Bearer ${token.token}`, "Basic b3A6cGFzc3dvcmQxMjM="]) {
        const refused = await refusal(wsUrl, { authorization });
        expect(refused.status).toBe(401);
        expect(refused.body.error.code).toBe("UNAUTHORIZED");
      }
      // A bad bearer is not rescued by a good cookie: the bearer wins, as on every route.
      expect((await refusal(wsUrl, { authorization: "Bearer pass_unknown", cookie })).status).toBe(401);
    });

    it("a screen's token (display, printer, kitchen) is refused 403: /ws carries the full order data", async () => {
      for (const role of ["display", "printer", "kitchen"] as const) {
        const token = await makeToken(t.db, { partnerId: demo.partner.id, role });
        const refused = await refusal(wsUrl, { authorization: `Bearer ${token.token}` });
        expect(refused.status).toBe(403);
        expect(refused.body.error.code).toBe("FORBIDDEN");
      }
    });
  });

  describe("per-IP limit behind a proxy", () => {
    const limits = { perIp: 2, attemptsPerMinute: 1000 };
    const from = (url: string, ip: string) => connect(url, cookie, { headers: { "x-forwarded-for": `6.6.6.6, ${ip}` } });

    it("with TRUST_PROXY the client is the X-Forwarded-For entry our proxy appended", async () => {
      const trusted = await startTestNode({ db: t.db, wsLimits: limits, proxy: { publicUrl: null, trustProxy: 1, allowedOrigins: [] } });
      const url = trusted.url.replace("http", "ws") + "/ws";
      try {
        const a = [from(url, "203.0.113.1"), from(url, "203.0.113.1")];
        await Promise.all(a.map((c) => c.opened));
        await expect(from(url, "203.0.113.1").opened).rejects.toThrow("HTTP 429");
        // Another client behind the same proxy has its own budget; the spoofed left entry is ignored.
        const b = from(url, "203.0.113.2");
        await b.opened;
        for (const c of [...a, b]) c.ws.close();
      } finally {
        await trusted.close();
      }
    });

    it("without TRUST_PROXY the header is ignored: every connection counts against the socket's address", async () => {
      const plain = await startTestNode({ db: t.db, wsLimits: limits });
      const url = plain.url.replace("http", "ws") + "/ws";
      try {
        const a = [from(url, "203.0.113.1"), from(url, "203.0.113.2")];
        await Promise.all(a.map((c) => c.opened));
        await expect(from(url, "203.0.113.3").opened).rejects.toThrow("HTTP 429");
        for (const c of a) c.ws.close();
      } finally {
        await plain.close();
      }
    });
  });
  it("topics follow the permission table: a kitchen user gets orders, not payments or customers", async () => {
    await makeUser(ctx.db, { partnerId: demo.partner.id, role: "kitchen", username: "chef-ws" });
    const chef = `pass_session=${(await login({ db: ctx.db, username: "chef-ws", password: "fixture-pass-4821" })).sessionToken}`;
    const c = connect(wsUrl, chef);
    await c.opened;
    await c.waitFor((m) => m.some((x) => x.type === "connected"));
    for (const channel of ["order_changes", "transaction_changes", "customer_changes"]) c.send({ type: "subscribe", channel });
    await c.waitFor((m) => m.filter((x) => x.type === "subscribed" || x.type === "error").length >= 3);
    expect(c.messages.filter((x) => x.type === "subscribed").map((x) => x.channel)).toEqual(["order_changes"]);
    expect(c.messages.filter((x) => x.type === "error").map((x) => x.code)).toEqual(["FORBIDDEN", "FORBIDDEN"]);
    c.ws.close();
  });
});
