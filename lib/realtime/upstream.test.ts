/**
 * Upstream mode against a seeds/003 POS written here: real sockets both ways.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDb } from "../testing/db";
import { useTestDb } from "../testing/each-database";
import { makePartner, makeToken } from "../testing/fixtures";
import { startTestNode, type TestNode } from "../testing/node";
import { logEvents, openSse } from "../testing/sse-client";
import { formatFrame } from "./sse";
import { mapStatus } from "./upstream";

const UPSTREAM_TOKEN = "upstream-secret-token";

type Upstream = {
  url: string;
  requests: { path: string; authorization?: string; lastEventId?: string }[];
  mode: "ok" | number;
  total: number;
  dropEvery: number;
  close(): Promise<void>;
};

/** A POS that speaks seeds/003: bearer auth, numbered events, and it drops streams on purpose. */
async function startUpstream(): Promise<Upstream> {
  const up: Upstream = { url: "", requests: [], mode: "ok", total: 30, dropEvery: 7, close: async () => {} };
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "").split("?")[0]!;
    up.requests.push({ path, authorization: req.headers.authorization, lastEventId: req.headers["last-event-id"] as string | undefined });
    if (req.headers.authorization !== `Bearer ${UPSTREAM_TOKEN}`) {
      res.writeHead(401).end();
      return;
    }
    if (up.mode !== "ok") {
      res.writeHead(up.mode, { "content-type": "application/json" }).end('{"error":"upstream says no"}');
      return;
    }
    const channel = /^\/events\/(\w+)$/.exec(path)?.[1];
    if (!channel || !["cashier", "display", "printer"].includes(channel)) {
      res.writeHead(400).end();
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    res.write(": keep-alive\n\n");
    let next = Number(req.headers["last-event-id"] ?? 0) + 1;
    let sentHere = 0;
    const timer = setInterval(() => {
      if (next > up.total) return;
      const payload = { displayCode: `A${String(next).padStart(2, "0")}`, ticketNumber: next, id: next };
      // Write a frame in two pieces to make the proxy reassemble it.
      const frame = formatFrame({ id: next, event: "confirmed-order", data: JSON.stringify(payload) });
      res.write(frame.slice(0, 10));
      res.write(frame.slice(10));
      next++;
      if (++sentHere >= up.dropEvery) {
        clearInterval(timer);
        res.destroy(); // the POS drops the stream mid-service
      }
    }, 5);
    req.on("close", () => clearInterval(timer));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  up.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  up.close = () => new Promise((r) => (server.closeAllConnections(), server.close(() => r())));
  return up;
}

describe("upstream mode", () => {
  const db = useTestDb("sqlite");
  let t: TestDb;
  let up: Upstream;
  let node: TestNode;
  let operatorToken: string;
  let printerToken: string;

  beforeAll(async () => {
    t = db.t;
    const demo = await makePartner(t.db, "demo");
    operatorToken = (await makeToken(t.db, { partnerId: demo.partner.id, role: "operator" })).token;
    printerToken = (await makeToken(t.db, { partnerId: demo.partner.id, role: "printer" })).token;
    up = await startUpstream();
    node = await startTestNode({ db: t.db, upstream: { url: up.url, token: UPSTREAM_TOKEN }, publishLocalCommits: false });
  });
  afterAll(async () => {
    await node?.close();
    await up?.close();
  });

  it("relays the upstream's events exactly once, in order, resuming by Last-Event-ID when it drops", async () => {
    up.requests.length = 0;
    const conn = await openSse(`${node.url}/api/events/cashier`, { headers: { authorization: `Bearer ${operatorToken}` } });
    expect(conn.status).toBe(200);
    expect(conn.headers["cache-control"]).toBe("no-cache, no-transform");
    await conn.waitFor((e) => logEvents(e).length >= up.total, 15_000);
    const events = logEvents(conn.events);
    expect(events.map((e) => Number(e.id))).toEqual(Array.from({ length: up.total }, (_, i) => i + 1));
    expect(events.every((e) => e.event === "confirmed-order")).toBe(true);
    expect(events[0]!.json).toEqual({ displayCode: "A01", ticketNumber: 1, id: 1 });
    // The proxy reconnected after each drop, from the last id it relayed.
    // (The POS drops mid-write, so the last frame before a drop may be lost on the wire and resent.)
    const resumes = up.requests.filter((r) => r.lastEventId !== undefined).map((r) => Number(r.lastEventId));
    expect(resumes.length).toBeGreaterThanOrEqual(4);
    expect(resumes).toEqual([...resumes].sort((a, b) => a - b));
    expect(resumes.every((id) => id >= 1 && id < up.total)).toBe(true);
    expect(up.requests.every((r) => r.authorization === `Bearer ${UPSTREAM_TOKEN}`)).toBe(true);
    // The browser never sees the upstream token.
    expect(conn.body).not.toContain(UPSTREAM_TOKEN);
    expect(JSON.stringify(conn.headers)).not.toContain(UPSTREAM_TOKEN);
    conn.cut();
  });

  it("passes the client's Last-Event-ID to the upstream on connect", async () => {
    up.requests.length = 0;
    const conn = await openSse(`${node.url}/events/display`, {
      headers: { authorization: `Bearer ${operatorToken}`, "last-event-id": "25" },
    });
    await conn.waitFor((e) => logEvents(e).length >= 5, 10_000);
    expect(logEvents(conn.events).map((e) => e.id)).toEqual(["26", "27", "28", "29", "30"]);
    expect(up.requests[0]!.lastEventId).toBe("25");
    conn.cut();
  });

  it("checks the signed-in user before asking the upstream", async () => {
    up.requests.length = 0;
    const refused = await openSse(`${node.url}/api/events/cashier`, { headers: { authorization: `Bearer ${printerToken}` } });
    expect(refused.status).toBe(403);
    const anonymous = await openSse(`${node.url}/api/events/cashier`);
    expect(anonymous.status).toBe(401);
    expect(up.requests).toHaveLength(0);
  });

  it.each([
    [401, 401],
    [403, 403],
    [400, 400],
    [500, 502],
    [503, 502],
  ])("an upstream %i is answered %i", async (upstreamStatus, expected) => {
    up.mode = upstreamStatus;
    try {
      const conn = await openSse(`${node.url}/api/events/printer`, { headers: { authorization: `Bearer ${operatorToken}` } });
      expect(conn.status).toBe(expected);
      await conn.ended;
      expect(JSON.parse(conn.body).error.code).toBe("UPSTREAM_ERROR");
      expect(conn.body).not.toContain(UPSTREAM_TOKEN);
    } finally {
      up.mode = "ok";
    }
  });

  it("an unreachable upstream is a 502", async () => {
    const dead = await startTestNode({
      db: t.db,
      upstream: { url: "http://127.0.0.1:9", token: UPSTREAM_TOKEN },
      publishLocalCommits: false,
    });
    try {
      const conn = await openSse(`${dead.url}/api/events/cashier`, { headers: { authorization: `Bearer ${operatorToken}` } });
      expect(conn.status).toBe(502);
      await conn.ended;
      expect(JSON.parse(conn.body).error.code).toBe("UPSTREAM_UNAVAILABLE");
    } finally {
      await dead.close();
    }
  });

  it("maps statuses in one place", () => {
    expect([400, 401, 403, 404, 429, 500, 504].map(mapStatus)).toEqual([400, 401, 403, 404, 502, 502, 502]);
  });
});
