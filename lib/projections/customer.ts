import type { OrderRecord } from "../orders/dto";
import { type CartDomainEvent, type DomainEvent, isCartEvent, isOrderEvent } from "../orders/events";
import { formatMoney } from "../orders/money";
import { statusFor } from "../orders/status";
import type { Projected } from "./types";

/**
 * seeds/002 for the customer's own order (docs/contracts.md, "seeds/002"): created (an order
 * placed whole is PENDING at once), updated with each status in the customer's words, shipped
 * when a delivery leaves with the courier, cancelled with its reason. A table's cart
 * (lib/orders/carts.ts) is streamed as it is built, as the seed shows it: `order-created`
 * (CREATED, empty), `order-item-added` / `order-item-removed`, `order-updated` (total,
 * itemCount) after each change, `order-submitted` (PENDING) — or `order-cancelled` when abandoned.
 */
export function customer(event: DomainEvent): Projected {
  if (isCartEvent(event)) return cartEvent(event);
  if (!isOrderEvent(event) || event.type === "order.reprinted") return null;
  if (event.type === "order.acknowledged" || event.type === "order.unacknowledged") return null;
  const o: OrderRecord = event.payload.order;
  const status = statusFor("customer", o.status);
  // A table's cart was built in the open (order-created … order-updated above); placing it is its submission.
  if (event.type === "order.created" && event.payload.submitted) {
    return { event: "order-submitted", data: { orderId: String(o.id), status, submittedAt: event.payload.submitted.at } };
  }
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

function cartEvent(event: CartDomainEvent): Projected {
  const { cart } = event.payload;
  const orderId = String(cart.id);
  switch (event.type) {
    case "cart.opened":
      return {
        event: "order-created",
        data: { orderId, customerId: null, status: "CREATED", items: [], total: Number(formatMoney(cart.total)) },
      };
    case "cart.item-added": {
      const item = event.payload.item!;
      return {
        event: "order-item-added",
        data: {
          orderId,
          itemId: item.id,
          name: item.name,
          quantity: item.quantity,
          price: Number(formatMoney(item.unitPrice + item.unitSurcharge)),
        },
      };
    }
    case "cart.item-removed":
      return { event: "order-item-removed", data: { orderId, itemId: event.payload.itemId! } };
    case "cart.updated":
      return { event: "order-updated", data: { orderId, total: Number(formatMoney(cart.total)), itemCount: cart.itemCount } };
    case "cart.expired":
      return { event: "order-cancelled", data: { orderId, status: statusFor("customer", "CANCELLED"), reason: "cart expired" } };
    default:
      // cart.member: who is at the table is the phones' business (the cart view), not the seeds stream's.
      return null;
  }
}
