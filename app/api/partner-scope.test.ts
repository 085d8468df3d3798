/**
 * `?partner=slug` is one rule (lib/auth resolvePartnerScope) on REST and on the streams: the same
 * caller and slug get the same answer from GET /api/orders and GET /api/events/partner, on SQLite
 * and PostgreSQL. An admin narrows; partner-bound staff see their own partner; another partner's
 * slug and an unknown slug are the same 404 (field `partner`), so existence is never revealed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SESSION_COOKIE, login } from "@/lib/auth";
import { createOrder } from "@/lib/orders";
import { openTestDb, testTargets, type TestDb } from "@/lib/testing/db";
import { makePartner, makeToken, makeUser } from "@/lib/testing/fixtures";
import { startTestNode, type TestNode } from "@/lib/testing/node";
import { logEvents, openSse } from "@/lib/testing/sse-client";
import * as ordersRoute from "./orders/route";

type Answer = { status: number; error?: unknown; orderIds?: number[] };

describe.each(testTargets())("partner scope, REST and SSE alike, on $label", ({ dialect, skipReason }) => {
  let t: TestDb;
  let node: TestNode;
  let demoOrder: number;
  let otherOrder: number;
  const who: Record<"admin" | "operator" | "integration", Record<string, string>> = { admin: {}, operator: {}, integration: {} };

  beforeAll(async () => {
    if (skipReason) return;
    t = await openTestDb(dialect);
    const demo = await makePartner(t.db, "demo");
    const other = await makePartner(t.db, "other");
    await makeUser(t.db, { partnerId: null, role: "admin", username: "boss" });
    await makeUser(t.db, { partnerId: demo.partner.id, role: "operator", username: "op" });
    const cookie = async (username: string) =>
      `${SESSION_COOKIE}=${(await login({ db: t.db, username, password: "fixture-pass-4821" })).sessionToken}`;
    who.admin = { cookie: await cookie("boss") };
    who.operator = { cookie: await cookie("op") };
    who.integration = { authorization: `Bearer ${(await makeToken(t.db, { partnerId: demo.partner.id, role: "integration" })).token}` };
    const place = async (slug: string, foodId: string) =>
      (await createOrder({ db: t.db, principal: null, input: { partner: slug, items: [{ foodId, quantity: 1 }] } })).order.id;
    demoOrder = await place("demo", demo.food("Fries").id);
    otherOrder = await place("other", other.food("Fries").id);
    node = await startTestNode({ db: t.db, routes: [{ pattern: /^\/api\/orders$/, GET: ordersRoute.GET }] });
  });
  afterAll(async () => {
    await node?.close();
    await t?.cleanup();
  });

  async function rest(headers: Record<string, string>, query: string): Promise<Answer> {
    const res = await fetch(`${node.url}/api/orders${query}`, { headers });
    const body = await res.json();
    if (res.status !== 200) return { status: res.status, error: body.error };
    return { status: 200, orderIds: body.orders.map((o: { id: number }) => o.id).sort() };
  }

  /** The partner channel replayed from the start of the log: the orders the stream may show. */
  async function sse(headers: Record<string, string>, query: string): Promise<Answer> {
    const conn = await openSse(`${node.url}/api/events/partner${query}`, { headers: { ...headers, "last-event-id": "0" } });
    if (conn.status !== 200) {
      await conn.ended;
      return { status: conn.status, error: JSON.parse(conn.body).error };
    }
    await conn.waitFor((e) => e.some((x) => x.event === "replay-complete"));
    conn.cut();
    return { status: 200, orderIds: [...new Set(logEvents(conn.events).map((e) => e.json.id as number))].sort() };
  }

  async function both(principal: keyof typeof who, query: string): Promise<Answer> {
    const [viaRest, viaSse] = await Promise.all([rest(who[principal], query), sse(who[principal], query)]);
    expect(viaSse).toEqual(viaRest);
    return viaRest;
  }

  const notFound = { status: 404, error: { code: "NOT_FOUND", message: "partner not found", details: { field: "partner" } } };

  it.skipIf(!!skipReason)("admin: no slug = every partner, a slug narrows to that partner", async () => {
    expect(await both("admin", "")).toEqual({ status: 200, orderIds: [demoOrder, otherOrder].sort() });
    expect(await both("admin", "?partner=other")).toEqual({ status: 200, orderIds: [otherOrder] });
    expect(await both("admin", "?partner=demo")).toEqual({ status: 200, orderIds: [demoOrder] });
  });

  it.skipIf(!!skipReason)("partner-bound staff and tokens: their own slug (or none) is their own partner", async () => {
    for (const principal of ["operator", "integration"] as const) {
      expect(await both(principal, "")).toEqual({ status: 200, orderIds: [demoOrder] });
      expect(await both(principal, "?partner=demo")).toEqual({ status: 200, orderIds: [demoOrder] });
      expect(await both(principal, "?partner=")).toEqual({ status: 200, orderIds: [demoOrder] });
    }
  });

  it.skipIf(!!skipReason)("another partner's slug is 404 partner on both (REST used to ignore it and answer 200)", async () => {
    for (const principal of ["operator", "integration"] as const) {
      expect(await both(principal, "?partner=other")).toEqual(notFound);
    }
  });

  it.skipIf(!!skipReason)("creating an order for another partner's slug: the same 404 as an unknown slug", async () => {
    const post = async (partner: string) => {
      const res = await ordersRoute.POST(
        new Request(`${node.url}/api/orders`, {
          method: "POST",
          headers: { ...who.integration, "content-type": "application/json" },
          body: JSON.stringify({ partner, items: [{ foodId: "x", quantity: 1 }] }),
        }),
        { params: Promise.resolve({}) },
      );
      return { status: res.status, error: (await res.json()).error };
    };
    expect(await post("other")).toEqual(notFound);
    expect(await post("nowhere")).toEqual(notFound);
  });

  it.skipIf(!!skipReason)("an unknown slug is the same 404 partner, for everyone", async () => {
    for (const principal of ["admin", "operator", "integration"] as const) {
      expect(await both(principal, "?partner=nowhere")).toEqual(notFound);
    }
  });
});
