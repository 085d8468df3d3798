import type { OrderDto } from "../orders/dto";
import type { PassMenuEvent, PassOrderEvent } from "../projections/pass";
import type { OrdersSnapshot } from "./orders-query";

/**
 * The one event model of Pass's own screens, pure. Every staff channel read with `?view=pass`
 * sends `event: <logged type>` frames whose data is `{ type, order, from?, reason?, reprint? }`
 * (lib/projections/pass.ts): the whole order as GET /api/orders/{id} returns it. So one reducer
 * keeps any screen's list current, with no REST round trip per event.
 *
 * The stream position in the browser: a screen's position is its snapshot's `lastEventId` (the
 * list in the query cache, or the print station's own record) and nothing else keeps one. The
 * stream reads it on every (re)connect (LiveStream's `position`), SharedStream hands a new
 * leader tab the position of that tab's own snapshot, and the "already applied?" check below
 * is the only one: replayed frames, a leader handover or a snapshot that already holds an
 * event all end here, where an event at or below the position changes nothing. The position
 * lives with the data because only the data knows what it has applied: a reloaded snapshot
 * (after a failed replay) brings its own position, and the stream simply resumes from it.
 */
export const ORDER_EVENT_TYPES = [
  "order.created",
  "order.confirmed",
  "order.status",
  "order.reprinted",
  "order.courier",
  "order.acknowledged",
  "order.unacknowledged",
  "order.allergy-acknowledged",
  // The station workflow: a station's start/bump/recall/undo, a course fired (the whole order, as above).
  "order.station",
  "order.fired",
] as const;
export type OrderEventType = (typeof ORDER_EVENT_TYPES)[number];

/** A frame as the stream delivers it (id null for control frames). */
export type StreamFrame = { id: number | null; event: string; data: unknown };

export type OrderEvent = PassOrderEvent & { type: OrderEventType; order: OrderDto };

/** The Pass event a frame carries, or null for control frames and anything else. */
export function orderEventOf(frame: StreamFrame): OrderEvent | null {
  if (!(ORDER_EVENT_TYPES as readonly string[]).includes(frame.event)) return null;
  const data = frame.data as Partial<PassOrderEvent> | null;
  if (!data || typeof data !== "object" || !data.order || typeof data.order.id !== "number") return null;
  return data as OrderEvent;
}

/**
 * A menu change on a `pass:` staff channel (`event: menu.changed`, lib/projections/pass.ts
 * passMenu): not an order, so the list keeps its orders and only moves its position; screens
 * refetch their menu query on it (use-orders-stream.ts).
 */
export type MenuEvent = PassMenuEvent;

export function menuEventOf(frame: StreamFrame): MenuEvent | null {
  if (frame.event !== "menu.changed") return null;
  const data = frame.data as Partial<PassMenuEvent> | null;
  if (!data || typeof data !== "object" || typeof data.type !== "string" || typeof data.entity !== "string") return null;
  return data as MenuEvent;
}

/**
 * One frame applied to a snapshot: an order event replaces (or adds) its order by id; any frame
 * with an id moves the position (replay-complete carries the log's top); a frame at or below
 * the position, or without an id, returns the same snapshot object (callers compare with ===
 * to know whether the event was new).
 */
export function applyOrderEvent(snapshot: OrdersSnapshot, frame: StreamFrame): OrdersSnapshot {
  if (frame.id === null || frame.id <= snapshot.lastEventId) return snapshot;
  const event = orderEventOf(frame);
  if (!event) return { ...snapshot, lastEventId: frame.id };
  const { order } = event;
  const at = snapshot.orders.findIndex((o) => o.id === order.id);
  const orders = at === -1 ? [...snapshot.orders, order] : snapshot.orders.map((o, i) => (i === at ? order : o));
  return { ...snapshot, orders, lastEventId: frame.id };
}

/** A frame a batch applied, with its order as the list held it before (undefined: new to the list). */
export type AppliedFrame = { frame: StreamFrame; before: OrderDto | undefined };

/**
 * A burst of frames (one network read: a replay arrives thousands at a time) applied at once,
 * with the same result as applyOrderEvent frame by frame but one copy of the list instead of
 * one per frame: a cashier resuming 5,000 missed orders must not cost 5,000 copies of a list
 * growing to 5,000. `applied` lists the frames that changed something, in order, each with its
 * order as it stood just before that frame; nothing applied → the same snapshot object.
 */
export function applyOrderEvents(
  snapshot: OrdersSnapshot,
  frames: readonly StreamFrame[],
): { snapshot: OrdersSnapshot; applied: AppliedFrame[] } {
  const applied: AppliedFrame[] = [];
  let lastEventId = snapshot.lastEventId;
  let index: Map<number, number> | null = null;
  let orders: OrderDto[] | null = null;
  for (const frame of frames) {
    if (frame.id === null || frame.id <= lastEventId) continue;
    lastEventId = frame.id;
    const event = orderEventOf(frame);
    if (!event) {
      applied.push({ frame, before: undefined });
      continue;
    }
    if (!orders || !index) {
      orders = snapshot.orders.slice();
      index = new Map(orders.map((o, i) => [o.id, i]));
    }
    const at = index.get(event.order.id);
    applied.push({ frame, before: at === undefined ? undefined : orders[at] });
    if (at === undefined) {
      index.set(event.order.id, orders.length);
      orders.push(event.order);
    } else {
      orders[at] = event.order;
    }
  }
  if (applied.length === 0) return { snapshot, applied };
  return { snapshot: { ...snapshot, orders: orders ?? snapshot.orders, lastEventId }, applied };
}
