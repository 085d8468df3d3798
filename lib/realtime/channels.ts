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
import type { EventType, LoggedEvent } from "./log";

/**
 * What each channel shows of the log, pure. A channel renders every event of its types and
 * nothing else, so "how many events will a replay send" is a COUNT over those types.
 *
 * cashier / display / printer carry seeds/003's payloads unchanged. Pass's own additions, which
 * seeds/003 clients ignore: `order-status` (cancellations, ready numbers), `kitchen-seen` /
 * `kitchen-not-seen` on cashier and `fallback-order` on printer (tickets no kitchen screen showed).
 */
export const CHANNEL_EVENT_TYPES: Record<Channel, readonly EventType[]> = {
  cashier: ["order.created", "order.confirmed", "order.status", "order.acknowledged", "order.unacknowledged"],
  display: ["order.confirmed", "order.status"],
  printer: ["order.confirmed", "order.reprinted", "order.unacknowledged"],
  kitchen: ["order.confirmed", "order.status"],
  partner: ["order.created", "order.confirmed", "order.status"],
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
  channel: Channel;
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
  }
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
