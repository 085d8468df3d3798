import "server-only";
import { PostgresAdapter, sql } from "kysely";
import type { Db } from "../db";
import crypto from "node:crypto";
import { nowIso } from "../db/ids";

const isPostgres = (db: Db): boolean => db.getExecutor().adapter instanceof PostgresAdapter;

/**
 * The event log: the single source of truth for every live view (docs/architecture.md,
 * "Positions in commit order").
 *
 * An event's `id` is its position: dense, and visible in exactly the order it was handed out,
 * so no reader ever sees a lower id appear after a higher one (lib/realtime's hub fills any gap
 * from the log and trusts that a gap below a visible id is already visible or gone for good).
 *
 * - SQLite (one writer at a time anyway) takes the position inside the writing transaction from
 *   logMeta.lastEventId, as it always did.
 * - PostgreSQL: a writer holds no lock shared with other partners. It takes its partner's row of
 *   eventStreams (so one partner's events are written in commit order) and inserts its events
 *   with a write key (`seq`) and no position. Right after the commit, `sequenceEvents` runs the
 *   sequencer step (pass_sequence_events, migration 0023): under the logMeta lock, held for that
 *   one short statement only, it stamps every committed unstamped event with the next positions
 *   in `seq` order. Stamps commit in lock order, so positions still become visible in order;
 *   two partners' transactions never wait for each other, and one held open delays nobody.
 *   An event is in the log for readers once stamped: every reader filters on `id`.
 *
 * PASS_EVENT_ORDER=global-lock puts PostgreSQL back on the old path (the position taken inside
 * the transaction under the logMeta lock): the same-run baseline of `npm run bench:writes`. The
 * two paths may run side by side on one database (both stamp under the same lock).
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

/**
 * An appended event before its commit: on PostgreSQL its position (`id`) is null until sequenced.
 * `webhooks`: its partner's live webhooks, when appendEvent was asked to read them with it.
 */
export type AppendedEvent<P = unknown> = Omit<LoggedEvent<P>, "id"> & { id: number | null; seq: number; webhooks?: PartnerWebhook[] };

/** A live webhook of a partner and the event types it subscribed to (JSON text, lib/events/outbox.ts). */
export type PartnerWebhook = { id: string; partnerId: string; events: string };

/**
 * Who made an event about an order, for its audit row (lib/events/history.ts): appendEvent writes
 * it with the event, so the two cannot part.
 */
export type HistoryEntry = { actorKind: string; actorId: string | null; actorName: string | null; detail: string | null };

/** Which path appends take on this database (see the comment at the top). */
export function stampsInTransaction(db: Db): boolean {
  return !isPostgres(db) || process.env.PASS_EVENT_ORDER === "global-lock";
}

export async function appendEvent<P>({
  trx,
  partnerId,
  type,
  orderId,
  version,
  payload,
  history = null,
  withWebhooks = false,
}: {
  trx: Db;
  partnerId: string;
  type: EventType;
  orderId: number | null;
  /** The payload's schema version (the writer's current one). */
  version: number;
  payload: P;
  /** The order's audit row for this event (only with an orderId). */
  history?: HistoryEntry | null;
  /**
   * PostgreSQL: also read the partner's live webhooks in the same statement (the outbox needs
   * them for this event: lib/events/mutate.ts), so they cost no round trip of their own.
   */
  withWebhooks?: boolean;
}): Promise<AppendedEvent<P>> {
  const createdAt = nowIso();
  const body = JSON.stringify(payload);
  const audit = orderId === null ? null : history;
  if (!stampsInTransaction(trx)) {
    // One round trip: take (or wait for) this partner's row, insert the event unstamped, and its
    // audit row beside it (data-modifying CTEs all run, whether or not the outer query reads them).
    const auditRow = audit
      ? sql`, audit as (
        insert into "orderHistory" ("orderId", "partnerId", "eventId", "type", "actorKind", "actorId", "actorName", "detail", "createdAt")
        select ${orderId}::integer, ${partnerId}::text, event.seq, ${type}::text, ${audit.actorKind}::text, ${audit.actorId}::text,
          ${audit.actorName}::text, ${audit.detail}::text, ${createdAt}::text from event
      )`
      : sql``;
    const hooks = withWebhooks
      ? sql`, (select coalesce(json_agg(json_build_object('id', w.id, 'partnerId', w."partnerId", 'events', w.events)), '[]'::json)
          from "webhooks" w where w."partnerId" = ${partnerId}::text and w."removedAt" is null) as webhooks`
      : sql``;
    const { rows } = await sql<{ seq: string; webhooks?: PartnerWebhook[] }>`
      with stream as (
        insert into "eventStreams" ("partnerId", "appended") values (${partnerId}, 1)
        on conflict ("partnerId") do update set "appended" = "eventStreams"."appended" + 1
        returning "partnerId"
      ), event as (
        insert into events ("partnerId", "type", "orderId", "payloadVersion", "payload", "createdAt")
        select stream."partnerId", ${type}::text, ${orderId}::integer, ${version}::integer, ${body}::text, ${createdAt}::text from stream
        returning seq
      )${auditRow}
      select seq${hooks} from event`.execute(trx);
    const { seq, webhooks } = rows[0]!;
    return { id: null, seq: Number(seq), partnerId, type, orderId, version, payload, createdAt, ...(webhooks ? { webhooks } : {}) };
  }
  const { lastEventId } = await trx
    .updateTable("logMeta")
    .set((eb) => ({ lastEventId: eb("lastEventId", "+", 1) }))
    .where("id", "=", 1)
    .returning("lastEventId")
    .executeTakeFirstOrThrow();
  const id = Number(lastEventId);
  const sqlite = !isPostgres(trx);
  const inserted = await trx
    .insertInto("events")
    .values({ id, ...(sqlite ? { seq: id } : {}), partnerId, type, orderId, payloadVersion: version, payload: body, createdAt })
    .returning("seq")
    .executeTakeFirstOrThrow();
  const seq = Number(inserted.seq);
  if (audit)
    await trx
      .insertInto("orderHistory")
      .values({ orderId: orderId!, partnerId, eventId: seq, type, ...audit, createdAt })
      .execute();
  return { id, seq, partnerId, type, orderId, version, payload, createdAt };
}

/**
 * After the commit of `events`: their positions. Stamps every committed unstamped event on the
 * way (anyone's: a writer that died between its commit and this step is stamped by the next
 * one, or by the hub's gap check). Must run outside a transaction. Nothing to do on SQLite.
 */
export async function sequenceEvents<P>({ db, events }: { db: Db; events: readonly AppendedEvent<P>[] }): Promise<LoggedEvent<P>[]> {
  if (events.every((e) => e.id !== null)) return events.map(({ seq: _seq, webhooks: _hooks, ...e }) => ({ ...e, id: e.id! }));
  const { rows } = await sql<{ eventSeq: string; eventId: number | null }>`select * from pass_sequence_events(${events.map(
    (e) => e.seq,
  )}::bigint[])`.execute(db);
  const ids = new Map(rows.map((r) => [Number(r.eventSeq), r.eventId === null ? null : Number(r.eventId)]));
  return events.map(({ seq, webhooks: _hooks, ...e }) => {
    const id = e.id ?? ids.get(seq);
    if (id == null) throw new Error(`event ${seq} has no position after sequencing (not committed?)`);
    return { ...e, id };
  });
}

/** Stamps whatever committed events still wait for a position (the hub's gap check). */
export async function sequencePending({ db }: { db: Db }): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`select * from pass_sequence_events(${[]}::bigint[])`.execute(db);
}

/** The position of the event written with `seq` (stamping it first if it still waits); null once pruned. */
export async function positionOf({ db, seq }: { db: Db; seq: number }): Promise<number | null> {
  const row = await db.selectFrom("events").select("id").where("seq", "=", seq).executeTakeFirst();
  if (!row) return null;
  if (row.id !== null) return Number(row.id);
  const [stamped] = await sql<{ eventId: number | null }>`select * from pass_sequence_events(${[seq]}::bigint[])`
    .execute(db)
    .then((r) => r.rows);
  return stamped?.eventId == null ? null : Number(stamped.eventId);
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

/**
 * A fresh epoch (docs/contracts.md#conventions: date, a dash, 8 hex digits). A restored backup
 * gets one (lib/backup): its ids may repeat ids the screens already saw from the newer log, so a
 * client naming the old epoch is told `replay-failed` / `EPOCH_CHANGED` and reloads its snapshot.
 */
export function newEpoch(now = new Date()): string {
  return `${now.toISOString().slice(0, 10)}-${crypto.randomBytes(4).toString("hex")}`;
}

/**
 * Inside a snapshot transaction (lib/db snapshotTransaction): the log position the snapshot's
 * data reflects, in two steps because on PostgreSQL the snapshot may hold committed changes whose
 * events are not stamped yet. `waiting` is the newest such event's write key, for the partner in
 * scope (null = all partners); `settleSnapshotPosition` turns it into a position after the
 * snapshot's transaction ends.
 */
export async function snapshotPosition({
  db,
  partnerId,
}: {
  db: Db;
  partnerId: string | null;
}): Promise<{ lastEventId: number; epoch: string; waiting: number | null }> {
  if (stampsInTransaction(db)) return { ...(await logPosition({ db })), waiting: null };
  const { rows } = await sql<{ lastEventId: number; epoch: string; waiting: string | null }>`
    select m."lastEventId", m.epoch,
      (select max(e.seq) from events e where e.id is null ${partnerId ? sql`and e."partnerId" = ${partnerId}` : sql``}) as waiting
    from "logMeta" m where m.id = 1`.execute(db);
  const row = rows[0]!;
  return { lastEventId: Number(row.lastEventId), epoch: row.epoch, waiting: row.waiting === null ? null : Number(row.waiting) };
}

/**
 * The position a snapshot taken with `snapshotPosition` reflects, or null: take the snapshot again.
 * One partner's events are stamped in commit order (its eventStreams row), so its snapshot is
 * exactly at the position of its newest waiting event: everything of the partner up to there is
 * in the snapshot and everything after it is not. Across partners that does not hold (another
 * partner's later commit may be stamped below it), so an all-partner snapshot with waiting events
 * is retried; after a few tries it settles for the stamped top, where a screen may see a change
 * it already shows once more (an order event replaces the order whole: it never loses one).
 */
export async function settleSnapshotPosition({
  db,
  position,
  partnerId,
  attempt,
}: {
  db: Db;
  position: { lastEventId: number; epoch: string; waiting: number | null };
  partnerId: string | null;
  attempt: number;
}): Promise<{ lastEventId: number; epoch: string } | null> {
  const { lastEventId, epoch, waiting } = position;
  if (waiting === null) return { lastEventId, epoch };
  if (partnerId) return { lastEventId: (await positionOf({ db, seq: waiting })) ?? lastEventId, epoch };
  await sequencePending({ db });
  return attempt >= 2 ? { lastEventId, epoch } : null;
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
      .where("id", "is not", null)
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
