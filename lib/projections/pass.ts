import { toOrderDto } from "../orders/dto";
import { type DomainEvent, type FoodChange, type MenuChange, isOrderEvent } from "../orders/events";
import type { Projected } from "./types";

/**
 * Pass's own screens read one event shape on every channel (`?view=pass`, docs/contracts.md
 * "Pass's own additions"): the event is named after the logged type and carries the whole
 * order as GET /api/orders/{id} returns it, so one reducer (lib/client/order-events.ts
 * `applyOrderEvent`) keeps any screen's list current without a REST round trip per event.
 */
export type PassOrderEvent = {
  type: string;
  order: ReturnType<typeof toOrderDto>;
  /** order.status */
  from?: string;
  reason?: string | null;
  /** order.reprinted */
  reprint?: { orderItemIds: string[]; receipt: boolean };
  /** order.station: what a station did (`changed` = the part ids it moved). */
  station?: { station: string; action: string; by: string; changed: string[] };
  /** order.fired: which courses fired and by whom ("auto", "schedule" or a name). */
  fired?: { courses: number[]; by: string };
};

/**
 * A menu event on a `pass:` staff channel: one event name for every kind of menu change, so a
 * screen needs one handler (refetch the menu). `food` is the dish as it is now, for food events.
 */
export type PassMenuEvent = {
  type: "food.created" | "food.updated" | "food.archived" | "menu.changed";
  entity: MenuChange["entity"];
  id: string | null;
  food?: FoodChange["food"];
};

/**
 * `partner.updated` on a `pass:` staff channel (the back office changed the restaurant): the
 * profile as GET /api/partners/{slug} answers it, so a screen re-reads currency, locale and its
 * defaults without a reload. Not an order: the order reducer only moves its position.
 */
export type PassPartnerEvent = { type: "partner.updated"; partner: Record<string, unknown> & { slug: string }; changed: string[] };

export function passPartner(event: DomainEvent): Projected {
  if (event.type !== "partner.updated") return null;
  const data: PassPartnerEvent = { type: event.type, partner: event.payload.partner, changed: event.payload.changed };
  return { event: "partner.updated", data };
}

export function passMenu(event: DomainEvent): Projected {
  if (event.type === "menu.changed") {
    const data: PassMenuEvent = { type: event.type, entity: event.payload.entity, id: event.payload.id };
    return { event: "menu.changed", data };
  }
  if (event.type === "food.created" || event.type === "food.updated" || event.type === "food.archived") {
    const { food } = event.payload;
    const data: PassMenuEvent = { type: event.type, entity: "food", id: food.id, food };
    return { event: "menu.changed", data };
  }
  return null;
}

export function pass(event: DomainEvent): Projected {
  if (!isOrderEvent(event)) return null;
  const { order, from, reason, reprint, station, fired } = event.payload;
  const data: PassOrderEvent = { type: event.type, order: toOrderDto(order) };
  if (event.type === "order.status") Object.assign(data, { from, reason: reason ?? null });
  if (event.type === "order.reprinted") data.reprint = reprint ?? { orderItemIds: [], receipt: false };
  if (event.type === "order.station" && station) data.station = station;
  if (event.type === "order.fired") data.fired = fired ?? { courses: [], by: "auto" };
  return { event: event.type, data };
}

/** `pass:display` feeds the public board: the same events with no cancel reason anywhere. */
export function passDisplay(event: DomainEvent): Projected {
  const projected = pass(event);
  if (!projected) return null;
  const data = projected.data as PassOrderEvent;
  const shown: PassOrderEvent = { ...data, order: { ...data.order, cancelReason: null } };
  if ("reason" in data) shown.reason = null;
  return { event: projected.event, data: shown };
}
