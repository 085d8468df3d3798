import type { OrderRecord } from "../orders/dto";
import { type DomainEvent, isOrderEvent } from "../orders/events";
import { formatMoney } from "../orders/money";
import { statusFor } from "../orders/status";
import type { Projected } from "./types";

/**
 * seeds/002 for the customer's own order (docs/contracts.md, "seeds/002"): created (submitted at
 * once: Pass has no drafts), updated with each status in the customer's words, shipped when a
 * delivery leaves with the courier, cancelled with its reason.
 */
export function customer(event: DomainEvent): Projected {
  if (!isOrderEvent(event) || event.type === "order.reprinted") return null;
  if (event.type === "order.acknowledged" || event.type === "order.unacknowledged") return null;
  const o: OrderRecord = event.payload.order;
  const status = statusFor("customer", o.status);
  if (event.type === "order.created") {
    return {
      event: "order-created",
      data: {
        orderId: String(o.id),
        customerId: o.customer,
        status,
        displayCode: o.displayCode,
        items: o.orderItems.map((i) => ({
          itemId: i.id,
          name: i.name,
          quantity: i.quantity,
          price: Number(formatMoney(i.unitPrice + i.unitSurcharge)),
        })),
        total: Number(formatMoney(o.total)),
      },
    };
  }
  if (o.status === "CANCELLED") {
    return { event: "order-cancelled", data: { orderId: String(o.id), status, reason: o.cancelReason } };
  }
  if (o.status === "PICKED_UP" && o.source === "delivery" && event.type === "order.status") {
    return { event: "order-shipped", data: { orderId: String(o.id), status, carrier: o.courierName } };
  }
  return {
    event: "order-updated",
    data: {
      orderId: String(o.id),
      status,
      ...(event.type === "order.confirmed" ? { ticketNumber: o.ticketNumber, total: Number(formatMoney(o.total)) } : {}),
      ...(event.type === "order.courier" ? { courierName: o.courierName } : {}),
      ...(event.type === "order.location" ? { courierName: o.courierName, courierLocation: o.courierLocation } : {}),
      updatedAt: o.statusChangedAt,
    },
  };
}

/** The seeds/002 event name an event is shown as, for `eventTypes` filters (same rules as above). */
export function customerEventName(event: DomainEvent): string | null {
  return customer(event)?.event ?? null;
}
