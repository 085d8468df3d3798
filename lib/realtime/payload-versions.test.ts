/**
 * Events stored by an earlier release still replay on every channel (docs/architecture.md,
 * "Event payloads"). The test writes, next to each event of a real service, a copy in the
 * version-1 shape exactly as commit 127196a stored it (no payloadVersion written, so the
 * column's default 1; reprints flat; orders without the fields later migrations added), then
 * replays the whole range on every channel — from the hub's memory and, on a fresh node, from
 * the log — and requires each old copy to render exactly as its original.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import WebSocket from "ws";
import { login, type Principal } from "../auth";
import { readEvents, type LoggedEvent } from "../events/log";
import { updateFood } from "../menu";
import { EVENT_PAYLOAD_VERSION } from "../orders/events";
import { changeStatus, confirmOrder, createOrder, reprintOrder } from "../orders";
import { CHANNELS } from "../auth";
import type { TestDb } from "../testing/db";
import { describeEachDatabase } from "../testing/each-database";
import { makePartner, makeToken, makeUser } from "../testing/fixtures";
import { startTestNode, type TestNode } from "../testing/node";
import { openSse } from "../testing/sse-client";

/** The version-1 payload of an event, as 127196a wrote it. */
function asVersion1(event: LoggedEvent): unknown {
  if (event.type === "food.updated") return event.payload;
  const { reprint, order, ...rest } = event.payload as {
    reprint?: { orderItemIds: string[]; receipt: boolean };
    order: Record<string, unknown>;
  };
  const {
    kitchenAckAt: _a,
    kitchenAlertAt: _b,
    courierLocation: _c,
    // Version 3 (the menu model): none of these existed either.
    serviceType: _d,
    promisedAt: _e,
    allergies: _f,
    allergyAlert: _g,
    allergyAckAt: _h,
    allergyAckBy: _i,
    // Version 4 (the station workflow).
    fireAt: _j,
    expoConfirms: _k,
    expoBumpedAt: _l,
    parts: _p,
    // Version 5 (payments): an old order paid its whole total with paymentMethod.
    payments: _q,
    orderItems,
    ...rest1
  } = order;
  const oldOrder = {
    ...rest1,
    orderItems: (orderItems as Record<string, unknown>[]).map(({ modifiers: _m, allergens: _n, course: _o, ...i }) => i),
  };
  return event.type === "order.reprinted"
    ? { ...rest, order: oldOrder, orderItemIds: reprint!.orderItemIds, receipt: reprint!.receipt }
    : { ...rest, order: oldOrder };
}

/** activeTimer ticks with the clock; the shape is what is compared. */
const normalize = (data: unknown) =>
  JSON.parse(
    JSON.stringify(data, (k, v) => {
      if (VOLATILE.has(k)) return "…";
      if (k === "parts" && Array.isArray(v)) return v.map((p) => ({ ...p, id: "…" }));
      return v;
    }),
  );
/**
 * Line parts (version 4) did not exist before: an old event gets one per line in the state its
 * order's status implied, with made-up ids and the status's time; who did what is unknown.
 */
const VOLATILE = new Set(["activeTimer", "timestamp", "firedAt", "startedAt", "startedBy", "doneAt", "doneBy"]);

describeEachDatabase("old event payloads", (ctx) => {
  let t: TestDb;
  let node: TestNode;
  let fresh: TestNode;
  let operator: Principal;
  let token: string;
  let cookie: string;
  let from = 0;
  let lastOriginal = 0;
  const copies = new Map<number, number>(); // copy id → original id

  beforeAll(async () => {
    t = ctx.t;
    const demo = await makePartner(t.db, "demo");
    operator = (await makeUser(t.db, { partnerId: demo.partner.id, role: "operator", username: "op" })).principal;
    token = (await makeToken(t.db, { partnerId: demo.partner.id, role: "operator" })).token;
    cookie = `pass_session=${(await login({ db: t.db, username: "op", password: "fixture-pass-4821" })).sessionToken}`;
    node = await startTestNode({ db: t.db, gapCheckMs: 200 });
    from = node.realtime.hub.lastId;

    // A small service: every event type a channel shows.
    const { order } = await createOrder({
      db: t.db,
      principal: null,
      input: {
        partner: "demo",
        table: "4",
        customer: "Ada",
        items: [{ foodId: demo.food("Margherita").id, quantity: 2, notes: "no basil" }],
      },
    });
    const confirmed = await confirmOrder({ db: t.db, principal: operator, id: order.id, input: { paymentMethod: "CARD", discount: "1" } });
    await reprintOrder({ db: t.db, principal: operator, id: order.id, orderItemIds: [confirmed.orderItems[0]!.id], receipt: true });
    await changeStatus({ db: t.db, principal: operator, id: order.id, status: "PREPARING" });
    await changeStatus({ db: t.db, principal: operator, id: order.id, status: "READY" });
    await updateFood({ db: t.db, principal: operator, id: demo.food("Fries").id, patch: { price: "4.9" } });
    await node.realtime.hub.idle();

    const originals = await readEvents({ db: t.db, afterId: from, limit: 1000 });
    lastOriginal = originals.at(-1)!.id;
    expect(originals.map((e) => e.version)).toEqual(originals.map(() => EVENT_PAYLOAD_VERSION));
    for (const e of originals) {
      // The old writer: no payloadVersion column value, the old shape.
      const id = await t.db.transaction().execute(async (trx) => {
        const { lastEventId } = await trx
          .updateTable("logMeta")
          .set((eb) => ({ lastEventId: eb("lastEventId", "+", 1) }))
          .where("id", "=", 1)
          .returning("lastEventId")
          .executeTakeFirstOrThrow();
        await trx
          .insertInto("events")
          .values({
            id: Number(lastEventId),
            partnerId: e.partnerId,
            type: e.type,
            orderId: e.orderId,
            payload: JSON.stringify(asVersion1(e)),
            createdAt: e.createdAt,
          })
          .execute();
        return Number(lastEventId);
      });
      copies.set(id, e.id);
    }
    // The copies reach this node's hub through its gap check (read from the log, version 1).
    const deadline = Date.now() + 5_000;
    while (node.realtime.hub.lastId < Math.max(...copies.keys()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const stored = await readEvents({ db: t.db, afterId: lastOriginal, limit: 1000 });
    expect(stored.map((e) => e.version)).toEqual(stored.map(() => 1));
    fresh = await startTestNode({ db: t.db });
  });
  afterAll(async () => {
    await fresh?.close();
    await node?.close();
  });

  const channels = [...CHANNELS.map((c) => `/api/events/${c}`), ...CHANNELS.map((c) => `/api/events/${c}?view=pass`), "/v1/orders/live"];

  for (const source of ["the hub's memory", "the log (fresh node)"] as const) {
    it.each(channels)(`%s replays old payloads exactly as new ones, from ${source}`, async (path) => {
      const base = source === "the hub's memory" ? node.url : fresh.url;
      const conn = await openSse(`${base}${path}${path.includes("?") ? "&" : "?"}lastEventId=${from}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(conn.status).toBe(200);
      const events = await conn.waitFor((es) => es.some((e) => e.event === "replay-complete"));
      conn.cut();
      const frames = events.filter((e) => e.id !== undefined && !e.event.startsWith("replay-") && e.event !== "connected");
      const originals = frames.filter((e) => Number(e.id) <= lastOriginal);
      const old = frames.filter((e) => Number(e.id) > lastOriginal);
      expect(originals.length).toBeGreaterThan(0);
      expect(old.map((e) => copies.get(Number(e.id)))).toEqual(originals.map((e) => Number(e.id)));
      for (const [i, e] of old.entries()) {
        expect({ event: e.event, data: normalize(e.json) }).toEqual({ event: originals[i]!.event, data: normalize(originals[i]!.json) });
      }
    });

    it(`/ws replays old payloads exactly as new ones, from ${source}`, async () => {
      const base = source === "the hub's memory" ? node.url : fresh.url;
      const ws = new WebSocket(`${base.replace("http", "ws")}/ws`, { headers: { cookie } });
      const messages: Record<string, any>[] = [];
      ws.on("message", (data) => messages.push(JSON.parse(data.toString())));
      await new Promise<void>((resolve, reject) => {
        ws.once("open", () => resolve());
        ws.once("error", reject);
      });
      const topics = ["order_changes", "product_changes", "transaction_changes"];
      for (const channel of topics) ws.send(JSON.stringify({ type: "subscribe", channel, offset: from }));
      const deadline = Date.now() + 5_000;
      while (messages.filter((m) => m.type === "subscribed").length < topics.length && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 10));
      }
      ws.close();
      const events = messages.filter((m) => m.event);
      const originals = events.filter((m) => m.id <= lastOriginal);
      const old = events.filter((m) => m.id > lastOriginal);
      expect(originals.length).toBeGreaterThan(3);
      const key = (m: Record<string, any>, id: number) => `${id}:${m.event}:${JSON.stringify(m.data)}`;
      expect(old.map((m) => key(m, copies.get(m.id)!)).sort()).toEqual(originals.map((m) => key(m, m.id)).sort());
    });
  }
});
