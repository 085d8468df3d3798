/**
 * The realtime core against real HTTP listeners, real databases and (for the Redis adapter) a
 * real Redis: contracts, recovery, chaos, restart, two nodes, slow consumers, snapshot + tail.
 */
import net from "node:net";
import { HEAD, NEW_ORDER_ITEM, ORDER_LIST_DTO, PRINTER_ITEM, REPRINT_ITEM } from "../testing/contract-fields";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DbHandle } from "../db";
import type { Principal } from "../auth";
import { requireServices, type TestDb } from "../testing/db";
import { describeEachDatabase } from "../testing/each-database";
import { makePartner, makeToken, makeUser } from "../testing/fixtures";
import { logEvents, openSse, type ReceivedEvent } from "../testing/sse-client";
import { startTestNode, type TestNode } from "../testing/node";
import {
  changeStatus,
  confirmOrder,
  createOrder,
  listOrders,
  reprintOrder,
  toCashierNewOrder,
  toConfirmedOrderRef,
  toOrderDto,
  toPrinterConfirmedOrder,
  toPrinterReprintOrder,
} from "../orders";
import { RedisBus } from "./bus";
import { CHANNEL_EVENT_TYPES } from "../projections";
import { logPosition, pruneEvents, readEvents } from "../events/log";
import { mutate } from "../events";
import { login } from "../auth";

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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeEachDatabase(
  "realtime, $label",
  (ctx) => {
    const { bus: busKind, skip } = ctx.target;
    let t: TestDb;
    let node: TestNode;
    let demo: Awaited<ReturnType<typeof makePartner>>;
    let other: Awaited<ReturnType<typeof makePartner>>;
    let operator: Principal;
    let operatorToken: string;
    let otherToken: string;
    let printerToken: string;
    const redisUrl = process.env.REDIS_URL ?? null;

    const startNode = (db = t.db, extra: Parameters<typeof startTestNode>[0] extends infer P ? Partial<P> : never = {}) =>
      startTestNode({ db, redisUrl: busKind === "redis" ? redisUrl : null, gapCheckMs: 500, ...extra });

    beforeAll(async () => {
      t = ctx.t;
      demo = await makePartner(t.db, "demo");
      other = await makePartner(t.db, "other");
      operator = (await makeUser(t.db, { partnerId: demo.partner.id, role: "operator", username: "op" })).principal;
      operatorToken = (await makeToken(t.db, { partnerId: demo.partner.id, role: "operator" })).token;
      otherToken = (await makeToken(t.db, { partnerId: other.partner.id, role: "operator" })).token;
      printerToken = (await makeToken(t.db, { partnerId: demo.partner.id, role: "printer" })).token;
      node = await startNode();
    });
    afterAll(async () => {
      await node?.close();
    });

    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    const place = (db = t.db, notes: string | null = null, partner = "demo") =>
      createOrder({
        db,
        principal: null,
        input: {
          partner,
          table: "7",
          customer: "Ada",
          items: [{ foodId: (partner === "demo" ? demo : other).food("Margherita").id, quantity: 2, notes }],
        },
      }).then((r) => r.order);
    const top = async () => (await logPosition({ db: t.db })).lastEventId;
    /** Ids of log events a channel of the demo partner shows in (after, upto]. */
    const expectedIds = async (
      channel: keyof typeof CHANNEL_EVENT_TYPES,
      after: number,
      upto: number,
      db = t.db,
      partnerId = demo.partner.id,
    ) =>
      (await readEvents({ db, partnerId, afterId: after, uptoId: upto, types: CHANNEL_EVENT_TYPES[channel], limit: 100_000 })).map((e) =>
        String(e.id),
      );

    it.skipIf(!!skip)("headers, an opening comment, connected with the epoch, and keep-alives", async () => {
      const fast = await startNode(t.db, { keepaliveMs: 100, publishLocalCommits: false });
      try {
        const conn = await openSse(`${fast.url}/api/events/cashier`, { headers: bearer(operatorToken) });
        expect(conn.status).toBe(200);
        expect(conn.headers["content-type"]).toBe("text/event-stream; charset=utf-8");
        expect(conn.headers["cache-control"]).toBe("no-cache, no-transform");
        expect(conn.headers["x-accel-buffering"]).toBe("no");
        expect(conn.headers["content-encoding"]).toBeUndefined();
        await conn.waitFor((e) => e.some((x) => x.event === "connected"));
        expect(conn.body.startsWith(":\n\n")).toBe(true);
        const connected = conn.events[0]!;
        // Control frames carry the stream's position, so a client storing every event's id keeps its place.
        expect(connected.id).toBe(String(connected.json.lastEventId));
        expect(connected.json).toMatchObject({
          channel: "cashier",
          epoch: (await logPosition({ db: t.db })).epoch,
          lastEventId: expect.any(Number),
          streamId: expect.stringMatching(/^live-/),
        });
        await sleep(350);
        expect(conn.comments.filter((c) => c === "keep-alive").length).toBeGreaterThanOrEqual(2);
        conn.cut();
      } finally {
        await fast.close();
      }
    });

    it.skipIf(!!skip)("400 unknown channel, 401 no credentials, 403 channel not allowed — JSON bodies", async () => {
      const bad = await openSse(`${node.url}/api/events/kitchens`, { headers: bearer(operatorToken) });
      expect(bad.status).toBe(400);
      await bad.ended;
      expect(JSON.parse(bad.body).error).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "channel" } });
      const anon = await openSse(`${node.url}/events/cashier`);
      expect(anon.status).toBe(401);
      await anon.ended;
      expect(JSON.parse(anon.body).error.code).toBe("UNAUTHORIZED");
      const revoked = await openSse(`${node.url}/events/cashier`, { headers: bearer("pass_not-a-token") });
      expect(revoked.status).toBe(401);
      const printerOnCashier = await openSse(`${node.url}/events/cashier`, { headers: bearer(printerToken) });
      expect(printerOnCashier.status).toBe(403);
      await printerOnCashier.ended;
      expect(JSON.parse(printerOnCashier.body).error.code).toBe("FORBIDDEN");
      const printerOnPrinter = await openSse(`${node.url}/events/printer`, { headers: bearer(printerToken) });
      expect(printerOnPrinter.status).toBe(200);
      printerOnPrinter.cut();
      // Not a log id: answered as an unknown position (never a 400 such clients would retry forever).
      for (const bad of ["abc", "undefined", "null", "-1", "1.5"]) {
        const badId = await openSse(`${node.url}/events/printer`, { headers: { ...bearer(printerToken), "last-event-id": bad } });
        expect(badId.status).toBe(200);
        const [failed, connected] = await badId.waitFor((e) => e.some((x) => x.event === "connected"));
        expect(failed).toMatchObject({ event: "replay-failed", json: { reason: "EVENT_ID_UNKNOWN", requestedId: bad } });
        expect(connected).toMatchObject({ event: "connected", json: { replayUnavailable: true } });
        expect(failed!.id).toBe(connected!.id);
        badId.cut();
      }
      const otherPartner = await openSse(`${node.url}/events/cashier?partner=other`, { headers: bearer(operatorToken) });
      expect(otherPartner.status).toBe(404);
    });

    it.skipIf(!!skip)("every channel's payloads, field for field, after create, confirm and reprint", async () => {
      const channels = ["cashier", "display", "printer", "kitchen", "partner"] as const;
      const conns = Object.fromEntries(
        await Promise.all(
          channels.map(async (c) => [c, await openSse(`${node.url}/api/events/${c}`, { headers: bearer(operatorToken) })] as const),
        ),
      );
      const elsewhere = await openSse(`${node.url}/api/events/cashier`, { headers: bearer(otherToken) });
      await Promise.all(channels.map((c) => conns[c]!.waitFor((e) => e.some((x) => x.event === "connected"))));

      const created = await place(t.db, "Extra spicy");
      const confirmed = await confirmOrder({
        db: t.db,
        principal: operator,
        id: created.id,
        input: { paymentMethod: "CASH", discount: "2", cashRegisterId: "till-1" },
      });
      await reprintOrder({ db: t.db, principal: operator, id: created.id, orderItemIds: [created.orderItems[0]!.id], receipt: true });

      const got = async (c: (typeof channels)[number], n: number) => logEvents(await conns[c]!.waitFor((e) => logEvents(e).length >= n));
      const cashier = await got("cashier", 2);
      expect(cashier.map((e) => e.event)).toEqual(["new-order", "confirmed-order"]);
      expect(Object.keys(cashier[0]!.json)).toEqual([...HEAD, "orderItems"]);
      expect(Object.keys(cashier[0]!.json.orderItems[0])).toEqual(NEW_ORDER_ITEM);
      expect(cashier[0]!.json).toEqual(toCashierNewOrder(created));
      expect(cashier[0]!.json).toMatchObject({ status: "PENDING", subTotal: "25", surcharge: "1", total: "26", ticketNumber: null });
      expect(cashier[1]!.json).toStrictEqual({
        displayCode: confirmed.displayCode,
        ticketNumber: confirmed.ticketNumber,
        id: confirmed.id,
      });

      const display = await got("display", 1);
      expect(display.map((e) => e.event)).toEqual(["confirmed-order"]);
      expect(Object.keys(display[0]!.json)).toEqual(["displayCode", "ticketNumber", "id"]);
      expect(display[0]!.json).toEqual(toConfirmedOrderRef(confirmed));

      const printer = await got("printer", 2);
      expect(printer.map((e) => e.event)).toEqual(["confirmed-order", "reprint-order"]);
      expect(Object.keys(printer[0]!.json)).toEqual([...HEAD, "orderItems"]);
      expect(Object.keys(printer[0]!.json.orderItems[0])).toEqual(PRINTER_ITEM);
      expect(Object.keys(printer[0]!.json.orderItems[0].food)).toEqual(["id", "name", "printerId"]);
      expect(printer[0]!.json).toEqual(toPrinterConfirmedOrder(confirmed));
      expect(printer[0]!.json).toMatchObject({
        status: "CONFIRMED",
        paymentMethod: "CASH",
        subTotal: "25",
        discount: "2",
        surcharge: "1",
        total: "24",
        cashRegisterId: "till-1",
      });
      expect(Object.keys(printer[1]!.json)).toEqual([...HEAD, "reprintReceipt", "reprintOrderItems", "orderItems"]);
      expect(Object.keys(printer[1]!.json.reprintOrderItems[0])).toEqual(REPRINT_ITEM);
      expect(printer[1]!.json).toEqual(toPrinterReprintOrder(confirmed, { orderItemIds: [created.orderItems[0]!.id], receipt: true }));

      const kitchen = await got("kitchen", 1);
      expect(kitchen[0]!.event).toBe("ticket-created");
      expect(kitchen[0]!.json).toEqual(toOrderDto(confirmed));

      const partner = await got("partner", 2);
      expect(partner.map((e) => e.event)).toEqual(["order-created", "order-updated"]);
      for (const e of partner) expect(Object.keys(e.json)).toEqual(ORDER_LIST_DTO);
      expect(partner[0]!.json).toMatchObject({
        id: created.id,
        partnerName: "Partner demo",
        partnerImage: null,
        displayNumber: created.displayCode,
        status: "RECEIVED",
        priority: "NORMAL",
        courierName: null,
      });
      expect(partner[1]!.json.status).toBe("CONFIRMED");

      // Ids are the log's, in order; the other partner saw none of it.
      const ids = cashier.map((e) => Number(e.id));
      expect(ids[1]).toBeGreaterThan(ids[0]!);
      await sleep(100);
      expect(logEvents(elsewhere.events)).toEqual([]);
      for (const c of [...Object.values(conns), elsewhere]) c.cut();
    });

    it.skipIf(!!skip)("order-status: the cashier sees the cancel reason, the board's channels do not", async () => {
      const conns = Object.fromEntries(
        await Promise.all(
          (["cashier", "display", "msg:display", "pass:display", "pass:cashier"] as const).map(async (c) => {
            const [channel, view] = c.startsWith("pass:")
              ? [c.slice(5), "?view=pass"]
              : c.startsWith("msg:")
                ? [c.slice(4), "?format=message"]
                : [c, ""];
            return [c, await openSse(`${node.url}/api/events/${channel}${view}`, { headers: bearer(operatorToken) })] as const;
          }),
        ),
      );
      await Promise.all(Object.values(conns).map((c) => c.waitFor((e) => e.some((x) => x.event === "connected"))));
      const created = await place(t.db);
      await confirmOrder({ db: t.db, principal: operator, id: created.id, input: { paymentMethod: "CARD" } });
      await changeStatus({ db: t.db, principal: operator, id: created.id, status: "CANCELLED", reason: "guest 12 allergic to nuts" });
      const statusOf = async (c: keyof typeof conns, test: (e: ReceivedEvent) => boolean) =>
        (await conns[c]!.waitFor((events) => logEvents(events).some(test))).filter((e) => logEvents([e]).length > 0 && test(e)).at(-1)!;

      const cashier = await statusOf("cashier", (e) => e.event === "order-status");
      expect(Object.keys(cashier.json)).toEqual(["id", "displayCode", "ticketNumber", "status", "statusChangedAt", "cancelReason"]);
      expect(cashier.json).toMatchObject({ id: created.id, status: "CANCELLED", cancelReason: "guest 12 allergic to nuts" });

      const display = await statusOf("display", (e) => e.event === "order-status");
      expect(Object.keys(display.json)).toEqual(["id", "displayCode", "ticketNumber", "status", "statusChangedAt"]);
      expect(display.json).toMatchObject({ id: created.id, status: "CANCELLED" });
      const unnamed = await statusOf("msg:display", (e) => e.json?.status === "CANCELLED");
      expect(unnamed.json).not.toHaveProperty("cancelReason");

      const board = await statusOf("pass:display", (e) => e.event === "order.status");
      expect(board.json).toMatchObject({
        type: "order.status",
        reason: null,
        order: { id: created.id, status: "CANCELLED", cancelReason: null },
      });
      expect(JSON.stringify(board.json)).not.toContain("allergic");
      const own = await statusOf("pass:cashier", (e) => e.event === "order.status");
      expect(own.json).toMatchObject({ reason: "guest 12 allergic to nuts", order: { cancelReason: "guest 12 allergic to nuts" } });
      for (const c of Object.values(conns)) c.cut();
    });

    describe.skipIf(!!skip)("recovery table", () => {
      let ids: number[] = [];
      beforeAll(async () => {
        const before = await top();
        for (let i = 0; i < 3; i++) {
          const o = await place();
          await confirmOrder({ db: t.db, principal: operator, id: o.id, input: { paymentMethod: "CARD" } });
        }
        ids = (await expectedIds("cashier", before, await top())).map(Number);
        expect(ids).toHaveLength(6);
      });

      type Case = {
        name: string;
        lastEventId: (topId: number) => string | null;
        query?: string;
        expect: (events: ReceivedEvent[], topId: number) => void | Promise<void>;
      };
      const cases: Case[] = [
        {
          name: "none: connected, then live only",
          lastEventId: () => null,
          expect: (events) => {
            expect(events.map((e) => e.event)).toEqual(["connected"]);
          },
        },
        {
          name: "in the middle: the missed events, in order, bracketed",
          lastEventId: () => String(ids[2]),
          expect: async (events, topId) => {
            const missed = await expectedIds("cashier", ids[2]!, topId);
            expect(missed.slice(0, 3)).toEqual(ids.slice(3).map(String));
            expect(events.map((e) => e.event)).toEqual([
              "connected",
              "replay-start",
              ...missed.map(() => expect.any(String)),
              "replay-complete",
            ]);
            expect(events.slice(2, 5).map((e) => e.event)).toEqual(["confirmed-order", "new-order", "confirmed-order"]);
            expect(events[1]!.json).toEqual({ missedEvents: missed.length, replayingFrom: String(ids[2]) });
            expect(events[1]!.id).toBe(String(ids[2]));
            expect(events.slice(2, -1).map((e) => e.id)).toEqual(missed);
            expect(events.at(-1)!.json).toEqual({ replayedEvents: missed.length, resumingLiveStream: true });
            expect(events.at(-1)!.id).toBe(String(topId));
          },
        },
        {
          name: "equal to the top: an empty replay",
          lastEventId: (topId) => String(topId),
          expect: (events) => {
            expect(events.map((e) => e.event)).toEqual(["connected", "replay-start", "replay-complete"]);
            expect(events[1]!.json.missedEvents).toBe(0);
          },
        },
        {
          name: "ahead of the top: replay-failed, snapshot needed",
          lastEventId: (topId) => String(topId + 100_000),
          expect: (events) => {
            expect(events.map((e) => e.event)).toEqual(["replay-failed", "connected"]);
            expect(events[0]!.json).toMatchObject({ reason: "EVENT_ID_UNKNOWN" });
            expect(events[1]!.json.replayUnavailable).toBe(true);
          },
        },
        {
          name: "from another epoch: replay-failed",
          lastEventId: () => String(ids[2]),
          query: "epoch=1999-01-01-deadbeef",
          expect: (events) => {
            expect(events.map((e) => e.event)).toEqual(["replay-failed", "connected"]);
            expect(events[0]!.json.reason).toBe("EPOCH_CHANGED");
          },
        },
        {
          name: "trimmed by retention: EVENT_ID_EXPIRED with oldestAvailable",
          lastEventId: () => String(ids[0]),
          expect: async (events) => {
            expect(events.map((e) => e.event)).toEqual(["replay-failed", "connected"]);
            const { json } = events[0]!;
            expect(json.reason).toBe("EVENT_ID_EXPIRED");
            expect(json.requestedId).toBe(String(ids[0]));
            expect(Number(json.oldestAvailable)).toBeGreaterThan(ids[0]!);
          },
        },
      ];

      it.each(cases)("$name — then the next live event exactly once", async (c) => {
        if (c.name.startsWith("trimmed")) {
          // Keep only the newest 2 events of the partner, whatever their age.
          await pruneEvents({ db: t.db, minAgeMs: 0, minPerPartner: 2, partnerId: demo.partner.id });
        }
        const topId = await top();
        const headers: Record<string, string> = { ...bearer(operatorToken) };
        const last = c.lastEventId(topId);
        if (last !== null) headers["last-event-id"] = last;
        const conn = await openSse(`${node.url}/api/events/cashier${c.query ? `?${c.query}` : ""}`, { headers });
        await node.realtime.hub.idle();
        // Settle: `connected` arrived, and a replay (if any) finished, even on a loaded machine.
        await conn.waitFor((e) => e.some((x) => x.event === "connected"));
        await sleep(50);
        if (conn.events.some((x) => x.event === "replay-start")) await conn.waitFor((e) => e.some((x) => x.event === "replay-complete"));
        await c.expect([...conn.events], topId);
        const before = conn.events.length;
        const o = await place();
        const after = await conn.waitFor((e) => e.length > before);
        await sleep(100);
        const live = after.slice(before);
        expect(live.map((e) => e.event)).toEqual(["new-order"]);
        expect(live[0]!.json.id).toBe(o.id);
        conn.cut();
      });
    });

    it.skipIf(!!skip)("snapshot + tail: the list's Last-Event-ID then the stream — no gap, no duplicate", async () => {
      let writing = true;
      const created: number[] = [];
      const writer = (async () => {
        while (writing) {
          created.push((await place()).id);
          await sleep(2);
        }
      })();
      await sleep(60);
      const snapshot = await listOrders({ db: t.db, principal: operator, statuses: ["PENDING"] });
      const conn = await openSse(`${node.url}/api/events/cashier?lastEventId=${snapshot.lastEventId}`, { headers: bearer(operatorToken) });
      await sleep(150);
      writing = false;
      await writer;
      const snapshotIds = new Set(snapshot.orders.map((o) => o.id));
      const pendingCreated = created.filter((id) => id > Math.min(...created));
      await conn.waitFor((e) =>
        pendingCreated.every((id) => snapshotIds.has(id) || e.some((x) => x.event === "new-order" && x.json.id === id)),
      );
      const streamed = logEvents(conn.events)
        .filter((e) => e.event === "new-order")
        .map((e) => e.json.id as number);
      expect(streamed.filter((id) => snapshotIds.has(id))).toEqual([]); // no duplicate
      for (const id of created) expect(snapshotIds.has(id) || streamed.includes(id)).toBe(true); // no gap
      const streamIds = logEvents(conn.events).map((e) => Number(e.id));
      expect(streamIds).toEqual([...streamIds].sort((a, b) => a - b));
      expect(new Set(streamIds).size).toBe(streamIds.length);
      conn.cut();
    });

    it.skipIf(!!skip)(
      "one partner's open transaction holds back no other partner's delivery; its event comes after, ids only go up",
      async () => {
        await makeUser(t.db, { partnerId: null, role: "admin", username: "admin-order" });
        const cookie = `pass_session=${(await login({ db: t.db, username: "admin-order", password: "fixture-pass-4821" })).sessionToken}`;
        const onAdmin = await openSse(`${node.url}/api/events/cashier`, { headers: { cookie } });
        const onOther = await openSse(`${node.url}/api/events/cashier`, { headers: bearer(otherToken) });
        const onDemo = await openSse(`${node.url}/api/events/cashier`, { headers: bearer(operatorToken) });
        for (const c of [onAdmin, onOther, onDemo]) await c.waitFor((e) => e.some((x) => x.event === "connected"));
        const template = (await place()).id;
        const [created] = await readEvents({ db: t.db, partnerId: demo.partner.id, afterId: 0, orderId: template, limit: 1 });
        const newOrder = (c: typeof onAdmin, id: number) => c.events.some((x) => x.event === "new-order" && x.json.id === id);
        await onAdmin.waitFor(() => newOrder(onAdmin, template));

        // A: demo's transaction appends an order event, then stays open.
        let release!: () => void;
        const held = new Promise<void>((r) => (release = r));
        let appended!: () => void;
        const hasAppended = new Promise<void>((r) => (appended = r));
        const a = mutate(t.db, async (_trx, emit) => {
          await emit({
            partnerId: created!.partnerId,
            type: created!.type,
            orderId: created!.orderId,
            version: created!.version,
            payload: created!.payload,
          });
          appended();
          await held;
        });
        await hasAppended;
        const mark = logEvents(onAdmin.events).length;

        // B: another partner's order, placed while A is open.
        let bDone = false;
        const b = place(t.db, null, "other").then((o) => ((bDone = true), o));
        if (ctx.dialect === "postgres") {
          const bOrder = await b;
          // Committed and delivered, on its own partner's stream and the admin's, with A still open.
          await onOther.waitFor(() => newOrder(onOther, bOrder.id), 10_000);
          await onAdmin.waitFor(() => newOrder(onAdmin, bOrder.id), 10_000);
          expect(logEvents(onAdmin.events).length).toBeGreaterThan(mark);
        } else {
          // SQLite: one writer at a time, B waits for A's commit.
          await sleep(200);
          expect(bDone).toBe(false);
        }
        release();
        await a;
        const bOrder = await b;
        await onAdmin.waitFor(
          () =>
            newOrder(onAdmin, bOrder.id) &&
            logEvents(onAdmin.events).filter((x) => x.event === "new-order" && x.json.id === template).length === 2,
          10_000,
        );
        await onDemo.waitFor(() => onDemo.events.filter((x) => x.event === "new-order" && x.json.id === template).length === 2, 10_000);

        const adminIds = logEvents(onAdmin.events).map((e) => Number(e.id));
        expect(adminIds).toEqual([...new Set(adminIds)].sort((x, y) => x - y)); // strictly increasing, no repeat
        const aId = Number(
          logEvents(onAdmin.events)
            .filter((x) => x.event === "new-order" && x.json.id === template)
            .at(-1)!.id,
        );
        const bId = Number(logEvents(onAdmin.events).find((x) => x.event === "new-order" && x.json.id === bOrder.id)!.id);
        // A's event is positioned at its commit: after B's on PostgreSQL; before it on SQLite (A committed first there).
        if (ctx.dialect === "postgres") expect(aId).toBeGreaterThan(bId);
        else expect(aId).toBeLessThan(bId);
        for (const c of [onDemo, onOther]) {
          const ids = logEvents(c.events).map((e) => Number(e.id));
          expect(ids).toEqual([...new Set(ids)].sort((x, y) => x - y));
        }
        // And the log agrees with what the admin stream saw.
        expect(adminIds.filter((id) => id > adminIds[0]!)).toEqual(
          (
            await readEvents({ db: t.db, afterId: adminIds[0]!, uptoId: adminIds.at(-1)!, types: CHANNEL_EVENT_TYPES.cashier, limit: 1000 })
          ).map((e) => e.id),
        );
        for (const c of [onAdmin, onOther, onDemo]) c.cut();
      },
    );

    /** Follows the cashier channel from `from`, cutting the connection at random, until `done()`. */
    async function chaosFollow({ urls, from, done }: { urls: () => string; from: number; done: (received: ReceivedEvent[]) => boolean }) {
      const received: ReceivedEvent[] = [];
      let last = from;
      let cuts = 0;
      const deadline = Date.now() + 60_000;
      while (!done(received)) {
        if (Date.now() > deadline) throw new Error(`chaos client timed out with ${received.length} events`);
        let conn;
        try {
          conn = await openSse(`${urls()}/api/events/cashier`, { headers: { ...bearer(operatorToken), "last-event-id": String(last) } });
        } catch {
          await sleep(50); // the node is restarting
          continue;
        }
        if (conn.status !== 200) {
          await sleep(50);
          continue;
        }
        const cutAfter = 1 + Math.floor(Math.random() * 40);
        let seenHere = 0;
        const stop = Date.now() + 50 + Math.random() * 400;
        while (!conn.isEnded() && !done(received) && Date.now() < stop && seenHere < cutAfter) {
          await sleep(5);
          const fresh = logEvents(conn.events).filter((e) => Number(e.id) > last);
          for (const e of fresh) {
            received.push(e);
            last = Number(e.id);
            seenHere++;
          }
        }
        conn.cut();
        cuts++;
      }
      return { received, cuts };
    }

    it.skipIf(!!skip)("chaos: 500 orders while the client is cut at random points — every event exactly once, in order", async () => {
      const from = await top();
      const N = 500;
      const writer = (async () => {
        for (let i = 0; i < N; i++) {
          await place();
          if (i % 25 === 0) await sleep(Math.random() * 20);
        }
      })();
      let writerDone = false;
      void writer.then(() => (writerDone = true));
      const { received, cuts } = await chaosFollow({ urls: () => node.url, from, done: (r) => writerDone && r.length >= N });
      await writer;
      const expected = await expectedIds("cashier", from, await top());
      expect(expected).toHaveLength(N);
      expect(received.map((e) => e.id)).toEqual(expected);
      expect(cuts).toBeGreaterThan(5);
    });

    it.skipIf(!!skip)("the same across a server restart: the log is durable", async () => {
      const from = await top();
      const N = 300;
      let current = await startNode();
      let db: DbHandle["db"] = t.db;
      let extraHandle: DbHandle | null = null;
      let restarted = false;
      const writer = (async () => {
        for (let i = 0; i < N; i++) {
          if (i === 150) {
            // Kill the node and its database connection; bring both back on the same data.
            await current.close();
            extraHandle = openDatabase({ databaseUrl: t.config.databaseUrl, dataDir: t.config.dataDir });
            db = extraHandle.db;
            current = await startNode(db);
            restarted = true;
          }
          await place(db);
        }
      })();
      let writerDone = false;
      void writer.then(() => (writerDone = true));
      const { received } = await chaosFollow({ urls: () => current.url, from, done: (r) => writerDone && r.length >= N });
      await writer;
      expect(restarted).toBe(true);
      expect(received.map((e) => e.id)).toEqual(await expectedIds("cashier", from, await top()));
      await current.close();
      await (extraHandle as DbHandle | null)?.destroy();
    });

    it.skipIf(!!skip)("a slow client is closed at its queue bound and does not delay the others", async () => {
      const bounded = await startNode(t.db, { maxQueueBytes: 64 * 1024, publishLocalCommits: true });
      try {
        const fast = await openSse(`${bounded.url}/api/events/cashier`, { headers: bearer(operatorToken) });
        // A client that sends its request and never reads a byte.
        const slow = net.connect(new URL(bounded.url).port as unknown as number, "127.0.0.1");
        await new Promise((r) => slow.once("connect", r));
        slow.write(`GET /api/events/cashier HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${operatorToken}\r\n\r\n`);
        slow.pause();
        let slowClosed = false;
        slow.on("close", () => (slowClosed = true));
        await sleep(100);
        expect(bounded.realtime.hub.connectionCount).toBe(2);

        const from = await top();
        const items = Array.from({ length: 20 }, () => ({ foodId: demo.food("Fries").id, quantity: 1, notes: "n".repeat(480) }));
        fast.events.length = 0;
        const N = 400; // ~12 KB per frame, ~5 MB in all: far beyond the socket buffers and the 64 KiB bound
        for (let i = 0; i < N; i++) {
          await createOrder({ db: t.db, principal: null, input: { partner: "demo", items } });
          // Orders arrive over time; this also lets the in-process fast client read (SQLite calls never yield).
          await new Promise((r) => setImmediate(r));
        }
        await fast
          .waitFor((e) => logEvents(e).length >= N, 20_000)
          .catch((err) => {
            throw new Error(
              `${err.message} stats=${JSON.stringify(bounded.realtime.hub.stats)} last=${bounded.realtime.hub.lastId} ended=${fast.isEnded()} conns=${bounded.realtime.hub.connectionCount}`,
            );
          });
        expect(logEvents(fast.events).map((e) => e.id)).toEqual(await expectedIds("cashier", from, await top()));
        // Not delayed by its stuck neighbour: each event reached the fast client promptly.
        const worst = Math.max(...logEvents(fast.events).map((e) => e.receivedAt - Date.parse(e.json.createdAt)));
        expect(worst).toBeLessThan(2_000);
        // The slow stream was dropped by the server (it will resume by id), the fast one stayed.
        await expect.poll(() => bounded.realtime.hub.connectionCount, { timeout: 5_000 }).toBe(1);
        slow.resume();
        await expect.poll(() => slowClosed, { timeout: 5_000 }).toBe(true);
        expect(fast.isEnded()).toBe(false);
        fast.cut();
      } finally {
        await bounded.close();
      }
    });

    it.skipIf(!!skip)("each event is rendered once per channel, however many streams read it", async () => {
      const solo = await startNode(t.db, { publishLocalCommits: true });
      try {
        const conns = await Promise.all(
          Array.from({ length: 25 }, (_, i) =>
            openSse(`${solo.url}/api/events/${i % 5 === 0 ? "printer" : "cashier"}`, { headers: bearer(operatorToken) }),
          ),
        );
        await Promise.all(conns.map((c) => c.waitFor((e) => e.some((x) => x.event === "connected"))));
        const before = solo.realtime.hub.stats.framesRendered;
        const order = await place();
        await confirmOrder({ db: t.db, principal: operator, id: order.id, input: { paymentMethod: "CASH" } });
        await Promise.all(conns.map((c, i) => c.waitFor((e) => logEvents(e).length >= (i % 5 === 0 ? 1 : 2))));
        // new-order and confirmed-order on cashier, confirmed-order on printer: three renders for 45 deliveries.
        expect(solo.realtime.hub.stats.framesRendered - before).toBe(3);
        for (const c of conns) c.cut();
      } finally {
        await solo.close();
      }
    });

    it.skipIf(!!skip)("streams end at their maximum life with a disconnecting event", async () => {
      const short = await startNode(t.db, { maxLifeMs: 300, publishLocalCommits: false });
      try {
        const conn = await openSse(`${short.url}/api/events/display`, { headers: bearer(operatorToken) });
        await conn.ended;
        const last = conn.events.at(-1)!;
        expect(last.event).toBe("disconnecting");
        expect(last.json).toEqual({ reason: "MAX_STREAM_LIFE", reconnectAfter: 0 });
        expect(short.realtime.hub.connectionCount).toBe(0);
      } finally {
        await short.close();
      }
    });

    it.skipIf(!!skip)("shutdown tells every stream SERVER_MAINTENANCE with reconnectAfter, then ends it", async () => {
      const doomed = await startNode(t.db, { publishLocalCommits: false });
      const conns = await Promise.all([1, 2, 3].map(() => openSse(`${doomed.url}/api/events/kitchen`, { headers: bearer(operatorToken) })));
      await Promise.all(conns.map((c) => c.waitFor((e) => e.length > 0)));
      await doomed.realtime.stop({ reconnectAfter: 2 });
      for (const c of conns) {
        await c.ended;
        expect(c.events.at(-1)).toMatchObject({ event: "disconnecting", json: { reason: "SERVER_MAINTENANCE", reconnectAfter: 2 } });
      }
      doomed.server.closeAllConnections();
      await new Promise((r) => doomed.server.close(r));
    });

    if (busKind === "redis")
      it.skipIf(!!skip)("a node whose Redis subscription drops reads what it missed from the log on reconnect", async () => {
        // B would otherwise only notice after a minute of silence: the reconnect itself must resync.
        const b = await startNode(t.db, { publishLocalCommits: false, gapCheckMs: 60_000 });
        const { Redis } = await import("ioredis");
        const admin = new Redis(redisUrl!);
        try {
          const onB = await openSse(`${b.url}/api/events/cashier`, { headers: bearer(operatorToken) });
          await onB.waitFor((e) => e.some((x) => x.event === "connected"));
          const from = await top();
          // Drop every pub/sub connection (B's subscriber among them), then write while it is away.
          await admin.call("CLIENT", "KILL", "TYPE", "pubsub");
          for (let i = 0; i < 5; i++) await place();
          const expected = await expectedIds("cashier", from, await top());
          await onB.waitFor((e) => logEvents(e).length >= expected.length, 15_000);
          expect(logEvents(onB.events).map((e) => e.id)).toEqual(expected);
          onB.cut();
        } finally {
          admin.disconnect();
          await b.close();
        }
      });

    // Two nodes only make sense with a shared bus: defined for the Redis adapter alone.
    if (busKind === "redis")
      it.skipIf(!!skip)("two nodes over Redis: B sees A's writes, a client moves from A to B, dropped messages are repaired", async () => {
        // Node A publishes this process's commits; node B only hears Redis, and loses every third message.
        let dropped = 0;
        const { epoch } = await logPosition({ db: t.db });
        const lossyBus = new RedisBus({ url: redisUrl!, epoch, dropIncoming: (e) => e.id % 3 === 0 && ++dropped > 0 });
        const a = await startNode(t.db, { publishLocalCommits: true });
        const b = await startNode(t.db, { publishLocalCommits: false, bus: lossyBus, gapCheckMs: 300 });
        await node.close(); // the suite's own node would also publish; keep exactly one publisher
        try {
          const onB = await openSse(`${b.url}/api/events/cashier`, { headers: bearer(operatorToken) });
          await onB.waitFor((e) => e.some((x) => x.event === "connected"));
          const from = await top();
          for (let i = 0; i < 30; i++) await place();
          const expected = await expectedIds("cashier", from, await top());
          await onB.waitFor((e) => logEvents(e).length >= expected.length, 10_000);
          expect(logEvents(onB.events).map((e) => e.id)).toEqual(expected);
          expect(dropped).toBeGreaterThan(0);
          expect(b.realtime.hub.stats.repaired).toBeGreaterThan(0);
          onB.cut();

          // A client follows on A, is cut, and resumes on B from its last id.
          const from2 = await top();
          const onA = await openSse(`${a.url}/api/events/cashier`, { headers: bearer(operatorToken) });
          for (let i = 0; i < 10; i++) await place();
          await onA.waitFor((e) => logEvents(e).length >= 10);
          onA.cut();
          const lastOnA = logEvents(onA.events).at(-1)!.id!;
          for (let i = 0; i < 10; i++) await place();
          const resumed = await openSse(`${b.url}/api/events/cashier`, { headers: { ...bearer(operatorToken), "last-event-id": lastOnA } });
          const expected2 = await expectedIds("cashier", from2, await top());
          await resumed.waitFor((e) => logEvents(e).length >= 10, 10_000);
          const all = [...logEvents(onA.events), ...logEvents(resumed.events)].map((e) => e.id);
          expect(all).toEqual(expected2);
          resumed.cut();
        } finally {
          await a.close();
          await b.close();
          node = await startNode();
        }
      });
  },
  { targets: adapters() },
);
