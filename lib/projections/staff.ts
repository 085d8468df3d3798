import {
  toCashierNewOrder,
  toConfirmedOrderRef,
  toOrderDto,
  toOrderListDto,
  toPrinterConfirmedOrder,
  toPrinterReprintOrder,
  type OrderRecord,
} from "../orders/dto";
import { type DomainEvent, isOrderEvent } from "../orders/events";
import type { Projected, ProjectionContext } from "./types";

/**
 * The staff channels' wire shapes, pure (docs/contracts.md, "seeds/003" and "seeds/000").
 * cashier / display / printer carry seeds/003's payloads unchanged. Pass's own additions, which
 * seeds/003 clients ignore: `order-status` (cancellations, ready numbers), `kitchen-seen` /
 * `kitchen-not-seen` on cashier and `fallback-order` on printer (tickets no kitchen screen showed).
 */
export function cashier(event: DomainEvent): Projected {
  if (!isOrderEvent(event)) return null;
  const { order } = event.payload;
  switch (event.type) {
    case "order.created":
      return { event: "new-order", data: toCashierNewOrder(order) };
    case "order.confirmed":
      return { event: "confirmed-order", data: toConfirmedOrderRef(order) };
    case "order.acknowledged":
      return { event: "kitchen-seen", data: { id: order.id, kitchenAckAt: order.kitchenAckAt } };
    case "order.unacknowledged":
      return { event: "kitchen-not-seen", data: toConfirmedOrderRef(order) };
    case "order.allergy-acknowledged":
      return { event: "allergy-seen", data: { id: order.id, allergyAckAt: order.allergyAckAt, allergyAckBy: order.allergyAckBy } };
    case "order.status":
      return { event: "order-status", data: statusChange(order) };
    default:
      return null;
  }
}

/** The display channel feeds the public board: no cancel reasons (they can name a guest or a problem). */
export function display(event: DomainEvent): Projected {
  if (event.type === "order.confirmed") return { event: "confirmed-order", data: toConfirmedOrderRef(event.payload.order) };
  if (event.type === "order.status") {
    const { cancelReason: _hidden, ...shown } = statusChange(event.payload.order);
    return { event: "order-status", data: shown };
  }
  return null;
}

export function printer(event: DomainEvent): Projected {
  if (event.type === "order.confirmed") return { event: "confirmed-order", data: toPrinterConfirmedOrder(event.payload.order) };
  // Pass's own: no kitchen screen showed the ticket in time, so paper does.
  if (event.type === "order.unacknowledged") return { event: "fallback-order", data: toPrinterConfirmedOrder(event.payload.order) };
  if (event.type === "order.reprinted") {
    const reprint = event.payload.reprint ?? { orderItemIds: [], receipt: false };
    return { event: "reprint-order", data: toPrinterReprintOrder(event.payload.order, reprint) };
  }
  return null;
}

/** The kitchen sees a ticket from confirmation on, and every change to its lines. */
const KITCHEN_UPDATES = new Set(["order.status", "order.allergy-acknowledged", "order.station", "order.fired"]);

export function kitchen(event: DomainEvent): Projected {
  if (!isOrderEvent(event) || (event.type !== "order.confirmed" && !KITCHEN_UPDATES.has(event.type))) return null;
  return { event: event.type === "order.confirmed" ? "ticket-created" : "ticket-updated", data: toOrderDto(event.payload.order) };
}

/** seeds/000 OrderListDto. `activeTimer` is rendered at delivery (or replay) time. */
export function partner(event: DomainEvent, { partner, now }: ProjectionContext): Projected {
  if (!isOrderEvent(event)) return null;
  return {
    event: event.type === "order.created" ? "order-created" : "order-updated",
    data: toOrderListDto(event.payload.order, partner, now),
  };
}

function statusChange(o: OrderRecord) {
  return {
    id: o.id,
    displayCode: o.displayCode,
    ticketNumber: o.ticketNumber,
    status: o.status,
    statusChangedAt: o.statusChangedAt,
    cancelReason: o.cancelReason,
  };
}
