import { DEFAULT_MONEY_STYLE } from "../money-format";
import type { OrderRecord } from "../orders/dto";
import { type DomainEvent, isOrderEvent } from "../orders/events";
import { formatMoney } from "../orders/money";
import { statusFor } from "../orders/status";

/**
 * seeds/001 WebSocket messages for a log event, pure. One event may concern several topics (a
 * confirmation updates the order and records the payment), so the hub renders each event once
 * into lines `topic<TAB>message` and every connection sends the lines of its topics.
 */
export const WS_TOPICS = ["order_changes", "product_changes", "customer_changes", "shipment_changes", "transaction_changes"] as const;
export type WsTopic = (typeof WS_TOPICS)[number];

type Message = { topic: WsTopic; event: string; data: Record<string, unknown> };

const amount = (minor: number) => Number(formatMoney(minor));

function orderData(o: OrderRecord, currency: string) {
  return {
    id: o.id,
    order_number: o.displayCode,
    status: statusFor("websocket", o.status),
    payment_status: o.paymentMethod ? (o.status === "CANCELLED" ? "refunded" : "paid") : "pending",
    total: amount(o.total),
    // The partner's customer (migration 0018), never the guest's free-text name; null when none.
    customer_id: o.customerId ?? null,
    currency,
  };
}

/**
 * seeds/001 `transaction:created` per payment of the order: `pay-<order>` (or `refund-<order>`)
 * for a bill paid one way, `pay-<order>-<n>` for the n-th payment of a split bill.
 */
function transactions(order: OrderRecord, type: "payment" | "refund"): Message[] {
  const prefix = type === "payment" ? "pay" : "refund";
  const split = order.payments.length > 1;
  return order.payments.map((p, i) => ({
    topic: "transaction_changes",
    event: "transaction:created",
    data: {
      id: split ? `${prefix}-${order.id}-${i + 1}` : `${prefix}-${order.id}`,
      order_id: order.id,
      type,
      status: "completed",
      amount: amount(p.amount),
      gateway: p.method.toLowerCase(),
    },
  }));
}

/** "Ada King Lovelace" → Ada / King Lovelace; a one-word name has no last name. */
function splitName(name: string | null): { first_name: string | null; last_name: string | null } {
  if (!name) return { first_name: null, last_name: null };
  const [first, ...rest] = name.trim().split(/\s+/);
  return { first_name: first ?? null, last_name: rest.length > 0 ? rest.join(" ") : null };
}

/**
 * seeds/001 `customer:created` / `customer:updated`: id, email, first_name, last_name, and on
 * updates `changed_fields` with the seed's names; a phone or consent change (fields the seed's
 * data has none of) is named `phone` / `marketing_consent` there.
 */
function customerMessage(event: Extract<DomainEvent, { type: "customer.created" | "customer.updated" }>): Message {
  const { customer, changed } = event.payload;
  const changedFields: Record<string, unknown> = {};
  if ("email" in changed) changedFields.email = changed.email;
  if ("name" in changed) Object.assign(changedFields, splitName(changed.name ?? null));
  if ("phone" in changed) changedFields.phone = changed.phone;
  if ("marketingConsent" in changed) changedFields.marketing_consent = changed.marketingConsent;
  return {
    topic: "customer_changes",
    event: event.type === "customer.created" ? "customer:created" : "customer:updated",
    data: {
      id: customer.id,
      email: customer.email,
      ...splitName(customer.name),
      // seeds/001 shows changed_fields on updates only.
      ...(event.type === "customer.updated" ? { changed_fields: changedFields } : {}),
    },
  };
}

/** A shipment's status in seeds/001's words: assigned until picked up, then shipped, then delivered. */
function shipmentStatus(status: OrderRecord["status"]): string {
  if (status === "PICKED_UP") return "shipped";
  if (status === "DELIVERED") return "delivered";
  if (status === "CANCELLED") return "cancelled";
  return "assigned";
}

/** `currency`: the partner's (seeds/001 `data.currency` of order messages); USD when unknown. */
export function wsMessages(event: DomainEvent, { currency = DEFAULT_MONEY_STYLE.currency }: { currency?: string } = {}): Message[] {
  if (event.type === "food.created" || event.type === "food.updated" || event.type === "food.archived") {
    const { food, changed } = event.payload;
    const changedFields: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(changed)) {
      if (k === "price") changedFields.price = Number(v);
      else if (k === "available") changedFields.status = v ? "published" : "unavailable";
      else if (k === "archived") changedFields.status = "deleted";
      else changedFields[k] = v;
    }
    const name = { "food.created": "product:created", "food.updated": "product:updated", "food.archived": "product:deleted" }[event.type];
    return [
      {
        topic: "product_changes",
        event: name,
        data: {
          id: food.id,
          name: food.name,
          sku: food.id,
          status: event.type === "food.archived" ? "deleted" : food.available ? "published" : "unavailable",
          price: Number(food.price),
          stock: null,
          // seeds/001 shows changed_fields on updates only.
          ...(event.type === "food.updated" ? { changed_fields: changedFields } : {}),
        },
      },
    ];
  }
  if (event.type === "customer.created" || event.type === "customer.updated") return [customerMessage(event)];
  if (!isOrderEvent(event)) return [];
  const { order } = event.payload;
  const data = orderData(order, currency);
  switch (event.type) {
    case "order.created":
      return [{ topic: "order_changes", event: "order:created", data }];
    case "order.confirmed":
      return [
        {
          topic: "order_changes",
          event: "order:updated",
          data: { ...data, changed_fields: { status: data.status, payment_status: data.payment_status } },
        },
        ...transactions(order, "payment"),
      ];
    case "order.courier": {
      // A first courier is the shipment's creation; a reassignment (by a person, lib/orders/couriers.ts) updates its carrier.
      const first = !event.payload.courier?.previous;
      const shipment = {
        id: order.id,
        order_id: order.id,
        tracking_number: order.displayCode,
        status: shipmentStatus(order.status),
        carrier: order.courierName,
      };
      return [
        { topic: "order_changes", event: "order:updated", data: { ...data, changed_fields: { courier_name: order.courierName } } },
        first
          ? { topic: "shipment_changes", event: "shipment:created", data: shipment }
          : { topic: "shipment_changes", event: "shipment:updated", data: { ...shipment, changed_fields: { carrier: order.courierName } } },
      ];
    }
    case "order.location":
      return [
        {
          topic: "shipment_changes",
          event: "shipment:updated",
          data: {
            id: order.id,
            order_id: order.id,
            tracking_number: order.displayCode,
            status: "shipped",
            carrier: order.courierName,
            location: order.courierLocation,
            changed_fields: { location: order.courierLocation },
          },
        },
      ];
    case "order.status": {
      const { from } = event.payload;
      const messages: Message[] = [
        { topic: "order_changes", event: "order:updated", data: { ...data, changed_fields: { status: data.status } } },
      ];
      if (order.status === "CANCELLED" && from !== "PENDING") messages.push(...transactions(order, "refund"));
      if (order.source === "delivery" && (order.status === "PICKED_UP" || order.status === "DELIVERED")) {
        const status = order.status === "PICKED_UP" ? "shipped" : "delivered";
        messages.push({
          topic: "shipment_changes",
          event: "shipment:updated",
          data: {
            id: order.id,
            order_id: order.id,
            tracking_number: order.displayCode,
            status,
            carrier: order.courierName,
            changed_fields: { status },
          },
        });
      }
      return messages;
    }
    default:
      return [];
  }
}

/**
 * The rendered form the hub shares between connections. Each message carries the log `id`
 * (Pass's addition to seeds/001) so a client can resume with `subscribe {offset}`.
 */
export function renderWsLines(event: DomainEvent, options: { currency?: string } = {}): string | null {
  return (
    wsMessages(event, options)
      .map((m) => `${m.topic}\t${JSON.stringify({ id: event.id, event: m.event, data: m.data, timestamp: event.createdAt })}`)
      .join("\n") || null
  );
}
