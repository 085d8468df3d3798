import "server-only";
import type { Db } from "../db";
import type { HistoryEntry } from "./log";

/**
 * The audit trail (issue 17 item 4): who caused each event about an order. `mutate` writes one row
 * per such event in the event's own transaction (the one place: no service writes these), so the
 * change, its event and who made it commit together. The event log is pruned; these rows stay as
 * long as the order does (docs/architecture.md, "The audit trail").
 */
export type ActorKind = "user" | "device" | "guest" | "system";

/**
 * Who made a change: a signed-in user (id, username), a device token or paired screen (id, name),
 * a guest (no id; the name they gave at the table, if any), or the system (no id; the job's name).
 */
export type Actor = { kind: ActorKind; id: string | null; name: string | null };

export const systemActor = (job: string): Actor => ({ kind: "system", id: null, name: job });
export const guestActor = (name: string | null = null): Actor => ({ kind: "guest", id: null, name });

/** A change no caller named: kept as the system's, unnamed, so the history still has every event. */
export const UNNAMED_ACTOR: Actor = { kind: "system", id: null, name: null };

/** At most this much of an event's detail is kept (a line list of a huge reprint, say); longer: none. */
export const MAX_DETAIL_CHARS = 4000;

/**
 * What the row keeps of the payload: every field beside the snapshot (`order`, `cart`) that the
 * log carries for replay. The order's own row keeps its current state; this keeps what happened.
 */
export function historyDetail(payload: unknown): string | null {
  if (payload === null || typeof payload !== "object" || Array.isArray(payload)) return null;
  const rest = Object.fromEntries(Object.entries(payload).filter(([k, v]) => k !== "order" && k !== "cart" && v !== undefined));
  if (Object.keys(rest).length === 0) return null;
  const text = JSON.stringify(rest);
  return text.length > MAX_DETAIL_CHARS ? null : text;
}

/**
 * The row `mutate` asks appendEvent to write beside the event (on PostgreSQL in the event's own
 * statement: one round trip for both). Its `eventId` is the event's write key (`seq`,
 * lib/events/log.ts): inside the transaction an event has no log position yet on PostgreSQL (it
 * is stamped after the commit); on SQLite the two are equal. The timeline maps it to the position
 * while the log still has the event.
 */
export function historyEntry(payload: unknown, actor: Actor): HistoryEntry {
  return { actorKind: actor.kind, actorId: actor.id, actorName: actor.name, detail: historyDetail(payload) };
}

export type HistoryRow = {
  eventId: number;
  type: string;
  actor: Actor;
  detail: Record<string, unknown> | null;
  at: string;
};

/** An order's audit rows, oldest first. */
export async function readHistory(db: Db, orderId: number): Promise<HistoryRow[]> {
  const rows = await db.selectFrom("orderHistory").selectAll().where("orderId", "=", orderId).orderBy("id", "asc").limit(5000).execute();
  return rows.map((r) => ({
    eventId: Number(r.eventId),
    type: r.type,
    actor: { kind: r.actorKind as ActorKind, id: r.actorId, name: r.actorName },
    detail: r.detail === null ? null : (JSON.parse(r.detail) as Record<string, unknown>),
    at: r.createdAt,
  }));
}
