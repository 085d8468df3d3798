/**
 * The guests' live menu channel, GET /api/events/menu?partner=SLUG (lib/projections/menu.ts),
 * against a real HTTP listener on each database (SQLite with the in-process bus, PostgreSQL with
 * Redis): anonymous, one partner's menu events only (never orders, never another partner's),
 * only public fields, resumable by Last-Event-ID, opens limited per client address.
 */
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import type { Principal } from "../auth";
import { logPosition, readEvents } from "../events/log";
import { createLimits, setLimits } from "../limits";
import { archiveFood, createFood, createGroup, setAvailability, updateFood } from "../menu";
import { CHANNEL_EVENT_TYPES } from "../projections";
import { requireServices } from "../testing/db";
import { describeEachDatabase } from "../testing/each-database";
import { makePartner, makeToken, makeUser, placeOrder, type TestPartner } from "../testing/fixtures";
import { startTestNode, type TestNode } from "../testing/node";
import { logEvents, openSse } from "../testing/sse-client";

type Adapter = { label: string; dialect: "sqlite" | "postgres"; bus: "memory" | "redis"; skip: string | null };

function adapters(): Adapter[] {
  const pg = process.env.DATABASE_URL;
  const redis = process.env.REDIS_URL;
  if (requireServices() && (!pg || !redis)) throw new Error("REQUIRE_SERVICES=1 needs DATABASE_URL and REDIS_URL");
  return [
    { label: "memory adapter on sqlite", dialect: "sqlite", bus: "memory", skip: null },
    {
      label: pg && redis ? "redis adapter on postgres" : "redis adapter on postgres (SKIPPED: set DATABASE_URL and REDIS_URL)",
      dialect: "postgres",
      bus: "redis",
      skip: pg && redis ? null : "services not configured",
    },
  ];
}

/** Everything a guest's GET /api/menu shows of a food; a frame carries nothing else. */
const PUBLIC_FOOD_KEYS = [
  "id",
  "name",
  "price",
  "surcharge",
  "category",
  "categoryId",
  "description",
  "imageUrl",
  "allergens",
  "available",
  "availableAgainAt",
  "position",
  "modifierGroupIds",
];

describeEachDatabase(
  "the menu channel, $label",
  (ctx) => {
    let node: TestNode;
    let demo: TestPartner;
    let other: TestPartner;
    let operator: Principal;
    let otherOperator: Principal;
    let operatorToken: string;

    beforeAll(async () => {
      const db = ctx.db;
      demo = await makePartner(db, "demo");
      other = await makePartner(db, "other");
      operator = (await makeUser(db, { partnerId: demo.partner.id, role: "operator", username: "op" })).principal;
      otherOperator = (await makeUser(db, { partnerId: other.partner.id, role: "operator", username: "op2" })).principal;
      operatorToken = (await makeToken(db, { partnerId: demo.partner.id, role: "operator" })).token;
      node = await startTestNode({ db, redisUrl: ctx.target.bus === "redis" ? process.env.REDIS_URL! : null, gapCheckMs: 500 });
    });
    afterAll(async () => {
      await node?.close();
    });
    afterEach(() => setLimits(undefined));

    const top = async () => (await logPosition({ db: ctx.db })).lastEventId;
    /** What the channel must show of demo's log in (after, upto]: its menu events, in order. */
    const expectedIds = async (after: number, upto: number) =>
      (
        await readEvents({
          db: ctx.db,
          partnerId: demo.partner.id,
          afterId: after,
          uptoId: upto,
          types: CHANNEL_EVENT_TYPES.menu,
          limit: 10_000,
        })
      ).map((e) => String(e.id));

    /** One of each menu change on demo, an order on demo and a change on the other partner. */
    async function changeEverything() {
      const db = ctx.db;
      const fries = demo.food("Fries");
      await updateFood({ db, principal: operator, id: fries.id, patch: { price: "4.9" } });
      await setAvailability({ db, principal: operator, target: { kind: "food", id: fries.id }, available: false });
      await placeOrder(db, demo, { items: [{ food: "Margherita", quantity: 1 }] });
      const created = await createFood({
        db,
        principal: operator,
        input: { partner: "demo", name: "Tiramisu", price: "6", categoryId: demo.food("Lemonade").categoryId!, station: "bar" },
      });
      await createGroup({
        db,
        principal: operator,
        input: { partner: "demo", name: "Size", min: 1, max: 1, options: [{ name: "Large" }] },
      });
      await archiveFood({ db, principal: operator, id: created.id });
      await updateFood({ db, principal: otherOperator, id: other.food("Fries").id, patch: { price: "9" } });
      await setAvailability({ db, principal: operator, target: { kind: "food", id: fries.id }, available: true });
      return created;
    }

    it("anonymous: connected on the menu channel, then demo's menu events only — no orders, no other partner", async () => {
      const from = await top();
      const conn = await openSse(`${node.url}/api/events/menu?partner=demo`);
      expect(conn.status).toBe(200);
      expect(conn.headers["content-type"]).toBe("text/event-stream; charset=utf-8");
      await conn.waitFor((e) => e.some((x) => x.event === "connected"));
      expect(conn.events[0]!.json).toMatchObject({ channel: "menu", lastEventId: expect.any(Number) });
      const tiramisu = await changeEverything();
      const expected = await expectedIds(from, await top());
      // price, sold out, created, group created, archived, back on: at least 6 of demo's events
      expect(expected.length).toBeGreaterThanOrEqual(6);
      await conn.waitFor((e) => logEvents(e).length >= expected.length);
      await new Promise((r) => setTimeout(r, 200)); // nothing more arrives (no order, no other partner)
      const got = logEvents(conn.events);
      expect(got.map((e) => e.id)).toEqual(expected);
      expect(new Set(got.map((e) => e.event))).toEqual(new Set(["menu-changed"]));
      const frames = got.map((e) => e.json);
      for (const f of frames) {
        expect(["food.created", "food.updated", "food.archived", "menu.changed"]).toContain(f.type);
        if (f.food) expect(PUBLIC_FOOD_KEYS).toEqual(expect.arrayContaining(Object.keys(f.food)));
        // never the order, the station or the prep target
        expect(JSON.stringify(f)).not.toMatch(/"(order|station|prepMinutes|trackingToken|customer)"/);
      }
      const fries = demo.food("Fries").id;
      expect(frames).toContainEqual({ type: "food.updated", entity: "food", id: fries, food: expect.objectContaining({ price: "4.9" }) });
      expect(frames).toContainEqual(
        expect.objectContaining({ type: "food.updated", id: fries, food: expect.objectContaining({ available: false }) }),
      );
      expect(frames).toContainEqual(
        expect.objectContaining({ type: "food.created", id: tiramisu.id, food: expect.objectContaining({ name: "Tiramisu" }) }),
      );
      expect(frames).toContainEqual({ type: "food.archived", entity: "food", id: tiramisu.id });
      expect(frames).toContainEqual(expect.objectContaining({ type: "menu.changed", entity: "group", action: "created" }));
      expect(frames.some((f) => f.id === other.food("Fries").id)).toBe(false);
      conn.cut();
    });

    it("resumes with Last-Event-ID: the missed menu events, in order, then live", async () => {
      const first = await openSse(`${node.url}/api/events/menu?partner=demo`);
      await first.waitFor((e) => e.some((x) => x.event === "connected"));
      const position = String(first.events[0]!.json.lastEventId);
      first.cut();
      const from = Number(position);
      await changeEverything();
      const expected = await expectedIds(from, await top());
      const resumed = await openSse(`${node.url}/api/events/menu?partner=demo`, { headers: { "last-event-id": position } });
      await resumed.waitFor((e) => e.some((x) => x.event === "replay-complete"));
      expect(logEvents(resumed.events).map((e) => e.id)).toEqual(expected);
      const before = logEvents(resumed.events).length;
      await updateFood({ db: ctx.db, principal: operator, id: demo.food("Lemonade").id, patch: { price: "3.6" } });
      await resumed.waitFor((e) => logEvents(e).length === before + 1);
      expect(logEvents(resumed.events).at(-1)!.json).toMatchObject({ type: "food.updated", food: { price: "3.6" } });
      resumed.cut();
    });

    it("bad input: no partner 400 naming it, an unknown partner 404 naming it, a control character 400", async () => {
      for (const [query, status] of [
        ["", 400],
        ["?partner=", 400],
        ["?partner=nope", 404],
        ["?partner=de%01mo", 400],
      ] as const) {
        const conn = await openSse(`${node.url}/api/events/menu${query}`);
        expect(conn.status, query).toBe(status);
        await conn.ended;
        expect(JSON.parse(conn.body).error.details.field, query).toBe("partner");
      }
      // An unknown channel still names the channel, and lists the public one among the known.
      const bad = await openSse(`${node.url}/api/events/menus?partner=demo`);
      expect(bad.status).toBe(400);
      await bad.ended;
      expect(JSON.parse(bad.body).error).toMatchObject({ details: { field: "channel" }, message: expect.stringContaining("menu") });
    });

    it("staff credentials change nothing: the same public frames, still one partner", async () => {
      const from = await top();
      const conn = await openSse(`${node.url}/api/events/menu?partner=demo`, { headers: { authorization: `Bearer ${operatorToken}` } });
      expect(conn.status).toBe(200);
      await conn.waitFor((e) => e.some((x) => x.event === "connected"));
      await placeOrder(ctx.db, demo, { items: [{ food: "Margherita", quantity: 1 }] });
      await updateFood({ db: ctx.db, principal: operator, id: demo.food("Lemonade").id, patch: { price: "3.7" } });
      const expected = await expectedIds(from, await top());
      expect(expected).toHaveLength(1);
      await conn.waitFor((e) => logEvents(e).length >= 1);
      await new Promise((r) => setTimeout(r, 150));
      expect(logEvents(conn.events).map((e) => e.id)).toEqual(expected);
      conn.cut();
    });

    it("opens are limited per client address: 429 with Retry-After past the limit", async () => {
      setLimits(createLimits({ rules: { "streams:anonymous": { points: 3, durationS: 60 } } }));
      for (let i = 0; i < 3; i++) {
        const ok = await openSse(`${node.url}/api/events/menu?partner=demo`);
        expect(ok.status).toBe(200);
        ok.cut();
      }
      const refused = await openSse(`${node.url}/api/events/menu?partner=demo`);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
      await refused.ended;
      expect(JSON.parse(refused.body).error.code).toBe("RATE_LIMITED");
    });
  },
  { targets: adapters() },
);
