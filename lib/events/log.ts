import "server-only";
import type { Db } from "../db";
import { nowIso } from "../db/ids";

/**
 * The event log: the single source of truth for every live view (docs/architecture.md).
 *
 * Ids come from logMeta.lastEventId, incremented inside the writing transaction. That row is
 * locked until commit, so a second writer cannot take an id before the first commits: ids
 * become visible in exactly the order they were taken, and no reader ever sees a lower id
 * appear after a higher one (a plain sequence would hand out ids that commit out of order).
 */
export type EventType =
  | "order.created"
  | "order.confirmed"
  | "order.status"
  | "order.reprinted"
  | "order.courier"
  | "order.location"
  | "order.acknowledged"
  | "order.unacknowledged"
  | "food.created"
  | "food.updated"
  /** Taken off the menu; old orders still read it. */
  | "food.archived"
  /** Stations, categories, modifier groups and options: screens refetch the menu. */
  | "menu.changed"
  /** The kitchen tapped "allergy seen" on a ticket (issue "The menu"). */
  | "order.allergy-acknowledged"
  /** A station started, bumped, recalled or undid its part of an order (issue "Station workflow"). */
  | "order.station"
  /** Held lines fired: a later course, or a scheduled order whose time came. */
  | "order.fired"
  /** A credential stopped being valid (logout, token revoked, user disabled or role changed). */
  | "auth.revoked"
  /** The restaurant's profile changed (back office): open screens re-read currency, locale, defaults. */
  | "partner.updated"
  /**
   * A table's shared cart (lib/orders/carts.ts) while guests build it: opened (an order in state
   * CREATED), a phone joined, a line added / removed, the totals after each change, abandoned.
   * Submitting it is an `order.created` (with `submitted`): from then on it is an order like any other.
   */
  | "cart.opened"
  | "cart.member"
  | "cart.item-added"
  | "cart.item-removed"
  | "cart.updated"
  | "cart.expired"
  /**
   * A guest who gave a phone or an email with an order became a customer of the partner, or an
   * order of theirs changed their name, contact or marketing consent (lib/orders/customers.ts).
   * Logged in the order's transaction, before its `order.created`; `orderId` is null (the guest's
   * own streams never carry them).
   */
  | "customer.created"
  | "customer.updated"
  /**
   * A business day's end-of-day Z report was written (lib/reports/z-report.ts), once per partner
   * and day; `orderId` is null. Only webhooks carry it (no stream lists it).
   */
  | "report.z";

/**
 * One entry of the log. `version` is the shape of `payload` as it was written; readers that
 * need the current shape upgrade it (lib/orders/events.ts `upgradeEvent`), so a field renamed
 * in a later release never breaks the replay of events stored before the upgrade.
 */
export type LoggedEvent<P = unknown> = {
  id: number;
  partnerId: string;
  type: EventType;
  orderId: number | null;
  version: number;
  payload: P;
  createdAt: string;
};

export async function appendEvent<P>({
  trx,
  partnerId,
  type,
  orderId,
  version,
  payload,
}: {
  trx: Db;
  partnerId: string;
  type: EventType;
  orderId: number | null;
  /** The payload's schema version (the writer's current one). */
  version: number;
  payload: P;
}): Promise<LoggedEvent<P>> {
  const { lastEventId: id } = await trx
    .updateTable("logMeta")
    .set((eb) => ({ lastEventId: eb("lastEventId", "+", 1) }))
    .where("id", "=", 1)
    .returning("lastEventId")
    .executeTakeFirstOrThrow();
  const event = { id: Number(id), partnerId, type, orderId, version, payload, createdAt: nowIso() };
  await trx
    .insertInto("events")
    .values({
      id: event.id,
      partnerId,
      type,
      orderId,
      payloadVersion: version,
      payload: JSON.stringify(payload),
      createdAt: event.createdAt,
    })
    .execute();
  return event;
}

type EventFilter = {
  db: Db;
  partnerId?: string | null;
  afterId: number;
  /** Inclusive upper bound. */
  uptoId?: number;
  types?: readonly EventType[];
  orderId?: number;
};

function filtered({ db, partnerId, afterId, uptoId, types, orderId }: EventFilter) {
  let q = db.selectFrom("events").where("id", ">", afterId);
  if (uptoId !== undefined) q = q.where("id", "<=", uptoId);
  if (partnerId) q = q.where("partnerId", "=", partnerId);
  if (types) q = q.where("type", "in", types.length ? [...types] : ["-"]);
  if (orderId !== undefined) q = q.where("orderId", "=", orderId);
  return q;
}

/** Events after `afterId` in id order, for one partner or all, optionally of some types only; at most `limit`. */
export async function readEvents(filter: EventFilter & { limit: number }): Promise<LoggedEvent[]> {
  const rows = await filtered(filter).selectAll().orderBy("id", "asc").limit(filter.limit).execute();
  return rows.map((r) => ({
    id: Number(r.id),
    partnerId: r.partnerId,
    type: r.type as EventType,
    orderId: r.orderId === null ? null : Number(r.orderId),
    version: Number(r.payloadVersion),
    payload: JSON.parse(r.payload),
    createdAt: r.createdAt,
  }));
}

/** The newest committed id (0 for an empty log) and the log's epoch. */
export async function logPosition({ db }: { db: Db }): Promise<{ lastEventId: number; epoch: string }> {
  const row = await db.selectFrom("logMeta").select(["lastEventId", "epoch"]).where("id", "=", 1).executeTakeFirstOrThrow();
  return { lastEventId: Number(row.lastEventId), epoch: row.epoch };
}

export async function countEvents(filter: EventFilter): Promise<number> {
  const row = await filtered(filter)
    .select((eb) => eb.fn.countAll().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The highest id pruning has removed for a partner (or for any partner, when null): a client
 * resuming from below it would miss events, so it must reload its snapshot instead.
 */
export async function prunedThrough({ db, partnerId }: { db: Db; partnerId: string | null }): Promise<number> {
  let q = db.selectFrom("eventRetention").select((eb) => eb.fn.max("prunedThrough").as("through"));
  if (partnerId) q = q.where("partnerId", "=", partnerId);
  const row = await q.executeTakeFirst();
  return Number(row?.through ?? 0);
}

/**
 * Retention (docs/contracts.md#recovery): keep at least `minAgeMs` (24 h) and at least `minPerPartner` (100 000)
 * events per partner, whichever keeps more. Safe to run on several nodes at once.
 */
export async function pruneEvents({
  db,
  now = new Date(),
  minAgeMs = 24 * 3_600_000,
  minPerPartner = 100_000,
  partnerId: only,
}: {
  db: Db;
  now?: Date;
  minAgeMs?: number;
  minPerPartner?: number;
  /** Prune one partner only. */
  partnerId?: string;
}): Promise<number> {
  const cutoff = new Date(now.getTime() - minAgeMs).toISOString();
  const partners = only ? [{ partnerId: only }] : await db.selectFrom("events").select("partnerId").distinct().execute();
  let removed = 0;
  for (const { partnerId } of partners) {
    // The newest `minPerPartner` events stay whatever their age.
    const keepFrom = await db
      .selectFrom("events")
      .select("id")
      .where("partnerId", "=", partnerId)
      .orderBy("id", "desc")
      .offset(minPerPartner - 1)
      .limit(1)
      .executeTakeFirst();
    if (!keepFrom) continue;
    const newestOld = await db
      .selectFrom("events")
      .select((eb) => eb.fn.max("id").as("id"))
      .where("partnerId", "=", partnerId)
      .where("id", "<", Number(keepFrom.id))
      .where("createdAt", "<", cutoff)
      .executeTakeFirst();
    const through = Number(newestOld?.id ?? 0);
    if (!through) continue;
    removed += await db.transaction().execute(async (trx) => {
      const current = await trx.selectFrom("eventRetention").select("prunedThrough").where("partnerId", "=", partnerId).executeTakeFirst();
      const mark = Math.max(through, Number(current?.prunedThrough ?? 0));
      await trx
        .insertInto("eventRetention")
        .values({ partnerId, prunedThrough: mark })
        .onConflict((oc) => oc.column("partnerId").doUpdateSet({ prunedThrough: mark }))
        .execute();
      const result = await trx.deleteFrom("events").where("partnerId", "=", partnerId).where("id", "<=", mark).executeTakeFirst();
      return Number(result.numDeletedRows);
    });
  }
  return removed;
}
