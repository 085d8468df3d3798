/**
 * The write routes server.ts answers on Node's req/res (server-routes.ts), through a real HTTP
 * listener on a real database: the answers are the route handlers' own (the same status, headers
 * and body a request through Next gets), every bad input is the same 4xx, and only the exact paths
 * are taken.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as orderRoute from "@/app/api/orders/[id]/route";
import * as ordersRoute from "@/app/api/orders/route";
import { limits } from "@/lib/limits";
import { fromAddress } from "@/lib/testing/db";
import { describeEachDatabase } from "@/lib/testing/each-database";
import { login, sessionCookie } from "@/lib/auth";
import { makePartner, makeToken, makeUser, type TestPartner } from "@/lib/testing/fixtures";
import { FAST_BODY_LIMIT, fastRoute, serveFast } from "./server-routes";

describe("fastRoute", () => {
  it("takes only the exact write paths, with their method", () => {
    expect(fastRoute("POST", "/api/orders")?.params).toEqual({});
    expect(fastRoute("POST", "/api/orders/12/confirm")?.params).toEqual({ id: "12" });
    expect(fastRoute("POST", "/api/orders/%31%32/status")?.params).toEqual({ id: "12" });
    for (const [method, path] of [
      ["GET", "/api/orders"],
      ["PUT", "/api/orders"],
      ["POST", "/api/orders/"],
      ["POST", "/api/orders/12/confirm/"],
      ["POST", "/api/orders/12/reprint"],
      ["POST", "/api/orders/12/13/status"],
      ["POST", "/api/orders12/status"],
    ] as const) {
      expect(fastRoute(method, path), `${method} ${path}`).toBeNull();
    }
  });
});

describeEachDatabase("server.ts's write routes", (t) => {
  let demo: TestPartner;
  let token: string;
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    demo = await makePartner(t.db, "demo");
    token = (await makeToken(t.db, { partnerId: demo.partner.id, role: "operator" })).token;
    // As server.ts mounts them: the fast route when one matches, else a 404 standing for Next.
    server = http.createServer((req, res) => {
      // What server.ts writes before routing: the client's address with this process's proof.
      Object.assign(req.headers, fromAddress(String(req.headers["x-test-address"] ?? "unknown")));
      const match = fastRoute(req.method, (req.url ?? "/").split("?")[0]!);
      if (!match) {
        res.writeHead(404, { "x-answered-by": "next" }).end();
        return;
      }
      serveFast(match, req, res).catch((err) => {
        res.writeHead(500).end(String(err));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const send = async (path: string, body: string | undefined, headers: Record<string, string> = {}) => {
    const res = await fetch(`${base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}`, ...headers },
      body,
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : null };
  };
  const read = async (id: number) => {
    const req = new Request(`${base}/api/orders/${id}`, { headers: { authorization: `Bearer ${token}` } });
    const res = await orderRoute.GET(req, { params: Promise.resolve({ id: String(id) }) });
    return res.json();
  };
  const orderCount = async () =>
    Number(
      (
        await t.db
          .selectFrom("orders")
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const place = () =>
    send("/api/orders", JSON.stringify({ partner: "demo", table: "4", items: [{ foodId: demo.food("Fries").id, quantity: 2 }] }));

  it("places, confirms and moves an order, answering what the route handler answers", async () => {
    const created = await place();
    expect(created.status).toBe(201);
    expect(created.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(created.headers.get("cache-control")).toBe("no-store");
    expect(created.headers.get("location")).toBe(`/api/orders/${created.json.id}`);
    expect(Number(created.headers.get("content-length"))).toBe(Buffer.byteLength(created.text));
    const { trackingToken, ...order } = created.json;
    expect(trackingToken).toMatch(/^trk_/);
    expect(await read(order.id)).toMatchObject(order);

    // The same request through the route handler itself (what Next calls) answers the same way.
    const direct = await ordersRoute.POST(
      new Request(`${base}/api/orders`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ partner: "demo", table: "4", items: [{ foodId: demo.food("Fries").id, quantity: 2 }] }),
      }),
      { params: Promise.resolve({}) },
    );
    expect(direct.status).toBe(created.status);
    expect([...direct.headers.keys()].sort()).toEqual(
      [...created.headers.keys()].filter((k) => !["connection", "date", "keep-alive", "content-length"].includes(k)).sort(),
    );
    const other = await direct.json();
    expect(Object.keys(other)).toEqual(Object.keys(created.json));

    const confirmed = await send(`/api/orders/${order.id}/confirm`, JSON.stringify({ paymentMethod: "CASH" }));
    expect(confirmed.status).toBe(200);
    expect(confirmed.json.status).toBe("CONFIRMED");
    expect(await read(order.id)).toMatchObject(confirmed.json);

    const moved = await send(`/api/orders/${order.id}/status`, JSON.stringify({ status: "PREPARING" }));
    expect(moved.status).toBe(200);
    expect(moved.json.status).toBe("PREPARING");
    expect(await read(order.id)).toMatchObject(moved.json);
  });

  it("gives bad input the route's own 4xx, naming the field, and writes nothing", async () => {
    const before = await orderCount();
    const malformed = await send("/api/orders", "{nope");
    expect(malformed.status).toBe(400);
    expect(malformed.json.error).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "body" } });
    const empty = await send("/api/orders", undefined);
    expect(empty.status).toBe(400);
    expect(empty.json.error.details.field).toBe("body");
    const noItems = await send("/api/orders", JSON.stringify({ partner: "demo", items: [] }));
    expect(noItems.status).toBe(400);
    expect(noItems.json.error.details.field).toMatch(/^items/);
    const anonymousConfirm = await send("/api/orders/1/confirm", JSON.stringify({ paymentMethod: "CASH" }), { authorization: "" });
    expect(anonymousConfirm.status).toBe(401);
    const unknown = await send("/api/orders/2147483647/status", JSON.stringify({ status: "PREPARING" }));
    expect(unknown.status).toBe(404);
    const huge = await send("/api/orders", JSON.stringify({ partner: "demo", notes: "x".repeat(FAST_BODY_LIMIT) }));
    expect(huge.status).toBe(413);
    expect(huge.json.error).toMatchObject({ code: "PAYLOAD_TOO_LARGE", details: { field: "body" } });
    expect(await orderCount()).toBe(before);
  });

  it("counts a guest's orders against the address server.ts wrote, not one the client claims", async () => {
    const body = JSON.stringify({ partner: "demo", table: "9", items: [{ foodId: demo.food("Fries").id, quantity: 1 }] });
    const before = await limits().used("orders:anonymous", "203.0.113.9");
    const res = await send("/api/orders", body, {
      authorization: "",
      "x-test-address": "203.0.113.9",
      "x-pass-client-address": "198.51.100.1",
      "x-pass-client-proof": "forged",
    });
    expect(res.status).toBe(201);
    expect(await limits().used("orders:anonymous", "203.0.113.9")).toBe(before + 1);
    expect(await limits().used("orders:anonymous", "198.51.100.1")).toBe(0);
  });

  it("reads the request's headers as the handler would through Next: a cookie session, and its CSRF check", async () => {
    await makeUser(t.db, { partnerId: demo.partner.id, role: "operator", username: "cashier" });
    const { sessionToken } = await login({ db: t.db, username: "cashier", password: "fixture-pass-4821" });
    const cookie = sessionCookie({ value: sessionToken, secure: false, maxAgeMs: 60_000 }).split(";")[0]!;
    const placed = await place();
    const path = `/api/orders/${placed.json.id}/confirm`;
    const crossSite = await send(path, JSON.stringify({ paymentMethod: "CASH" }), {
      authorization: "",
      cookie,
      origin: "https://evil.example",
    });
    expect(crossSite.status).toBe(403);
    expect((await read(placed.json.id)).status).toBe("PENDING");
    const sameSite = await send(path, JSON.stringify({ paymentMethod: "CASH" }), { authorization: "", cookie, origin: base });
    expect(sameSite.status).toBe(200);
    expect(sameSite.json.status).toBe("CONFIRMED");
  });

  it("leaves every other path to Next", async () => {
    const res = await fetch(`${base}/api/orders/`, { method: "POST", body: "{}" });
    expect(res.status).toBe(404);
    expect(res.headers.get("x-answered-by")).toBe("next");
  });
});
