/**
 * Two deployments on one Redis stay apart, and a message nobody in this deployment sent changes
 * nothing (docs/architecture.md, "Fan-out across nodes"). Redis pub/sub ignores the database
 * number: channels carry a prefix (default: derived from the log's epoch), hints carry the
 * epoch, and a hint only makes the hub read its own log — never deliver what the message says.
 */
import { Redis } from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { login } from "../auth";
import { logPosition } from "../events/log";
import { openTestDb, requireServices, type TestDb } from "../testing/db";
import { describeEachDatabase } from "../testing/each-database";
import { makePartner, makeUser, placeOrder } from "../testing/fixtures";
import { startTestNode, type TestNode } from "../testing/node";
import { logEvents, openSse } from "../testing/sse-client";
import { defaultRedisPrefix, tenantChannel } from "./bus";

const redisUrl = process.env.REDIS_URL ?? null;
if (requireServices() && !redisUrl) throw new Error("REQUIRE_SERVICES=1 needs REDIS_URL");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Deployment = { t: TestDb; node: TestNode; cookie: string; partner: Awaited<ReturnType<typeof makePartner>>; epoch: string };

describeEachDatabase("deployments on one Redis, $label", (ctx) => {
  const made: Deployment[] = [];
  let other: TestDb;
  let publisher: Redis;

  async function deployment(t: TestDb, name: string, redisPrefix: string | null = null): Promise<Deployment> {
    const partner = await makePartner(t.db, name);
    await makeUser(t.db, { partnerId: null, role: "admin", username: `admin-${name}` });
    const cookie = `pass_session=${(await login({ db: t.db, username: `admin-${name}`, password: "fixture-pass-4821" })).sessionToken}`;
    // A long gap check: only the bus (or its hints) can move these hubs during a test.
    const node = await startTestNode({ db: t.db, redisUrl, redisPrefix, gapCheckMs: 3_600_000 });
    const d = { t, node, cookie, partner, epoch: (await logPosition({ db: t.db })).epoch };
    made.push(d);
    return d;
  }

  beforeAll(async () => {
    other = await openTestDb(ctx.dialect);
    publisher = new Redis(redisUrl!);
  });
  afterAll(async () => {
    for (const d of made) await d.node.close();
    publisher?.disconnect();
    await other?.cleanup();
  });

  const adminStream = (d: Deployment) => openSse(`${d.node.url}/api/events/cashier`, { headers: { cookie: d.cookie } });

  it.each([
    ["default prefixes (from each log's epoch)", null],
    ["the same REDIS_PREFIX on both", `pass-test-${Math.random().toString(36).slice(2)}:`],
  ])("with %s, Y's admin stream sees none of X's orders and still gets its own", async (_name, prefix) => {
    const x = await deployment(ctx.t, `x${made.length}`, prefix);
    const y = await deployment(other, `y${made.length}`, prefix);
    expect(x.epoch).not.toBe(y.epoch);
    const onY = await adminStream(y);
    await onY.waitFor((e) => e.some((m) => m.event === "connected"));
    const yTop = y.node.realtime.hub.lastId;

    for (let i = 0; i < 5; i++) await placeOrder(x.t.db, x.partner);
    await sleep(300);
    expect(logEvents(onY.events)).toEqual([]);
    // Y's position is still Y's log's, not X's.
    expect(y.node.realtime.hub.lastId).toBe(yTop);

    const own = await placeOrder(y.t.db, y.partner);
    await onY.waitFor((e) => logEvents(e).length === 1);
    expect(logEvents(onY.events).map((e) => e.json.id)).toEqual([own.order.id]);
    onY.cut();
  });

  it("a forged PUBLISH on Y's channel moves nothing: Y delivers only what its log has", async () => {
    const y = await deployment(other, `f${made.length}`);
    const onY = await adminStream(y);
    await onY.waitFor((e) => e.some((m) => m.event === "connected"));
    const top = y.node.realtime.hub.lastId;
    const channel = tenantChannel(defaultRedisPrefix(y.epoch), y.partner.partner.id);
    const forged = [
      "not json",
      JSON.stringify({ epoch: y.epoch, node: "someone", id: top + 1000, partnerId: y.partner.partner.id }),
      JSON.stringify({ epoch: "other-epoch", node: "someone", id: top + 1, partnerId: y.partner.partner.id }),
      // The shape an earlier release published: a whole event with its payload.
      JSON.stringify({ id: top + 1, partnerId: y.partner.partner.id, type: "order.created", orderId: 1, payload: { order: { id: 1 } } }),
    ];
    for (const message of forged) expect(await publisher.publish(channel, message)).toBeGreaterThan(0);
    await sleep(300);
    await y.node.realtime.hub.idle();
    expect(y.node.realtime.hub.lastId).toBe(top);
    expect(logEvents(onY.events)).toEqual([]);

    // The next real order is delivered with its real id, nothing skipped.
    const real = await placeOrder(y.t.db, y.partner);
    await onY.waitFor((e) => logEvents(e).length === 1);
    expect(logEvents(onY.events).map((e) => e.json.id)).toEqual([real.order.id]);
    expect(y.node.realtime.hub.lastId).toBe((await logPosition({ db: y.t.db })).lastEventId);
    onY.cut();
  });
});
