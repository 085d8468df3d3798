/**
 * Couriers and rider:auto_assign (issue "Jobs and notifications" item 3, lib/orders/couriers.ts)
 * on each database: the roster (E.164 phones, refusals by field), the courier's token and own
 * deliveries, the job enqueued with the READY transition, the nearest / round-robin choice, once
 * only, a person's choice winning either way round, the bad input (another courier's delivery,
 * a delivered order's location, an unknown courier) and the seeds/001 shipment messages on /ws,
 * field by field.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import WebSocket from "ws";
import { login, resolvePrincipal, type Principal } from "../auth";
import { JOB_TASKS } from "../events/jobs";
import { logPosition, readEvents } from "../events/log";
import { describeEachDatabase } from "../testing/each-database";
import { makePartner, makeUser, placeOrder, type TestPartner } from "../testing/fixtures";
import { startTestNode, type TestNode } from "../testing/node";
import {
  assignCourier,
  autoAssignCourier,
  createCourier,
  haversineMetres,
  issueCourierToken,
  listCouriers,
  markDelivery,
  myDeliveries,
  pickCourier,
  recordCourierLocation,
  setMyAvailability,
  updateCourier,
  type CourierRecord,
} from "./couriers";
import { changeStatus, confirmOrder, loadOrder } from "./service";
import { installJobQueue } from "../jobs/graphile";
import { passTasks } from "../jobs/tasks";

type Msg = Record<string, any>;

describeEachDatabase("couriers", (ctx) => {
  let demo: TestPartner;
  let other: TestPartner;
  let operator: Principal;
  let otherOperator: Principal;
  let kitchen: Principal;
  let phone = 0;
  const nextPhone = () => `+4420794610${String(phone++).padStart(2, "0")}`;

  beforeAll(async () => {
    // PostgreSQL: the READY transition enqueues through graphile-worker's add_job (lib/events/jobs.ts).
    if (ctx.dialect === "postgres") await installJobQueue({ db: ctx.db, databaseUrl: ctx.t.config.databaseUrl! });
    demo = await makePartner(ctx.db, "demo");
    other = await makePartner(ctx.db, "other");
    operator = (await makeUser(ctx.db, { partnerId: demo.partner.id, role: "operator", username: "op" })).principal;
    otherOperator = (await makeUser(ctx.db, { partnerId: other.partner.id, role: "operator", username: "op2" })).principal;
    kitchen = (await makeUser(ctx.db, { partnerId: demo.partner.id, role: "kitchen", username: "chef" })).principal;
  });

  /** A courier of `partner` with a signed-in phone. */
  async function courier(name: string, { partner = "demo", available = true, by = operator } = {}) {
    const c = await createCourier({ db: ctx.db, principal: by, partner, input: { name, phone: nextPhone(), available } });
    const { token } = await issueCourierToken({ db: ctx.db, principal: by, id: c.id });
    const principal = (await resolvePrincipal({ db: ctx.db, authorization: `Bearer ${token}` }))!.principal;
    return { courier: c, principal, token };
  }

  /** A confirmed delivery order of `partner`, optionally moved on to `status`. */
  async function delivery(partner: TestPartner = demo, status?: "PREPARING" | "READY") {
    const by = partner === demo ? operator : otherOperator;
    const { order } = await placeOrder(ctx.db, partner, { source: "delivery", principal: by, items: [{ food: "Fries" }] });
    await confirmOrder({ db: ctx.db, principal: by, id: order.id, input: { paymentMethod: "CARD" } });
    if (status) await changeStatus({ db: ctx.db, principal: by, id: order.id, status: "PREPARING" });
    if (status === "READY") await changeStatus({ db: ctx.db, principal: by, id: order.id, status: "READY" });
    return order.id;
  }

  /** Every courier of the partner unavailable, so each case chooses among its own. */
  async function benchEveryone(partnerId = demo.partner.id) {
    await ctx.db.updateTable("couriers").set({ available: 0 }).where("partnerId", "=", partnerId).execute();
  }

  const waitingJobs = async (orderId: number) => {
    if (ctx.dialect === "sqlite") {
      const rows = await ctx.db
        .selectFrom("jobs")
        .select(["task", "payload"])
        .where("jobKey", "=", `rider:auto_assign:${orderId}`)
        .execute();
      return rows.map((r) => ({ task: r.task, payload: JSON.parse(r.payload) }));
    }
    const { sql } = await import("kysely");
    const schema = `${(await sql<{ s: string }>`select current_schema() as s`.execute(ctx.db)).rows[0]!.s}_jobs`;
    const { rows } = await sql<{ task: string; payload: unknown }>`
      select t.identifier as task, j.payload from ${sql.id(schema, "_private_jobs")} j
      join ${sql.id(schema, "_private_tasks")} t on t.id = j.task_id where j.key = ${`rider:auto_assign:${orderId}`}`
      .execute(ctx.db)
      .catch(() => ({ rows: [] as { task: string; payload: unknown }[] }));
    return rows;
  };

  it("the roster: E.164 phones read in the restaurant's country, refusals by field, partners apart", async () => {
    const c = await createCourier({ db: ctx.db, principal: operator, partner: "demo", input: { name: " Dana ", phone: "(202) 456-1111" } });
    // Test partners are en-US: a national number is read as American; an international one as given.
    expect(c).toMatchObject({ name: "Dana", active: true, available: false, lastLocation: null, signedIn: false });
    expect(c.phone).toBe("+12024561111");
    const uk = await createCourier({ db: ctx.db, principal: operator, partner: "demo", input: { name: "Eve", phone: "+44 20 7946 0000" } });
    expect(uk.phone).toBe("+442079460000");
    const before = (await listCouriers({ db: ctx.db, principal: operator, partner: "demo" })).length;
    for (const [input, field] of [
      [{ name: "Bad", phone: "12" }, "phone"],
      [{ name: "Bad", phone: "not a phone" }, "phone"],
      [{ name: "   ", phone: "+44 20 7946 0001" }, "name"],
      [{ name: "Bad\u0000", phone: "+44 20 7946 0001" }, "name"],
      [{ name: "Twin", phone: "+44 20 7946 0000" }, "phone"],
    ] as const) {
      await expect(createCourier({ db: ctx.db, principal: operator, partner: "demo", input })).rejects.toMatchObject({
        status: 400,
        details: { field },
      });
    }
    await expect(updateCourier({ db: ctx.db, principal: operator, id: uk.id, input: { phone: "+1" } })).rejects.toMatchObject({
      status: 400,
      details: { field: "phone" },
    });
    expect((await listCouriers({ db: ctx.db, principal: operator, partner: "demo" })).length).toBe(before);
    // Another partner's operator: the courier and the partner do not exist for them; the kitchen may not manage.
    await expect(updateCourier({ db: ctx.db, principal: otherOperator, id: uk.id, input: { name: "X" } })).rejects.toMatchObject({
      status: 404,
    });
    await expect(listCouriers({ db: ctx.db, principal: otherOperator, partner: "demo" })).rejects.toMatchObject({ status: 404 });
    await expect(listCouriers({ db: ctx.db, principal: kitchen, partner: "demo" })).rejects.toMatchObject({ status: 403 });
    await expect(updateCourier({ db: ctx.db, principal: operator, id: "nope", input: { name: "X" } })).rejects.toMatchObject({
      status: 404,
    });
    await benchEveryone();
  });

  it("the courier's phone: a token per courier, reissuing revokes the last, off the roster signs out", async () => {
    const c = await createCourier({ db: ctx.db, principal: operator, partner: "demo", input: { name: "Finn", phone: nextPhone() } });
    const first = await issueCourierToken({ db: ctx.db, principal: operator, id: c.id });
    expect(first.path).toBe(`/courier#token=${first.token}`);
    const second = await issueCourierToken({ db: ctx.db, principal: operator, id: c.id });
    await expect(resolvePrincipal({ db: ctx.db, authorization: `Bearer ${first.token}` })).rejects.toMatchObject({ status: 401 });
    const me = (await resolvePrincipal({ db: ctx.db, authorization: `Bearer ${second.token}` }))!.principal;
    expect(me).toMatchObject({ kind: "token", role: "courier", partnerId: demo.partner.id });
    expect((await myDeliveries({ db: ctx.db, principal: me })).courier).toMatchObject({ id: c.id, name: "Finn", available: false });
    expect((await setMyAvailability({ db: ctx.db, principal: me, available: true })).courier.available).toBe(true);
    // Staff are not couriers.
    await expect(myDeliveries({ db: ctx.db, principal: operator })).rejects.toMatchObject({ status: 403 });
    await updateCourier({ db: ctx.db, principal: operator, id: c.id, input: { active: false } });
    await expect(resolvePrincipal({ db: ctx.db, authorization: `Bearer ${second.token}` })).rejects.toMatchObject({ status: 401 });
  });

  it("pickCourier: nearest by a fresh position when the restaurant's location is known, else round-robin", () => {
    const now = new Date("2026-03-01T12:00:00Z");
    const c = (id: string, lastAssignedAt: string | null, at?: { lat: number; lng: number; ago: number }): CourierRecord => ({
      id,
      partnerId: "p",
      name: id,
      phone: "+1",
      active: true,
      available: true,
      lastLocation: at ? { lat: at.lat, lng: at.lng, at: new Date(now.getTime() - at.ago).toISOString() } : null,
      lastAssignedAt,
      signedIn: true,
      createdAt: "2026-01-01T00:00:00Z",
      updatedAt: "2026-01-01T00:00:00Z",
    });
    const paris = { lat: 48.8566, lng: 2.3522 };
    expect(Math.round(haversineMetres(paris, { lat: 48.8606, lng: 2.3376 }))).toBeGreaterThan(1000);
    expect(Math.round(haversineMetres(paris, { lat: 48.8606, lng: 2.3376 }))).toBeLessThan(1200);
    const near = c("near", "2026-03-01T11:59:00Z", { lat: 48.857, lng: 2.353, ago: 60_000 });
    const far = c("far", null, { lat: 48.9, lng: 2.4, ago: 60_000 });
    const stale = c("stale", null, { lat: 48.8566, lng: 2.3522, ago: 3_600_000 });
    const unknown = c("unknown", "2026-03-01T10:00:00Z");
    expect(pickCourier([far, near, stale, unknown], paris, now)?.id).toBe("near");
    // No restaurant location, or nobody located freshly: the one assigned longest ago (never assigned first).
    expect(pickCourier([near, unknown], null, now)?.id).toBe("unknown");
    expect(pickCourier([near, far, unknown], null, now)?.id).toBe("far");
    expect(pickCourier([unknown, stale], paris, now)?.id).toBe("stale");
    expect(pickCourier([], paris, now)).toBeUndefined();
  });

  it("READY enqueues rider:auto_assign in the same transaction; the job assigns once, round-robin, with shipment:created", async () => {
    await benchEveryone();
    const a = await courier("Ana");
    const b = await courier("Ben");
    const first = await delivery(demo, "READY");
    expect(await waitingJobs(first)).toEqual([{ task: JOB_TASKS.autoAssign, payload: { orderId: first } }]);
    const tasks = passTasks({ db: ctx.db, channels: {} as never });
    const from = (await logPosition({ db: ctx.db })).lastEventId;
    // At least once: the job runs twice (a retry, another node); it assigns once.
    await tasks[JOB_TASKS.autoAssign]({ orderId: first }, { jobId: "1", attempt: 1, maxAttempts: 8 });
    await tasks[JOB_TASKS.autoAssign]({ orderId: first }, { jobId: "1", attempt: 2, maxAttempts: 8 });
    const assigned = (await loadOrder(ctx.db, first))!;
    expect(assigned).toMatchObject({ courierId: a.courier.id, courierName: "Ana", courierAssignedBy: "job" });
    const events = (await readEvents({ db: ctx.db, afterId: from, limit: 10 })).filter((e) => e.orderId === first);
    expect(events.map((e) => e.type)).toEqual(["order.courier"]);
    // Round-robin: the next delivery goes to the one not assigned yet.
    const second = await delivery(demo, "READY");
    expect((await autoAssignCourier({ db: ctx.db, orderId: second }))?.id).toBe(b.courier.id);
    // The courier sees their own deliveries.
    expect((await myDeliveries({ db: ctx.db, principal: a.principal })).deliveries.map((d) => d.id)).toContain(first);
    expect((await myDeliveries({ db: ctx.db, principal: a.principal })).deliveries.map((d) => d.id)).not.toContain(second);
  });

  it("nearest courier to the restaurant when it has a location and positions are known", async () => {
    await benchEveryone();
    await ctx.db.updateTable("partners").set({ latitude: 48.8566, longitude: 2.3522 }).where("id", "=", demo.partner.id).execute();
    const far = await courier("Far");
    const near = await courier("Near");
    const carrying = await delivery(demo, "READY");
    await assignCourier({ db: ctx.db, principal: operator, id: carrying, courierId: near.courier.id });
    await recordCourierLocation({ db: ctx.db, principal: near.principal, id: carrying, lat: 48.857, lng: 2.353 });
    await assignCourier({ db: ctx.db, principal: operator, id: carrying, courierId: far.courier.id });
    await recordCourierLocation({ db: ctx.db, principal: far.principal, id: carrying, lat: 48.95, lng: 2.5 });
    const order = await delivery(demo, "READY");
    expect((await autoAssignCourier({ db: ctx.db, orderId: order }))?.id).toBe(near.courier.id);
    await ctx.db.updateTable("partners").set({ latitude: null, longitude: null }).where("id", "=", demo.partner.id).execute();
  });

  it("a person's choice wins: the job leaves a manual courier alone; a manual reassignment replaces the job's", async () => {
    await benchEveryone();
    const a = await courier("Cleo");
    const b = await courier("Dev");
    const manualFirst = await delivery(demo, "READY");
    await assignCourier({ db: ctx.db, principal: operator, id: manualFirst, courierId: b.courier.id });
    expect(await autoAssignCourier({ db: ctx.db, orderId: manualFirst })).toBeNull();
    expect(await loadOrder(ctx.db, manualFirst)).toMatchObject({ courierId: b.courier.id, courierAssignedBy: "manual" });
    // A typed name (a platform's rider) is a manual choice too.
    const typed = await delivery(demo, "READY");
    await assignCourier({ db: ctx.db, principal: operator, id: typed, courierName: "Platform rider" });
    expect(await autoAssignCourier({ db: ctx.db, orderId: typed })).toBeNull();
    expect(await loadOrder(ctx.db, typed)).toMatchObject({ courierId: null, courierName: "Platform rider", courierAssignedBy: "manual" });
    // A typed name that is exactly an active courier's links that courier.
    await assignCourier({ db: ctx.db, principal: operator, id: typed, courierName: "Cleo" });
    expect(await loadOrder(ctx.db, typed)).toMatchObject({ courierId: a.courier.id, courierName: "Cleo" });
    // Job first, then a person: the person's courier stays, and later runs of the job change nothing.
    const jobFirst = await delivery(demo, "READY");
    expect(await autoAssignCourier({ db: ctx.db, orderId: jobFirst })).not.toBeNull();
    const jobChoice = (await loadOrder(ctx.db, jobFirst))!.courierId;
    const manual = jobChoice === a.courier.id ? b : a;
    await assignCourier({ db: ctx.db, principal: operator, id: jobFirst, courierId: manual.courier.id });
    expect(await autoAssignCourier({ db: ctx.db, orderId: jobFirst })).toBeNull();
    expect(await loadOrder(ctx.db, jobFirst)).toMatchObject({ courierId: manual.courier.id, courierAssignedBy: "manual" });
  });

  it("a person and the job at the same moment: the person's courier is the one that stays, every time", async () => {
    await benchEveryone();
    const a = await courier("Lee");
    const b = await courier("Mo");
    for (let i = 0; i < 8; i++) {
      const order = await delivery(demo, "READY");
      const manual = i % 2 === 0 ? a : b;
      const [job] = await Promise.all([
        autoAssignCourier({ db: ctx.db, orderId: order }),
        assignCourier({ db: ctx.db, principal: operator, id: order, courierId: manual.courier.id }),
      ]);
      expect(await loadOrder(ctx.db, order)).toMatchObject({ courierId: manual.courier.id, courierAssignedBy: "manual" });
      // Whichever committed first, at most one job assignment and one manual one were logged.
      const events = (await readEvents({ db: ctx.db, afterId: 0, limit: 10_000 })).filter(
        (e) => e.orderId === order && e.type === "order.courier",
      );
      expect(events.length).toBe(job ? 2 : 1);
    }
  });

  it("picked up / delivered from the courier's phone; bad input refused and nothing changed", async () => {
    await benchEveryone();
    const mine = await courier("Gus");
    const theirs = await courier("Hal");
    const stranger = await courier("Ivy", { partner: "other", by: otherOperator });
    const order = await delivery(demo, "READY");
    await assignCourier({ db: ctx.db, principal: operator, id: order, courierId: mine.courier.id });
    const from = (await logPosition({ db: ctx.db })).lastEventId;
    // Another courier's delivery, another partner's courier, no such order: 404; staff are not couriers: 403.
    for (const p of [theirs.principal, stranger.principal]) {
      await expect(markDelivery({ db: ctx.db, principal: p, id: order, status: "PICKED_UP" })).rejects.toMatchObject({ status: 404 });
      await expect(recordCourierLocation({ db: ctx.db, principal: p, id: order, lat: 1, lng: 1 })).rejects.toMatchObject({ status: 404 });
    }
    await expect(markDelivery({ db: ctx.db, principal: mine.principal, id: 999_999, status: "PICKED_UP" })).rejects.toMatchObject({
      status: 404,
    });
    await expect(markDelivery({ db: ctx.db, principal: operator, id: order, status: "PICKED_UP" })).rejects.toMatchObject({ status: 403 });
    await expect(markDelivery({ db: ctx.db, principal: mine.principal, id: order, status: "CANCELLED" })).rejects.toMatchObject({
      status: 400,
      details: { field: "status" },
    });
    // Delivered before picked up: 409.
    await expect(markDelivery({ db: ctx.db, principal: mine.principal, id: order, status: "DELIVERED" })).rejects.toMatchObject({
      status: 409,
    });
    expect((await readEvents({ db: ctx.db, afterId: from, limit: 10 })).length).toBe(0);
    expect((await loadOrder(ctx.db, order))!.status).toBe("READY");

    expect((await markDelivery({ db: ctx.db, principal: mine.principal, id: order, status: "PICKED_UP" })).status).toBe("PICKED_UP");
    const located = await recordCourierLocation({ db: ctx.db, principal: mine.principal, id: order, lat: 48.85, lng: 2.35 });
    expect(located.courierLocation).toMatchObject({ lat: 48.85, lng: 2.35 });
    const row = await ctx.db.selectFrom("couriers").selectAll().where("id", "=", mine.courier.id).executeTakeFirstOrThrow();
    expect([Number(row.lastLat), Number(row.lastLng)]).toEqual([48.85, 2.35]);
    expect((await markDelivery({ db: ctx.db, principal: mine.principal, id: order, status: "DELIVERED" })).status).toBe("DELIVERED");
    // The location of a delivered order: 409; a delivered order gets no courier either.
    await expect(recordCourierLocation({ db: ctx.db, principal: mine.principal, id: order, lat: 1, lng: 1 })).rejects.toMatchObject({
      status: 409,
    });
    await expect(assignCourier({ db: ctx.db, principal: operator, id: order, courierId: theirs.courier.id })).rejects.toMatchObject({
      status: 409,
    });
    // Unknown courier id, another partner's courier: 404 naming courierId; an inactive one: 409.
    const open = await delivery(demo, "READY");
    for (const courierId of ["nope", stranger.courier.id])
      await expect(assignCourier({ db: ctx.db, principal: operator, id: open, courierId })).rejects.toMatchObject({
        status: 404,
        details: { field: "courierId" },
      });
    await updateCourier({ db: ctx.db, principal: operator, id: theirs.courier.id, input: { active: false } });
    await expect(assignCourier({ db: ctx.db, principal: operator, id: open, courierId: theirs.courier.id })).rejects.toMatchObject({
      status: 409,
    });
    expect((await loadOrder(ctx.db, open))!.courierName).toBeNull();
  });

  it("no available courier: the job fails (retried with backoff); a partner without couriers gets no job", async () => {
    await benchEveryone();
    const order = await delivery(demo, "READY");
    expect(await waitingJobs(order)).toHaveLength(1);
    await expect(autoAssignCourier({ db: ctx.db, orderId: order })).rejects.toThrow(/no courier available/);
    await ctx.db.updateTable("couriers").set({ active: 0 }).where("partnerId", "=", other.partner.id).execute();
    const none = await delivery(other, "READY");
    expect(await waitingJobs(none)).toEqual([]);
    expect(await autoAssignCourier({ db: ctx.db, orderId: none })).toBeNull();
  });

  describeWs();

  function describeWs() {
    let node: TestNode;
    let wsUrl = "";
    beforeAll(async () => {
      node = await startTestNode({ db: ctx.db, wsLimits: { perIp: 8, attemptsPerMinute: 1000 } });
      wsUrl = `${node.url.replace("http", "ws")}/ws`;
    });
    afterAll(async () => {
      await node?.close();
    });

    function connect(headers: Record<string, string>) {
      const ws = new WebSocket(wsUrl, { headers });
      const messages: Msg[] = [];
      ws.on("message", (data) => messages.push(JSON.parse(data.toString())));
      const opened = new Promise<void>((resolve, reject) => {
        ws.once("open", () => resolve());
        ws.once("error", reject);
      });
      const waitFor = async (predicate: (m: Msg[]) => boolean, timeoutMs = 5_000) => {
        const deadline = Date.now() + timeoutMs;
        while (!predicate(messages)) {
          if (Date.now() > deadline) throw new Error(`timed out; got ${JSON.stringify(messages)}`);
          await new Promise((r) => setTimeout(r, 10));
        }
        return messages;
      };
      return { ws, messages, opened, waitFor, send: (m: unknown) => ws.send(JSON.stringify(m)) };
    }

    it("seeds/001 shipment:created / shipment:updated on shipment_changes, field by field; the courier's phone reports over /ws", async () => {
      await benchEveryone();
      const a = await courier("Jo");
      const b = await courier("Kai");
      const cookie = `pass_session=${(await login({ db: ctx.db, username: "op", password: "fixture-pass-4821" })).sessionToken}`;
      const staff = connect({ cookie });
      await staff.opened;
      staff.send({ type: "subscribe", channel: "shipment_changes" });
      await staff.waitFor((m) => m.some((x) => x.type === "subscribed"));
      const order = await delivery(demo, "READY");
      const code = (await loadOrder(ctx.db, order))!.displayCode;
      const chosen = await autoAssignCourier({ db: ctx.db, orderId: order });
      const shipments = () => staff.messages.filter((m) => m.event?.startsWith("shipment:") && m.data.order_id === order);
      await staff.waitFor(() => shipments().length === 1);
      const created = shipments()[0]!;
      expect(Object.keys(created).sort()).toEqual(["data", "event", "id", "timestamp"]);
      expect(created.event).toBe("shipment:created");
      expect(created.data).toEqual({ id: order, order_id: order, tracking_number: code, status: "assigned", carrier: chosen!.name });
      expect(new Date(created.timestamp).toISOString()).toBe(created.timestamp);
      // A person reassigns: the carrier changes.
      const other = chosen!.id === a.courier.id ? b : a;
      await assignCourier({ db: ctx.db, principal: operator, id: order, courierId: other.courier.id });
      await staff.waitFor(() => shipments().length === 2);
      expect(shipments()[1]).toMatchObject({ event: "shipment:updated" });
      expect(shipments()[1]!.data).toEqual({
        id: order,
        order_id: order,
        tracking_number: code,
        status: "assigned",
        carrier: other.courier.name,
        changed_fields: { carrier: other.courier.name },
      });
      // The courier's phone: picked up (shipped), a position over /ws (bearer, no cookie), delivered.
      await markDelivery({ db: ctx.db, principal: other.principal, id: order, status: "PICKED_UP" });
      await staff.waitFor(() => shipments().length === 3);
      expect(shipments()[2]!.data).toEqual({
        id: order,
        order_id: order,
        tracking_number: code,
        status: "shipped",
        carrier: other.courier.name,
        changed_fields: { status: "shipped" },
      });
      const phone = connect({ authorization: `Bearer ${other.token}` });
      await phone.opened;
      phone.send({ type: "location", orderId: order, lat: 48.86, lng: 2.34 });
      await phone.waitFor((m) => m.some((x) => x.type === "location-recorded"));
      await staff.waitFor(() => shipments().length === 4);
      expect(shipments()[3]!.data).toMatchObject({
        status: "shipped",
        carrier: other.courier.name,
        changed_fields: { location: { lat: 48.86, lng: 2.34 } },
      });
      // Idle position (no order) and a refused one: another courier's delivery is "not found" and changes nothing.
      phone.send({ type: "location", lat: 48.87, lng: 2.33 });
      await phone.waitFor((m) => m.filter((x) => x.type === "location-recorded").length === 2);
      const stranger = connect({ authorization: `Bearer ${(chosen!.id === a.courier.id ? a : b).token}` });
      await stranger.opened;
      stranger.send({ type: "location", orderId: order, lat: 1, lng: 1 });
      await stranger.waitFor((m) => m.some((x) => x.type === "error"));
      expect(stranger.messages.find((x) => x.type === "error")).toMatchObject({ code: "NOT_FOUND" });
      // A courier's phone may not read the order topics.
      stranger.send({ type: "subscribe", channel: "shipment_changes" });
      await stranger.waitFor((m) => m.some((x) => x.code === "FORBIDDEN"));
      await markDelivery({ db: ctx.db, principal: other.principal, id: order, status: "DELIVERED" });
      await staff.waitFor(() => shipments().length === 5);
      expect(shipments()[4]!.data).toEqual({
        id: order,
        order_id: order,
        tracking_number: code,
        status: "delivered",
        carrier: other.courier.name,
        changed_fields: { status: "delivered" },
      });
      phone.send({ type: "location", orderId: order, lat: 1, lng: 1 });
      await phone.waitFor((m) => m.some((x) => x.type === "error"));
      expect(phone.messages.find((x) => x.type === "error")).toMatchObject({ code: "CONFLICT" });
      for (const c of [staff, phone, stranger]) c.ws.close();
    });
  }
});
