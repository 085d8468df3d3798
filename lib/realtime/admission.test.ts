/**
 * Reconnect-storm pacing (admission.ts): jittered `retry:` values, and past the node's limit of
 * streams being admitted at once a 503 SERVER_BUSY with a jittered Retry-After, before any work;
 * on a real listener, on SQLite and on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeEachDatabase } from "../testing/each-database";
import { makePartner, makeToken } from "../testing/fixtures";
import { startTestNode, type TestNode } from "../testing/node";
import { openSse } from "../testing/sse-client";
import { Admission, ServerBusyError, jittered } from "./admission";

describe("jittered", () => {
  it("spreads a value over ±jitter of itself, and leaves it alone at 0", () => {
    expect(jittered(2_000, 0.5, () => 0)).toBe(1_000);
    expect(jittered(2_000, 0.5, () => 0.999_999)).toBe(3_000);
    expect(jittered(2_000, 0.5, () => 0.5)).toBe(2_000);
    expect(jittered(2_000, 0, () => 0)).toBe(2_000);
    const seen = new Set(Array.from({ length: 200 }, () => jittered(2_000, 0.5)));
    expect(seen.size).toBeGreaterThan(50);
    for (const v of seen) expect(v >= 1_000 && v <= 3_000).toBe(true);
  });
});

describe("Admission", () => {
  it("admits up to its limit, refuses past it with 503 SERVER_BUSY and Retry-After 1–3 s, and frees a place on release", () => {
    const admission = new Admission({ limit: 2, jitter: 0.5 });
    const first = admission.enter();
    admission.enter();
    expect(admission.admitting).toBe(2);
    let refused: unknown;
    try {
      admission.enter();
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(ServerBusyError);
    const busy = refused as ServerBusyError;
    expect([busy.status, busy.code]).toEqual([503, "SERVER_BUSY"]);
    expect(busy.details?.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(busy.details?.retryAfterSeconds).toBeLessThanOrEqual(3);
    expect(admission.refused).toBe(1);
    first();
    first(); // idempotent
    expect(admission.admitting).toBe(1);
    expect(() => admission.enter()).not.toThrow();
  });

  it("limit 0 admits everything", () => {
    const admission = new Admission({ limit: 0, jitter: 0 });
    for (let i = 0; i < 1_000; i++) admission.enter();
    expect(admission.admitting).toBe(1_000);
    expect(admission.retry(2_000)).toBe(2_000);
  });
});

describeEachDatabase("stream admission on a node", (ctx) => {
  let node: TestNode;
  let token = "";

  beforeAll(async () => {
    const p = await makePartner(ctx.t.db, "pacing");
    token = (await makeToken(ctx.t.db, { partnerId: p.partner.id, role: "operator" })).token;
    node = await startTestNode({ db: ctx.t.db, pacing: { limit: 2, jitter: 0.5 } });
  });
  afterAll(async () => {
    await node?.close();
  });

  const open = () => openSse(`${node.url}/api/events/cashier`, { headers: { authorization: `Bearer ${token}` } });

  it("past the limit a stream request gets 503 + Retry-After at once; with room again, 200", async () => {
    // Two requests in the middle of their admission.
    const held = [node.realtime.hub.admission.enter(), node.realtime.hub.admission.enter()];
    const refused = await open();
    expect(refused.status).toBe(503);
    await refused.ended;
    expect(JSON.parse(refused.body).error.code).toBe("SERVER_BUSY");
    expect(Number(refused.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers["retry-after"])).toBeLessThanOrEqual(3);
    for (const release of held) release();
    const admitted = await open();
    expect(admitted.status).toBe(200);
    await admitted.waitFor((es) => es.some((e) => e.event === "connected"));
    // Admitted and live: its place is free again.
    expect(node.realtime.hub.admission.admitting).toBe(0);
    admitted.cut();
  });

  it("`retry:` on connect (~1 s) and on shutdown (~2 s) is jittered per stream", async () => {
    // One after another: the limit is 2 at a time.
    const streams = [];
    for (let i = 0; i < 12; i++) {
      const s = await open();
      await s.waitFor((es) => es.some((e) => e.event === "connected"));
      streams.push(s);
    }
    const onConnect = streams.map((s) => s.retries[0]!);
    for (const r of onConnect) expect(r >= 500 && r <= 1_500).toBe(true);
    expect(new Set(onConnect).size).toBeGreaterThan(1);
    node.realtime.hub.shutdown({ reconnectAfter: 2 });
    for (const s of streams) await s.ended;
    const onShutdown = streams.map((s) => s.retries.at(-1)!);
    for (const r of onShutdown) expect(r >= 1_000 && r <= 3_000).toBe(true);
    expect(new Set(onShutdown).size).toBeGreaterThan(1);
    // The notice itself still says 2 s.
    for (const s of streams) expect(s.events.find((e) => e.event === "disconnecting")?.json.reconnectAfter).toBe(2);
  });
});
