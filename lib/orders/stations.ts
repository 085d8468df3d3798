import "server-only";
import { actorOf, assertCan, assertPartnerVisible, type Principal } from "../auth/access";
import type { Db } from "../db";
import { ConflictError, NotFoundError, ValidationError } from "../errors";
import { mutate, systemActor, type Emit, type Trx } from "../events";
import type { OrderRecord } from "./dto";
import { EVENT_PAYLOAD_VERSION } from "./events";
import { deriveStatus, fireCourse, plan, type StationAction, UNDO_WINDOW_MS } from "./line-state";
import { loadOrder, writeParts } from "./service";

/**
 * The station workflow's writes (issue "Station workflow"): each action locks its order first —
 * a no-op UPDATE of the order row, which PostgreSQL holds until commit and SQLite's BEGIN
 * IMMEDIATE already serialises — so two stations bumping at the same moment run one after the
 * other, and the second sees the first's DONE parts: the order becomes READY exactly once.
 */

const who = (p: Principal) => (p.kind === "user" ? p.username : p.name);

async function lockedOrder(trx: Trx, principal: Principal, id: number): Promise<OrderRecord> {
  if (!Number.isSafeInteger(id) || id <= 0) throw new NotFoundError("order");
  const partner = await trx.selectFrom("orders").select("partnerId").where("id", "=", id).executeTakeFirst();
  if (!partner) throw new NotFoundError("order");
  assertPartnerVisible(principal, partner.partnerId, "order");
  await trx
    .updateTable("orders")
    .set((eb) => ({ id: eb.ref("id") }))
    .where("id", "=", id)
    .execute();
  // A table's cart being built is not an order yet (loadOrder skips it).
  const order = await loadOrder(trx, id);
  if (!order) throw new NotFoundError("order");
  return order;
}

async function writeStatus(trx: Trx, emit: Emit, before: OrderRecord, status: OrderRecord["status"], at: string, extra: object = {}) {
  if (status === before.status) return;
  await trx.updateTable("orders").set({ status, statusChangedAt: at }).where("id", "=", before.id).execute();
  const order = (await loadOrder(trx, before.id))!;
  await emit({
    version: EVENT_PAYLOAD_VERSION,
    partnerId: order.partnerId,
    type: "order.status",
    orderId: order.id,
    payload: { order, from: before.status, to: status, reason: null, ...extra },
  });
}

/** Start / bump / recall / undo one station's parts of an order (optionally only some lines). 409 with the states when illegal. */
export async function stationAction({
  db,
  principal,
  id,
  station,
  action,
  itemIds,
  now = new Date(),
}: {
  db: Db;
  principal: Principal;
  id: number;
  station: string;
  action: StationAction;
  itemIds?: readonly string[];
  now?: Date;
}): Promise<OrderRecord> {
  assertCan(principal, "orders:status");
  return mutate(db, actorOf(principal), async (trx, emit) => {
    const order = await lockedOrder(trx, principal, id);
    (itemIds ?? []).forEach((itemId, i) => {
      if (!order.orderItems.some((it) => it.id === itemId)) throw new ValidationError(`itemIds.${i}`, "not an item of this order");
    });
    if (action === "bump" && order.allergyAlert && !order.allergyAckAt) {
      throw new ConflictError("acknowledge the allergy before bumping this order", { status: order.status, allergy: true });
    }
    const result = plan(
      { status: order.status, parts: order.parts, expoConfirms: order.expoConfirms, expoBumped: Boolean(order.expoBumpedAt) },
      { station, action, itemIds },
      { who: who(principal), now },
    );
    if ("refused" in result) throw new ConflictError(result.refused, { status: order.status, station, states: result.states });
    const at = now.toISOString();
    await writeParts(trx, result);
    if (action === "recall") {
      // Counted per part for the reports' speed of service (lib/reports): the log is pruned, the part is kept.
      const recalled = order.parts.filter((p) => p.state === "DONE" && result.changed.includes(p.id)).map((p) => p.id);
      if (recalled.length > 0) {
        await trx
          .updateTable("lineParts")
          .set((eb) => ({ recalls: eb("recalls", "+", 1) }))
          .where("id", "in", recalled)
          .execute();
      }
    }
    // Recall or undo after expo's bump: expo bumps again once the station is done again.
    if ((action === "recall" || action === "undo") && order.expoBumpedAt) {
      await trx.updateTable("orders").set({ expoBumpedAt: null }).where("id", "=", id).execute();
    }
    const afterParts = (await loadOrder(trx, id))!;
    await emit({
      version: EVENT_PAYLOAD_VERSION,
      partnerId: order.partnerId,
      type: "order.station",
      orderId: id,
      payload: { order: afterParts, station: { station, action, by: who(principal), changed: result.changed } },
    });
    if (result.fired.length > 0) {
      await emit({
        version: EVENT_PAYLOAD_VERSION,
        partnerId: order.partnerId,
        type: "order.fired",
        orderId: id,
        payload: { order: afterParts, fired: { courses: result.fired, by: "auto" } },
      });
    }
    await writeStatus(trx, emit, afterParts, result.status, at);
    return (await loadOrder(trx, id))!;
  });
}

/**
 * Expo's bump: with "expo confirms", the order is READY only when expo bumps after every station
 * is done. `force` completes whatever is left (expo hands the order out anyway).
 */
export async function expoBump({
  db,
  principal,
  id,
  force = false,
  now = new Date(),
}: {
  db: Db;
  principal: Principal;
  id: number;
  force?: boolean;
  now?: Date;
}): Promise<OrderRecord> {
  assertCan(principal, "orders:status");
  return mutate(db, actorOf(principal), async (trx, emit) => {
    const order = await lockedOrder(trx, principal, id);
    if (order.status !== "CONFIRMED" && order.status !== "PREPARING") {
      throw new ConflictError(`a ${order.status} order cannot be bumped by expo`, { status: order.status });
    }
    if (order.allergyAlert && !order.allergyAckAt) {
      throw new ConflictError("acknowledge the allergy before bumping this order", { status: order.status, allergy: true });
    }
    const open = order.parts.filter((p) => p.state !== "DONE");
    if (open.length > 0 && !force) {
      throw new ConflictError(`still waiting on ${[...new Set(open.map((p) => p.station))].join(", ")}`, {
        status: order.status,
        states: Object.fromEntries(order.parts.map((p) => [`${p.orderItemId}:${p.station}`, p.state])),
      });
    }
    const at = now.toISOString();
    if (open.length > 0) {
      await writeParts(trx, {
        parts: open.map((p) => ({ ...p, state: "DONE" as const, firedAt: p.firedAt ?? at, doneAt: at, doneBy: who(principal) })),
        changed: open.map((p) => p.id),
      });
    }
    await trx.updateTable("orders").set({ expoBumpedAt: at }).where("id", "=", id).execute();
    const after = (await loadOrder(trx, id))!;
    const status = deriveStatus({ status: after.status, parts: after.parts, expoConfirms: after.expoConfirms, expoBumped: true });
    await writeStatus(trx, emit, after, status, at, { expo: { by: who(principal), forced: open.length > 0 } });
    return (await loadOrder(trx, id))!;
  });
}

/**
 * Undo expo's bump within UNDO_WINDOW_MS (the card's Undo and the `U` key on expo): the order
 * leaves READY, and the parts expo's force completed reopen as they were before (STARTED when they
 * had started, else QUEUED). A station that had bumped its own lines keeps them DONE.
 */
export async function expoUndo({
  db,
  principal,
  id,
  now = new Date(),
}: {
  db: Db;
  principal: Principal;
  id: number;
  now?: Date;
}): Promise<OrderRecord> {
  assertCan(principal, "orders:status");
  return mutate(db, actorOf(principal), async (trx, emit) => {
    const order = await lockedOrder(trx, principal, id);
    const bumpedAt = order.expoBumpedAt;
    if (order.status !== "READY" || !bumpedAt || now.getTime() - Date.parse(bumpedAt) > UNDO_WINDOW_MS) {
      throw new ConflictError(`no expo bump in the last ${UNDO_WINDOW_MS / 1000} s to undo`, {
        status: order.status,
        expoBumpedAt: bumpedAt,
      });
    }
    const forced = order.parts.filter((p) => p.state === "DONE" && p.doneAt === bumpedAt && p.doneBy === who(principal));
    if (forced.length > 0) {
      await writeParts(trx, {
        parts: forced.map((p) => ({ ...p, state: p.startedAt ? ("STARTED" as const) : ("QUEUED" as const), doneAt: null, doneBy: null })),
        changed: forced.map((p) => p.id),
      });
    }
    await trx.updateTable("orders").set({ expoBumpedAt: null }).where("id", "=", id).execute();
    const after = (await loadOrder(trx, id))!;
    const status = deriveStatus({ status: "PREPARING", parts: after.parts, expoConfirms: after.expoConfirms, expoBumped: false });
    if (status === "READY") {
      // Every station had bumped and expo does not confirm: READY stands on the stations' bumps.
      throw new ConflictError("every station has bumped this order: recall a station to reopen it", { status: order.status });
    }
    await writeStatus(trx, emit, after, status, now.toISOString(), { expo: { by: who(principal), undo: true } });
    return (await loadOrder(trx, id))!;
  });
}

/** "Fire course 2" by hand: its held lines appear at their stations now. */
export async function fireCourseNow({
  db,
  principal,
  id,
  course,
  now = new Date(),
}: {
  db: Db;
  principal: Principal;
  id: number;
  course: number;
  now?: Date;
}): Promise<OrderRecord> {
  assertCan(principal, "orders:status");
  return mutate(db, actorOf(principal), async (trx, emit) => {
    const order = await lockedOrder(trx, principal, id);
    if (order.status !== "CONFIRMED" && order.status !== "PREPARING" && order.status !== "READY") {
      throw new ConflictError(`a ${order.status} order has nothing to fire`, { status: order.status });
    }
    const fired = fireCourse(order.parts, course, now.toISOString());
    if (fired.changed.length === 0) throw new ConflictError(`course ${course} has nothing held`, { status: order.status, course });
    await writeParts(trx, fired);
    const after = (await loadOrder(trx, id))!;
    await emit({
      version: EVENT_PAYLOAD_VERSION,
      partnerId: order.partnerId,
      type: "order.fired",
      orderId: id,
      payload: { order: after, fired: { courses: [course], by: who(principal) } },
    });
    const status = deriveStatus({
      status: after.status,
      parts: after.parts,
      expoConfirms: after.expoConfirms,
      expoBumped: Boolean(after.expoBumpedAt),
    });
    await writeStatus(trx, emit, after, status, now.toISOString());
    return (await loadOrder(trx, id))!;
  });
}

/**
 * Scheduled orders whose fire time has come: their first course fires, exactly once across nodes
 * (the conditional clear of `fireAt` is won by one transaction). Run by every node's timer.
 */
export async function fireDue({ db, now = new Date() }: { db: Db; now?: Date }): Promise<number[]> {
  const at = now.toISOString();
  const due = await db
    .selectFrom("orders")
    .select(["id", "fireAt"])
    .where("fireAt", "is not", null)
    .where("fireAt", "<=", at)
    .where("status", "in", ["CONFIRMED", "PREPARING"])
    .limit(200)
    .execute();
  const fired: number[] = [];
  for (const { id, fireAt } of due) {
    const won = await mutate(db, systemActor("fire-due"), async (trx, emit) => {
      const result = await trx
        .updateTable("orders")
        .set({ fireAt: null })
        .where("id", "=", Number(id))
        .where("fireAt", "=", fireAt)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return false;
      const order = (await loadOrder(trx, Number(id)))!;
      const plan = fireCourse(order.parts, "all", at);
      await writeParts(trx, plan);
      const after = (await loadOrder(trx, Number(id)))!;
      await emit({
        version: EVENT_PAYLOAD_VERSION,
        partnerId: order.partnerId,
        type: "order.fired",
        orderId: order.id,
        payload: {
          order: after,
          fired: { courses: [...new Set(plan.parts.filter((p) => plan.changed.includes(p.id)).map((p) => p.course))], by: "schedule" },
        },
      });
      return true;
    });
    if (won) fired.push(Number(id));
  }
  return fired;
}
