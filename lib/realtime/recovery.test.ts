/**
 * One recovery table on all three transports (docs/contracts.md, "Recovery"): the SSE channels,
 * /v1/orders/live and /ws answer the same for the same position, then deliver the next live
 * event exactly once. On SQLite and on PostgreSQL, against a real listener.
 *
 * The node does not hear its own commits (publishLocalCommits: false, no gap timer): the test
 * moves the hub with `resync()`, which is how a node that is behind another one looks.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { login } from "../auth";
import { pruneEvents } from "../events/log";
import { createOrder } from "../orders";
import type { TestDb } from "../testing/db";
import { describeEachDatabase } from "../testing/each-database";
import { makePartner, makeToken, makeUser } from "../testing/fixtures";
import { startTestNode, type TestNode } from "../testing/node";
import { openSse, type ReceivedEvent } from "../testing/sse-client";

type Outcome = { failed: { reason: string; oldestAvailable: number } | null; replayed: number[]; live: number[] };
type Position = { from: number | null; epoch?: string };
type Who = { token: string; cookie: string };

/** Opens a stream at a position; `settled` = the join is over; `ids()` = log ids received so far. */
type Client = { settled: Promise<void>; outcome(): Outcome; close(): void };
type Transport = { name: string; open(node: TestNode, who: Who, at: Position): Promise<Client> };

const query = ({ from, epoch }: Position) =>
  [from !== null ? `lastEventId=${from}` : "", epoch ? `epoch=${encodeURIComponent(epoch)}` : ""].filter(Boolean).join("&");

function sseClient(url: string, token: string): Promise<Client> {
  return openSse(url, { headers: { authorization: `Bearer ${token}` } }).then((conn) => {
    if (conn.status !== 200) throw new Error(`HTTP ${conn.status}: ${conn.body}`);
    const settled = conn
      .waitFor(
        (es) =>
          es.some((e) => e.event === "connected") &&
          (!es.some((e) => e.event === "replay-start") || es.some((e) => e.event === "replay-complete")),
      )
      .then(() => undefined);
    return {
      settled,
      outcome: () => sseOutcome(conn.events),
      close: () => conn.cut(),
    };
  });
}

function sseOutcome(events: ReceivedEvent[]): Outcome {
  const failed = events.find((e) => e.event === "replay-failed");
  const complete = events.findIndex((e) => e.event === "replay-complete");
  const connected = events.findIndex((e) => e.event === "connected");
  const boundary = complete >= 0 ? complete : connected;
  const logIds = (list: ReceivedEvent[]) =>
    list
      .filter((e) => e.id !== undefined && !["replay-start", "replay-complete", "replay-failed", "connected"].includes(e.event))
      .map((e) => Number(e.id));
  return {
    failed: failed ? { reason: failed.json.reason, oldestAvailable: Number(failed.json.oldestAvailable) } : null,
    replayed: logIds(events.slice(0, boundary + 1)),
    live: logIds(events.slice(boundary + 1)),
  };
}

const TRANSPORTS: Transport[] = [
  {
    name: "SSE channel /api/events/cashier",
    open: (node, who, at) => sseClient(`${node.url}/api/events/cashier?${query(at)}`, who.token),
  },
  {
    name: "SSE /v1/orders/live (staff)",
    open: (node, who, at) => sseClient(`${node.url}/v1/orders/live?eventTypes=order-created&${query(at)}`, who.token),
  },
  {
    name: "WebSocket /ws order_changes",
    open: async (node, who, at) => {
      const ws = new WebSocket(`${node.url.replace("http", "ws")}/ws`, { headers: { cookie: who.cookie } });
      const messages: Record<string, any>[] = [];
      ws.on("message", (data) => messages.push(JSON.parse(data.toString())));
      await new Promise<void>((resolve, reject) => {
        ws.once("open", () => resolve());
        ws.once("error", reject);
      });
      ws.send(
        JSON.stringify({
          type: "subscribe",
          channel: "order_changes",
          ...(at.from !== null ? { offset: at.from } : {}),
          ...(at.epoch ? { epoch: at.epoch } : {}),
        }),
      );
      const settled = (async () => {
        const deadline = Date.now() + 10_000;
        while (!messages.some((m) => m.type === "subscribed")) {
          if (Date.now() > deadline) throw new Error(`no subscribed; got ${JSON.stringify(messages)}`);
          await new Promise((r) => setTimeout(r, 10));
        }
      })();
      return {
        settled,
        outcome: () => {
          const at = messages.findIndex((m) => m.type === "subscribed");
          const failed = messages.find((m) => m.type === "replay-failed");
          const ids = (list: Record<string, any>[]) => list.filter((m) => m.event === "order:created").map((m) => Number(m.id));
          return {
            failed: failed ? { reason: failed.reason, oldestAvailable: Number(failed.oldestAvailable) } : null,
            replayed: ids(messages.slice(0, at)),
            live: ids(messages.slice(at + 1)),
          };
        },
        close: () => ws.close(),
      };
    },
  },
];

type Scenario = {
  /** The orders of the case's partner, oldest first; the first ones pruned. */
  ids: number[];
  prunedThrough: number;
  top: number;
};

type Case = {
  name: string;
  /** Prepare the node (optional), return the client's position. */
  at(s: Scenario, ctx: { writeUnseen(): Promise<number[]> }): Promise<Position & { expect: (s: Scenario) => Omit<Outcome, "live"> }>;
};

const CASES: Case[] = [
  { name: "no position", at: async () => ({ from: null, expect: () => ({ failed: null, replayed: [] }) }) },
  {
    name: "middle",
    at: async (s) => ({ from: s.ids[3]!, expect: (s) => ({ failed: null, replayed: s.ids.slice(4) }) }),
  },
  { name: "equal to top", at: async (s) => ({ from: s.top, expect: () => ({ failed: null, replayed: [] }) }) },
  {
    name: "ahead of this node but known to the log",
    at: async (_s, { writeUnseen }) => {
      const unseen = await writeUnseen();
      return { from: unseen.at(-1)!, expect: () => ({ failed: null, replayed: [] }) };
    },
  },
  {
    name: "never issued",
    at: async (s) => ({
      from: s.top + 1000,
      expect: (s) => ({ failed: { reason: "EVENT_ID_UNKNOWN", oldestAvailable: s.prunedThrough + 1 }, replayed: [] }),
    }),
  },
  {
    name: "pruned",
    at: async (s) => ({
      from: s.ids[0]!,
      expect: (s) => ({ failed: { reason: "EVENT_ID_EXPIRED", oldestAvailable: s.prunedThrough + 1 }, replayed: [] }),
    }),
  },
  {
    name: "other epoch",
    at: async (s) => ({
      from: s.ids[3]!,
      epoch: "2020-01-01-deadbeef",
      expect: (s) => ({ failed: { reason: "EPOCH_CHANGED", oldestAvailable: s.prunedThrough + 1 }, replayed: [] }),
    }),
  },
];

describeEachDatabase("recovery table", (ctx) => {
  let t: TestDb;
  let node: TestNode;
  let n = 0;

  beforeAll(async () => {
    t = ctx.t;
    node = await startTestNode({
      db: t.db,
      publishLocalCommits: false,
      gapCheckMs: 3_600_000,
      wsLimits: { perIp: 50, attemptsPerMinute: 1000 },
    });
  });
  afterAll(async () => {
    await node?.close();
  });

  const caught = async () => {
    node.realtime.hub.resync();
    await node.realtime.hub.idle();
  };

  describe.each(TRANSPORTS)("$name", (transport) => {
    it.each(CASES)("$name, then the next live event exactly once", async (c) => {
      // A partner of its own per case: pruning marks and scopes are per partner.
      const slug = `r${++n}`;
      const p = await makePartner(t.db, slug);
      await makeUser(t.db, { partnerId: p.partner.id, role: "operator", username: `op-${slug}` });
      const { sessionToken } = await login({ db: t.db, username: `op-${slug}`, password: "fixture-pass-4821" });
      const who = {
        token: (await makeToken(t.db, { partnerId: p.partner.id, role: "operator" })).token,
        cookie: `pass_session=${sessionToken}`,
      };
      const place = async () =>
        (await createOrder({ db: t.db, principal: null, input: { partner: slug, items: [{ foodId: p.food("Fries").id, quantity: 1 }] } }))
          .order.id;

      const ids: number[] = [];
      for (let i = 0; i < 7; i++) ids.push(await place());
      // Keep the newest 4: the first three are pruned.
      await pruneEvents({ db: t.db, partnerId: p.partner.id, minAgeMs: 0, minPerPartner: 4 });
      await caught();
      const scenario: Scenario = { ids, prunedThrough: ids[2]!, top: node.realtime.hub.lastId };
      expect(node.realtime.hub.lastId).toBe(ids.at(-1));

      const position = await c.at(scenario, {
        // Committed to the log but not yet delivered by this node.
        writeUnseen: async () => [await place(), await place()],
      });
      const client = await transport.open(node, who, position);
      try {
        await client.settled;
        // Whatever this node had not delivered yet goes out now; then one new order.
        await caught();
        const next = await place();
        await caught();
        const deadline = Date.now() + 5_000;
        while (!client.outcome().live.includes(next) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
        await new Promise((r) => setTimeout(r, 50));

        const outcome = client.outcome();
        expect({ failed: outcome.failed, replayed: outcome.replayed }).toEqual(position.expect(scenario));
        // Live after the join: everything above the client's position that this node delivered
        // since, exactly once, in order — and for "ahead", nothing at or below its position.
        const above = position.from !== null && !outcome.failed ? position.from : scenario.top;
        expect(outcome.live.filter((id) => id !== next).every((id) => id > above)).toBe(true);
        expect(outcome.live.filter((id) => id === next)).toHaveLength(1);
        expect(outcome.live).toEqual([...new Set(outcome.live)].sort((a, b) => a - b));
      } finally {
        client.close();
      }
    });
  });
});
