/**
 * The limits where they apply (docs/architecture.md, "Authorisation"): failed sign-ins per
 * account and per address — while spent, even the right password is refused —, anonymous orders
 * per address, stream opens per token and per tracking token, and courier location reports; each
 * a 429 with Retry-After. Route handlers on a real database, SQLite and PostgreSQL.
 */
import { afterEach, beforeAll, expect, it } from "vitest";
import WebSocket from "ws";
import { createLimits, scaledRules, setLimits } from "@/lib/limits";
import { fromAddress } from "@/lib/testing/db";
import { describeEachDatabase } from "@/lib/testing/each-database";
import { makePartner, makeToken, makeUser, type TestPartner } from "@/lib/testing/fixtures";
import { startTestNode } from "@/lib/testing/node";
import { openSse } from "@/lib/testing/sse-client";
import * as loginRoute from "./auth/login/route";
import * as ordersRoute from "./orders/route";
import * as heartbeatRoute from "./screens/heartbeat/route";

const ORIGIN = "http://pass.test";
const post = (handler: typeof loginRoute.POST, path: string, body: unknown, headers: Record<string, string> = {}) =>
  handler(
    new Request(`${ORIGIN}${path}`, {
      method: "POST",
      headers: { host: "pass.test", "content-type": "application/json", ...fromAddress("203.0.113.7"), ...headers },
      body: JSON.stringify(body),
    }),
    { params: Promise.resolve({}) },
  );

describeEachDatabase("rate limits", (ctx) => {
  let demo: TestPartner;
  beforeAll(async () => {
    demo = await makePartner(ctx.db, "demo");
    await makeUser(ctx.db, { partnerId: demo.partner.id, role: "operator", username: "ana" });
  });
  afterEach(() => setLimits(createLimits({ rules: scaledRules(1000) })));

  it("after too many failed sign-ins the right password is refused too, with Retry-After; other accounts still sign in", async () => {
    setLimits(createLimits({ rules: { "login:account": { points: 3, durationS: 900 } } }));
    for (let i = 0; i < 3; i++)
      expect((await post(loginRoute.POST, "/api/auth/login", { username: "ana", password: "wrong-password" })).status).toBe(401);
    const locked = await post(loginRoute.POST, "/api/auth/login", { username: "ANA", password: "fixture-pass-4821" });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await locked.json()).error.code).toBe("RATE_LIMITED");
    await makeUser(ctx.db, { partnerId: demo.partner.id, role: "operator", username: "bea" });
    expect((await post(loginRoute.POST, "/api/auth/login", { username: "bea", password: "fixture-pass-4821" })).status).toBe(200);
  });

  it("failed sign-ins from one address across accounts are limited too", async () => {
    setLimits(createLimits({ rules: { "login:ip": { points: 4, durationS: 900 } } }));
    for (let i = 0; i < 4; i++) await post(loginRoute.POST, "/api/auth/login", { username: `nobody${i}`, password: "wrong-password" });
    expect((await post(loginRoute.POST, "/api/auth/login", { username: "ana", password: "fixture-pass-4821" })).status).toBe(429);
    expect(
      (
        await post(
          loginRoute.POST,
          "/api/auth/login",
          { username: "ana", password: "fixture-pass-4821" },
          { ...fromAddress("198.51.100.1") },
        )
      ).status,
    ).toBe(200);
  });

  it("anonymous orders are limited per address; staff orders are not", async () => {
    setLimits(createLimits({ rules: { "orders:anonymous": { points: 5, durationS: 60 } } }));
    const order = { partner: "demo", source: "kiosk", items: [{ foodId: demo.food("Fries").id, quantity: 1 }] };
    for (let i = 0; i < 5; i++) expect((await post(ordersRoute.POST, "/api/orders", order)).status).toBe(201);
    const refused = await post(ordersRoute.POST, "/api/orders", order);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    const { token } = await makeToken(ctx.db, { partnerId: demo.partner.id, role: "integration" });
    expect((await post(ordersRoute.POST, "/api/orders", { ...order, source: "api" }, { authorization: `Bearer ${token}` })).status).toBe(
      201,
    );
  });

  it("stream opens are limited per device token (429 JSON with Retry-After before the stream starts)", async () => {
    setLimits(createLimits({ rules: { "streams:token": { points: 3, durationS: 60 } } }));
    const node = await startTestNode({ db: ctx.db });
    try {
      const { token } = await makeToken(ctx.db, { partnerId: demo.partner.id, role: "operator" });
      for (let i = 0; i < 3; i++) {
        const c = await openSse(`${node.url}/events/cashier`, { headers: { authorization: `Bearer ${token}` } });
        expect(c.status).toBe(200);
        c.cut();
      }
      const refused = await openSse(`${node.url}/events/cashier`, { headers: { authorization: `Bearer ${token}` } });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
      await refused.ended;
      expect(JSON.parse(refused.body).error.code).toBe("RATE_LIMITED");
    } finally {
      await node.close();
    }
  });
  it("heartbeats are limited per principal and screen", async () => {
    setLimits(createLimits({ rules: { heartbeat: { points: 3, durationS: 60 } } }));
    const { token } = await makeToken(ctx.db, { partnerId: demo.partner.id, role: "kitchen" });
    const beat = (screenId: string) =>
      post(
        heartbeatRoute.POST,
        "/api/screens/heartbeat",
        { screenId, screen: "kitchen", lastEventId: null, soundUnlocked: true, awake: true },
        { authorization: `Bearer ${token}` },
      );
    for (let i = 0; i < 3; i++) expect((await beat("screen-aaaa-1")).status).toBe(200);
    const refused = await beat("screen-aaaa-1");
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await beat("screen-bbbb-2")).status).toBe(200);
  });

  it("courier location reports over /ws are limited per principal", async () => {
    setLimits(createLimits({ rules: { location: { points: 2, durationS: 60 } } }));
    const node = await startTestNode({ db: ctx.db });
    try {
      const { token } = await makeToken(ctx.db, { partnerId: demo.partner.id, role: "integration" });
      const ws = new WebSocket(`${node.url.replace("http", "ws")}/ws`, { headers: { authorization: `Bearer ${token}` } });
      const messages: Record<string, unknown>[] = [];
      ws.on("message", (d) => messages.push(JSON.parse(d.toString())));
      await new Promise<void>((resolve, reject) => {
        ws.once("open", () => resolve());
        ws.once("error", reject);
      });
      for (let i = 0; i < 3; i++) ws.send(JSON.stringify({ type: "location", orderId: 1, lat: 48.85, lng: 2.35 }));
      const deadline = Date.now() + 5_000;
      while (messages.filter((m) => m.type === "error").length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      // The first two reach the order checks (order 1 is no delivery of this token's: refused on its merits);
      // the third is refused by the limit before any lookup.
      const codes = messages.filter((m) => m.type === "error").map((m) => m.code);
      expect(codes.slice(0, 2)).not.toContain("RATE_LIMITED");
      expect(codes[2]).toBe("RATE_LIMITED");
      ws.close();
    } finally {
      await node.close();
    }
  });
});
