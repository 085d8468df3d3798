import type { Channel } from "../auth/access";
import {
  toCashierNewOrder,
  toConfirmedOrderRef,
  toOrderDto,
  toOrderListDto,
  toPrinterConfirmedOrder,
  toPrinterReprintOrder,
  type OrderRecord,
  type PartnerInfo,
} from "../orders/dto";
import type { EventType, LoggedEvent } from "../events/log";
import { formatMoney } from "../orders/money";
import { statusFor } from "../orders/status";

/**
 * What each channel shows of the log, pure. A channel renders every event of its types and
 * nothing else, so "how many events will a replay send" is a COUNT over those types.
 *
 * cashier / display / printer carry seeds/003's payloads unchanged. Pass's own additions, which
 * seeds/003 clients ignore: `order-status` (cancellations, ready numbers), `kitchen-seen` /
 * `kitchen-not-seen` on cashier and `fallback-order` on printer (tickets no kitchen screen showed).
 */
/** What the hub renders: the staff channels, and `customer` (seeds/002 /v1/orders/live). */
export type StreamChannel = Channel | "customer" | "ws";

export const CHANNEL_EVENT_TYPES: Record<StreamChannel, readonly EventType[]> = {
  cashier: ["order.created", "order.confirmed", "order.status", "order.acknowledged", "order.unacknowledged"],
  display: ["order.confirmed", "order.status"],
  printer: ["order.confirmed", "order.reprinted", "order.unacknowledged"],
  kitchen: ["order.confirmed", "order.status"],
  partner: ["order.created", "order.confirmed", "order.status", "order.courier"],
  customer: ["order.created", "order.confirmed", "order.status", "order.courier", "order.location"],
  ws: ["order.created", "order.confirmed", "order.status", "order.courier", "order.location", "food.updated"],
};

type OrderPayload = { order: OrderRecord };
type ReprintPayload = OrderPayload & { orderItemIds: string[]; receipt: boolean };

export type Projection = { event: string; data: unknown };

export function projectEvent({
  channel,
  event,
  partner,
  now = new Date(),
}: {
  channel: StreamChannel;
  event: LoggedEvent;
  partner: PartnerInfo;
  now?: Date;
}): Projection | null {
  if (!CHANNEL_EVENT_TYPES[channel].includes(event.type)) return null;
  const { order } = event.payload as OrderPayload;
  switch (channel) {
    case "cashier":
      if (event.type === "order.created") return { event: "new-order", data: toCashierNewOrder(order) };
      if (event.type === "order.confirmed") return { event: "confirmed-order", data: toConfirmedOrderRef(order) };
      if (event.type === "order.acknowledged") return { event: "kitchen-seen", data: { id: order.id, kitchenAckAt: order.kitchenAckAt } };
      if (event.type === "order.unacknowledged") return { event: "kitchen-not-seen", data: toConfirmedOrderRef(order) };
      return { event: "order-status", data: statusChange(order) };
    case "display":
      if (event.type === "order.confirmed") return { event: "confirmed-order", data: toConfirmedOrderRef(order) };
      return { event: "order-status", data: statusChange(order) };
    case "printer":
      if (event.type === "order.confirmed") return { event: "confirmed-order", data: toPrinterConfirmedOrder(order) };
      // Pass's own: no kitchen screen showed the ticket in time, so paper does.
      if (event.type === "order.unacknowledged") return { event: "fallback-order", data: toPrinterConfirmedOrder(order) };
      return { event: "reprint-order", data: toPrinterReprintOrder(order, event.payload as ReprintPayload) };
    case "kitchen":
      return { event: event.type === "order.confirmed" ? "ticket-created" : "ticket-updated", data: toOrderDto(order) };
    case "partner":
      return { event: event.type === "order.created" ? "order-created" : "order-updated", data: toOrderListDto(order, partner, now) };
    case "customer":
      return customerEvent(event, order);
    case "ws":
      return null; // rendered by ws-messages (several topics per event), see Hub
  }
}

/**
 * seeds/002 for the customer's own order: created (submitted at once: Pass has no drafts),
 * updated with each status in the customer's words, shipped when a delivery leaves with the
 * courier, cancelled with its reason.
 */
function customerEvent(event: LoggedEvent, o: OrderRecord): Projection {
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
