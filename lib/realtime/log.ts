import "server-only";
import type { Db } from "../db";
import { nowIso } from "../db/ids";

/**
 * The event log: the single source of truth for every live view (SPEC §4).
 *
 * Ids come from logMeta.lastEventId, incremented inside the writing transaction. That row is
 * locked until commit, so a second writer cannot take an id before the first commits: ids
 * become visible in exactly the order they were taken, and no reader ever sees a lower id
 * appear after a higher one (a plain sequence would hand out ids that commit out of order).
 */
export type EventType = "order.created" | "order.confirmed" | "order.status" | "order.reprinted" | "food.updated";

export type LoggedEvent<P = unknown> = {
  id: number;
  partnerId: string;
  type: EventType;
  orderId: number | null;
  payload: P;
  createdAt: string;
};

export async function appendEvent<P>({
  trx,
  partnerId,
  type,
  orderId,
  payload,
}: {
  trx: Db;
  partnerId: string;
  type: EventType;
  orderId: number | null;
  payload: P;
}): Promise<LoggedEvent<P>> {
  const { lastEventId: id } = await trx
    .updateTable("logMeta")
    .set((eb) => ({ lastEventId: eb("lastEventId", "+", 1) }))
    .where("id", "=", 1)
    .returning("lastEventId")
    .executeTakeFirstOrThrow();
  const event = { id: Number(id), partnerId, type, orderId, payload, createdAt: nowIso() };
  await trx
    .insertInto("events")
    .values({ ...event, payload: JSON.stringify(payload) })
    .execute();
  return event;
}

/** Events after `afterId` in id order, for one partner or all; at most `limit`. */
export async function readEvents({
  db,
  partnerId,
  afterId,
  limit,
}: {
  db: Db;
  partnerId?: string | null;
  afterId: number;
  limit: number;
}): Promise<LoggedEvent[]> {
  let q = db.selectFrom("events").selectAll().where("id", ">", afterId);
  if (partnerId) q = q.where("partnerId", "=", partnerId);
  const rows = await q.orderBy("id", "asc").limit(limit).execute();
  return rows.map((r) => ({
    id: Number(r.id),
    partnerId: r.partnerId,
    type: r.type as EventType,
    orderId: r.orderId === null ? null : Number(r.orderId),
    payload: JSON.parse(r.payload),
    createdAt: r.createdAt,
  }));
}

/** The newest committed id (0 for an empty log) and the log's epoch. */
export async function logPosition({ db }: { db: Db }): Promise<{ lastEventId: number; epoch: string }> {
  const row = await db.selectFrom("logMeta").select(["lastEventId", "epoch"]).where("id", "=", 1).executeTakeFirstOrThrow();
  return { lastEventId: Number(row.lastEventId), epoch: row.epoch };
}
