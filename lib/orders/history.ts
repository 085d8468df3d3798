import "server-only";
import { assertCan, assertPartnerVisible, type Principal } from "../auth/access";
import type { Db } from "../db";
import { NotFoundError } from "../errors";
import { type Actor, readEvents, readHistory } from "../events";
import { type OrderRecord, toOrderDto } from "./dto";
import { loadOrder } from "./service";

/**
 * An order's timeline for the dashboard's order view (issue 17 items 3 and 4), oldest first, from
 * three sources:
 * - `audit`: the order's history rows (lib/events/history.ts), one per event since migration 0021,
 *   with who caused it; kept as long as the order, whatever the log's retention;
 * - `log`: events of the order the log still holds that have no history row (written before 0021);
 *   who caused them is what their payload says, if anything;
 * - `stored`: what the order's own row and lines stamped (created, confirmed, acknowledged, each
 *   station's start and done…), for the moments neither of the above covers — an order from before
 *   0021 whose events were pruned still shows when and by whom its steps were done.
 */
export type TimelineSource = "audit" | "log" | "stored";

/** An audit row's actor, or for older moments only the name their payload or stamp kept (`named`). */
export type TimelineActor = Actor | { kind: "named"; id: null; name: string };

export type TimelineEntry = {
  at: string;
  /** The event type (`order.status`, `cart.item-added`…), or for `stored` the stamp's own name. */
  type: string;
  source: TimelineSource;
  eventId: number | null;
  /** null: not known (an event logged before the audit trail, or a stamp that names no one). */
  actor: TimelineActor | null;
  /** What happened beside the order's snapshot: `{ from, to, reason }`, `{ station }`… */
  detail: Record<string, unknown> | null;
};

/** The log's events of one order at most (a year of station taps on one ticket is far fewer). */
const MAX_LOG_EVENTS = 5000;

/**
 * GET /api/orders/{id}/history: the order (the REST API's full shape, lines and options), how its
 * partner writes amounts, and its timeline. Staff with `orders:read`; another partner's order 404.
 */
export async function getOrderHistory({ db, principal, id }: { db: Db; principal: Principal; id: number }) {
  assertCan(principal, "orders:read");
  const order = await loadOrder(db, id);
  if (!order) throw new NotFoundError("order");
  assertPartnerVisible(principal, order.partnerId, "order");
  const money = await db.selectFrom("partners").select(["currency", "locale"]).where("id", "=", order.partnerId).executeTakeFirstOrThrow();
  return { ...toOrderDto(order), money, timeline: await orderTimeline(db, order) };
}

export async function orderTimeline(db: Db, order: OrderRecord): Promise<TimelineEntry[]> {
  const audit = await readHistory(db, order.id);
  // An entry's `eventId` is the event's write key (lib/events/history.ts): the one audit rows
  // carry, stable after the log is pruned (equal to the log id on SQLite, docs/contracts.md).
  const keys = await db
    .selectFrom("events")
    .select(["id", "seq"])
    .where("orderId", "=", order.id)
    .where("id", "is not", null)
    .limit(MAX_LOG_EVENTS)
    .execute();
  const keyOfPosition = new Map(keys.map((k) => [Number(k.id), Number(k.seq)]));
  const audited = new Set(audit.map((r) => r.eventId));
  const logged = (await readEvents({ db, afterId: 0, orderId: order.id, limit: MAX_LOG_EVENTS })).filter(
    (e) => !audited.has(keyOfPosition.get(e.id) ?? e.id),
  );
  const entries: TimelineEntry[] = [
    ...audit.map((r) => ({
      at: r.at,
      type: r.type,
      source: "audit" as const,
      eventId: r.eventId,
      actor: r.actor,
      detail: r.detail,
    })),
    ...logged.map((e) => {
      const detail = beside(e.payload);
      return {
        at: e.createdAt,
        type: e.type,
        source: "log" as const,
        eventId: keyOfPosition.get(e.id) ?? e.id,
        actor: namedIn(detail),
        detail,
      };
    }),
  ];
  const seen = new Set(entries.map((e) => e.type));
  entries.push(...(await storedStamps(db, order, seen)));
  return entries.sort((a, b) => a.at.localeCompare(b.at) || (a.eventId ?? Infinity) - (b.eventId ?? Infinity));
}

/** The payload's fields beside the order/cart snapshot (as lib/events/history.ts keeps them). */
function beside(payload: unknown): Record<string, unknown> | null {
  if (payload === null || typeof payload !== "object") return null;
  const rest = Object.fromEntries(Object.entries(payload).filter(([k]) => k !== "order" && k !== "cart"));
  return Object.keys(rest).length ? rest : null;
}

/** Who an old event's payload names: a station's or expo's `by`, a fired course's, a cart member's. */
function namedIn(detail: Record<string, unknown> | null): TimelineActor | null {
  if (!detail) return null;
  for (const key of ["station", "expo", "fired", "change", "submitted"]) {
    const by = (detail[key] as { by?: unknown } | undefined)?.by;
    if (typeof by === "string" && by) return { kind: "named", id: null, name: by };
    if (by && typeof by === "object" && typeof (by as { name?: unknown }).name === "string")
      return { kind: "guest", id: String((by as { id?: unknown }).id ?? "") || null, name: (by as { name: string }).name };
  }
  return null;
}

/** The order's own stamps for the steps no event in the history or the log shows. */
async function storedStamps(db: Db, order: OrderRecord, seen: Set<string>): Promise<TimelineEntry[]> {
  const out: TimelineEntry[] = [];
  const stamp = (at: string | null, type: string, actor: TimelineActor | null, detail: Record<string, unknown> | null = null) => {
    if (at) out.push({ at, type, source: "stored", eventId: null, actor, detail });
  };
  const named = (name: string | null): TimelineActor | null => (name ? { kind: "named", id: null, name } : null);
  if (!seen.has("order.created")) stamp(order.createdAt, "order.created", null, { source: order.source });
  if (!seen.has("order.confirmed") && order.confirmedAt) {
    const user = order.userId
      ? await db.selectFrom("users").select(["id", "username"]).where("id", "=", order.userId).executeTakeFirst()
      : undefined;
    stamp(order.confirmedAt, "order.confirmed", user ? { kind: "user", id: user.id, name: user.username } : null, {
      paymentMethod: order.paymentMethod,
    });
  }
  if (!seen.has("order.allergy-acknowledged")) stamp(order.allergyAckAt, "order.allergy-acknowledged", named(order.allergyAckBy));
  if (!seen.has("order.acknowledged") && !order.allergyAckAt) stamp(order.kitchenAckAt, "order.acknowledged", null);
  if (!seen.has("order.station")) {
    const lines = new Map(order.orderItems.map((i) => [i.id, i.name]));
    for (const p of order.parts) {
      const detail = { station: p.station, item: lines.get(p.orderItemId) ?? null };
      stamp(p.startedAt, "line.started", named(p.startedBy), detail);
      stamp(p.doneAt, "line.done", named(p.doneBy), detail);
    }
  }
  if (!seen.has("order.status") && order.status !== "PENDING" && order.status !== "CONFIRMED")
    stamp(order.statusChangedAt, "order.status", null, { to: order.status, reason: order.cancelReason });
  return out;
}
