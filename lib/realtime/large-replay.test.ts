/**
 * Replay at any size (docs/contracts.md#recovery): a screen that missed 5,000 orders (several
 * MiB) resumes — the replay is paced by the client (drain), not queued against the slow-consumer
 * bound — from the log and from the hub's memory window; a replay past REPLAY_MAX_EVENTS
 * answers REPLAY_TOO_LARGE; and a client looping replays on /ws cannot starve other requests.
 */
import { spawn } from "node:child_process";
import http from "node:http";
import path from "node:path";
import { createParser } from "eventsource-parser";
import { afterAll, beforeAll, expect, it } from "vitest";
import { login } from "../auth";
import { bulkOrderEvents } from "../testing/bulk";
import { describeEachDatabase } from "../testing/each-database";
import { makePartner, makeToken, makeUser, placeOrder, type TestPartner } from "../testing/fixtures";
import { startTestNode, type TestNode } from "../testing/node";

const ATTACKER = path.resolve(import.meta.dirname, "../testing/scripts/ws-replay-loop.mjs");

type Frame = { id?: string; event?: string; data: string };

/** A client that does not read for `stallMs` after the headers (a tablet waking up), then reads everything. */
function slowClient(url: string, token: string, stallMs: number) {
  const frames: Frame[] = [];
  let bytes = 0;
  let ended = false;
  const req = http.get(url, { headers: { authorization: `Bearer ${token}`, accept: "text/event-stream" } });
  const ready = new Promise<number>((resolve, reject) => {
    req.on("error", reject);
    req.on("response", (res) => {
      resolve(res.statusCode ?? 0);
      res.pause();
      res.on("close", () => (ended = true));
      setTimeout(() => {
        const parser = createParser({ onEvent: (e) => frames.push({ id: e.id, event: e.event, data: e.data }) });
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          bytes += Buffer.byteLength(chunk);
          parser.feed(chunk);
        });
        res.resume();
      }, stallMs);
    });
  });
  return {
    ready,
    frames,
    bytes: () => bytes,
    ended: () => ended,
    close: () => req.destroy(),
    async waitFor(predicate: (f: Frame[]) => boolean, ms = 20_000) {
      const deadline = Date.now() + ms;
      while (!predicate(frames)) {
        if (Date.now() > deadline || ended) throw new Error(`gave up (ended=${ended}) after ${frames.length} frames`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };
}

describeEachDatabase("large replays", (ctx) => {
  let demo: TestPartner;
  let token: string;
  let cookie: string;
  const nodes: TestNode[] = [];
  const node = async (opts: Partial<Parameters<typeof startTestNode>[0]> = {}) => {
    const n = await startTestNode({ db: ctx.db, ...opts });
    nodes.push(n);
    return n;
  };

  beforeAll(async () => {
    demo = await makePartner(ctx.db, "demo");
    token = (await makeToken(ctx.db, { partnerId: demo.partner.id, role: "operator" })).token;
    await makeUser(ctx.db, { partnerId: demo.partner.id, role: "operator", username: "op" });
    cookie = `pass_session=${(await login({ db: ctx.db, username: "op", password: "fixture-pass-4821" })).sessionToken}`;
  });
  afterAll(async () => {
    for (const n of nodes) await n.close();
  });

  it.each([
    ["the log (a node that just started)", "log"],
    ["the hub's memory window", "memory"],
  ] as const)("a screen that missed 5,000 orders resumes from %s, complete and in order, then live", async (_name, source) => {
    // The memory window must hold the range; the "log" node starts after the writes.
    const early = source === "memory" ? await node({ recentCapacity: 8_192, gapCheckMs: 200 }) : null;
    const from = early ? early.realtime.hub.lastId : 0;
    const { first, last } = await bulkOrderEvents(ctx.db, demo, 5_000);
    if (early) {
      early.realtime.hub.resync();
      const deadline = Date.now() + 10_000;
      while (early.realtime.hub.lastId < last && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    }
    const n = early ?? (await node());
    const position = Math.max(from, first - 1);
    const started = Date.now();
    const client = slowClient(`${n.url}/api/events/cashier?lastEventId=${position}`, token, 500);
    expect(await client.ready).toBe(200);
    await client.waitFor((f) => f.some((x) => x.event === "replay-complete"));
    const took = Date.now() - started;
    const replayed = client.frames.filter((f) => f.event === "new-order").map((f) => Number(f.id));
    expect(client.frames.find((f) => f.event === "replay-start")!.data).toContain('"missedEvents":5000');
    expect(replayed).toEqual(Array.from({ length: 5_000 }, (_, i) => first + i));
    console.log(`resume of 5,000 missed orders from ${source}: ${took} ms, ${(client.bytes() / 1048576).toFixed(1)} MiB`);
    expect(client.bytes()).toBeGreaterThan(4 * 1024 * 1024); // several MiB: far past the 512 KiB live bound
    // Live again: the next order arrives once.
    const next = await placeOrder(ctx.db, demo);
    await client.waitFor((f) => f.some((x) => x.event === "new-order" && JSON.parse(x.data).id === next.order.id), 5_000);
    expect(client.ended()).toBe(false);
    client.close();
  });

  it("a replay longer than REPLAY_MAX_EVENTS answers REPLAY_TOO_LARGE, then goes live", async () => {
    const n = await node({ replayMaxEvents: 1_000 });
    const top = n.realtime.hub.lastId;
    const client = slowClient(`${n.url}/api/events/cashier?lastEventId=${top - 2_000}`, token, 0);
    expect(await client.ready).toBe(200);
    await client.waitFor((f) => f.some((x) => x.event === "connected"));
    expect(client.frames[0]).toMatchObject({ event: "replay-failed" });
    expect(JSON.parse(client.frames[0]!.data)).toMatchObject({ reason: "REPLAY_TOO_LARGE" });
    const next = await placeOrder(ctx.db, demo);
    await client.waitFor((f) => f.some((x) => x.event === "new-order" && JSON.parse(x.data).id === next.order.id), 5_000);
    client.close();
  });

  // The latency under this load is logged, not asserted: a timed unit test fails on a busy machine
  // and proves nothing on an idle one (benches compare against a baseline in the same run). What
  // keeps the server responsive is asserted: the replay budget runs out and later replays are refused.
  it("ten sockets looping replays on /ws are stopped by the replay budget while the server keeps answering", async () => {
    await bulkOrderEvents(ctx.db, demo, 10_000);
    const n = await node({ wsLimits: { perIp: 50, attemptsPerMinute: 1_000 } });
    const top = n.realtime.hub.lastId;
    // The attacker in a process of its own, as it would be.
    const attacker = spawn(process.execPath, [ATTACKER, `${n.url.replace("http", "ws")}/ws`, cookie, String(top - 9_000), "10", "4"], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    attacker.stdout.on("data", (d) => (out += d));
    const exited = new Promise<void>((r) => attacker.on("exit", () => r()));
    await new Promise((r) => setTimeout(r, 300));
    const latencies: number[] = [];
    const until = Date.now() + 3_500;
    while (Date.now() < until) {
      const t0 = performance.now();
      await new Promise<void>((resolve, reject) =>
        http.get(`${n.url}/health-probe`, (res) => res.resume().on("end", () => resolve())).on("error", reject),
      );
      latencies.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 20));
    }
    await exited;
    const seen = JSON.parse(out.trim()) as { replayFailed: number; subscribed: number; events: number };
    latencies.sort((a, b) => a - b);
    const p99 = latencies[Math.floor(latencies.length * 0.99)]!;
    console.log(
      `/ws replay loop: probe p99 ${p99.toFixed(1)} ms over ${latencies.length} probes; ${seen.subscribed} subscribes, ${seen.events} events replayed, ${seen.replayFailed} replays refused`,
    );
    expect(latencies.length).toBeGreaterThan(10); // it kept answering throughout
    // The principal's budget (5 × REPLAY_MAX_EVENTS a minute) ran out: later replays were refused, not served.
    expect(seen.replayFailed).toBeGreaterThan(0);
    expect(seen.events).toBeLessThanOrEqual(5 * 10_000);
  });
});
