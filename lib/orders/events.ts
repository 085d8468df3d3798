import type { EventType, LoggedEvent } from "../events/log";
import type { OrderRecord } from "./dto";
import type { OrderStatus } from "./status";
import type { PartState } from "./line-state";
import type { CartChange, CartItemRecord, CartMemberRecord, CartRecord } from "./cart-dto";
import type { CustomerRecord } from "./dto";

/**
 * The payloads the domain writes to the event log, and how older shapes are read today
 * (docs/architecture.md, "Event payloads"). Every writer stamps EVENT_PAYLOAD_VERSION; every
 * reader that renders a payload goes through `upgradeEvent`, so events stored by an earlier
 * release (kept for at least 24 h) still replay on every channel after an upgrade.
 *
 * Version history:
 * - 1 (up to commit 127196a): `{ order }` for order events, `{ order, orderItemIds, receipt }`
 *   for reprints, `{ order, from, to, reason }` for status changes, `{ food, changed }` for
 *   menu changes. Orders logged before migrations 0003/0004 lack `kitchenAckAt`,
 *   `kitchenAlertAt` and `courierLocation`.
 * - 2: every order field is present; a reprint's choice moves into `reprint`.
 * - 3 (migration 0008, the menu model): orders carry `serviceType`, `promisedAt`, `allergies`,
 *   `allergyAlert`, `allergyAckAt`, `allergyAckBy`; lines carry `modifiers`, `allergens`, `course`.
 *   Menu events `food.created`, `food.archived`, `menu.changed` exist from this version on.
 * - 4 (migration 0009, the station workflow): orders carry `parts` (one per line and station),
 *   `fireAt`, `expoConfirms`, `expoBumpedAt`; `order.station` and `order.fired` exist.
 * - 5 (migration 0014, payments): orders carry `payments` (method, amount, tendered, change; a
 *   split bill has several). Older orders paid their whole total with `paymentMethod`.
 *   `partner.updated` (the back office, migration 0013) is a new type with no order shape.
 *   From migration 0016 (carts) on, version 4 also has the `cart.*` events and the optional
 *   `submitted` of an `order.created` that came from a cart. Both are additions no earlier event
 *   lacks in a way a reader must repair, so they need no upgrade.
 *   Migration 0018 (customers) adds `customer.created` / `customer.updated` and the order's
 *   optional `customerId`; an order logged before it has none, which reads as null.
 *   Migration 0019 (couriers) adds the order's optional `courierId` / `courierAssignedBy` and the
 *   optional `courier` ({by, previous}) of `order.courier`; one without it reads as a first
 *   assignment (seeds/001 `shipment:created`), as it was rendered before.
 */
export const EVENT_PAYLOAD_VERSION = 5;

export type FoodChange = {
  food: { id: string; name: string; price: string; available: boolean } & Record<string, unknown>;
  changed: Record<string, unknown>;
  /** An "86 until the end of the day" that ended by itself at the cut-over. */
  restored?: boolean;
};

/** `menu.changed`: which part of the menu changed; screens refetch it (lib/menu/catalog.ts). */
export type MenuChange = {
  entity: "station" | "category" | "food" | "group" | "option";
  action: "created" | "updated" | "archived" | "reordered" | "sold-out" | "restored";
  /** null for a reorder of a whole list. */
  id: string | null;
};

export const FOOD_EVENT_TYPES = ["food.created", "food.updated", "food.archived"] as const;
export type FoodEventType = (typeof FOOD_EVENT_TYPES)[number];

export type OrderEventPayload = {
  order: OrderRecord;
  /** order.status: the transition. */
  from?: OrderStatus;
  to?: OrderStatus;
  reason?: string | null;
  /** order.reprinted: what to print again. */
  reprint?: { orderItemIds: string[]; receipt: boolean };
  /** order.station: what a station did; order.fired: which course fired (or "scheduled"). */
  station?: { station: string; action: string; by: string; changed: string[] };
  fired?: { courses: number[]; by: string };
  /** order.created of a table's cart: when it was submitted, and by which phone (lib/orders/carts.ts). */
  submitted?: { at: string; by: CartMemberRecord | null };
  /** order.courier (migration 0019): who chose the courier, and the courier it had before (null: a first assignment). */
  courier?: { by: "manual" | "job"; previous: string | null };
};

export const CART_EVENT_TYPES = [
  "cart.opened",
  "cart.member",
  "cart.item-added",
  "cart.item-removed",
  "cart.updated",
  "cart.expired",
] as const;
export type CartEventType = (typeof CART_EVENT_TYPES)[number];

/**
 * A cart event carries the whole cart after the change (so a phone that missed one catches up
 * from the next); `item` is the line added, `itemId` the line removed, `change` what happened
 * and who did it.
 */
export type CartEventPayload = {
  cart: CartRecord;
  item?: CartItemRecord;
  itemId?: string;
  change?: CartChange;
};

export const CUSTOMER_EVENT_TYPES = ["customer.created", "customer.updated"] as const;
export type CustomerEventType = (typeof CUSTOMER_EVENT_TYPES)[number];

/**
 * `customer.created` / `customer.updated`: the customer after the change and what changed
 * (every field of a created one; on an update the fields with their new values).
 */
export type CustomerChange = { customer: CustomerRecord; changed: Partial<Omit<CustomerRecord, "id" | "partnerId">> };

export type OrderEventType = Exclude<
  EventType,
  FoodEventType | "menu.changed" | "auth.revoked" | "partner.updated" | CartEventType | CustomerEventType
>;

/** `partner.updated`: the restaurant's profile as GET /api/partners/{slug} answers it, and which fields changed. */
export type PartnerChange = { partner: Record<string, unknown> & { slug: string }; changed: string[] };

/** Which credential an `auth.revoked` event ends (lib/auth/revocation.ts). */
export type RevokedCredential = { sessionId?: string; tokenId?: string; userId?: string };
export type RevocationPayload = {
  credential: RevokedCredential;
  reason: "logout" | "revoked" | "disabled" | "role-changed" | "password-reset";
};

/** A logged event in the current payload shape. */
export type DomainEvent =
  | (Omit<LoggedEvent, "type" | "payload"> & { type: OrderEventType; payload: OrderEventPayload })
  | (Omit<LoggedEvent, "type" | "payload"> & { type: FoodEventType; payload: FoodChange })
  | (Omit<LoggedEvent, "type" | "payload"> & { type: "menu.changed"; payload: MenuChange })
  | (Omit<LoggedEvent, "type" | "payload"> & { type: "auth.revoked"; payload: RevocationPayload })
  | (Omit<LoggedEvent, "type" | "payload"> & { type: "partner.updated"; payload: PartnerChange })
  | (Omit<LoggedEvent, "type" | "payload"> & { type: CartEventType; payload: CartEventPayload })
  | (Omit<LoggedEvent, "type" | "payload"> & { type: CustomerEventType; payload: CustomerChange });

export type CartDomainEvent = Extract<DomainEvent, { type: CartEventType }>;
export const isCartEvent = (event: DomainEvent): event is CartDomainEvent => event.type.startsWith("cart.");

export type OrderDomainEvent = Extract<DomainEvent, { type: OrderEventType }>;

/** Events about one order (they carry it); menu and credential events do not. */
export const isOrderEvent = (event: DomainEvent): event is OrderDomainEvent => event.type.startsWith("order.");

/** The part state an order's status implied before line states existed (as migration 0009 backfills). */
const PART_STATE_OF: Record<string, PartState> = {
  PENDING: "HELD",
  CONFIRMED: "QUEUED",
  PREPARING: "STARTED",
  READY: "DONE",
  PICKED_UP: "DONE",
  DELIVERED: "DONE",
  CANCELLED: "QUEUED",
};

/** 3 → 4: one part per line at its station, in the state the order's status implied. */
function v3ToV4(event: LoggedEvent, v3: V1Payload): V1Payload {
  const order = v3.order;
  if (!order) return v3;
  const state = PART_STATE_OF[order.status ?? "CONFIRMED"] ?? "QUEUED";
  const at = order.statusChangedAt ?? event.createdAt;
  return {
    ...v3,
    order: {
      ...order,
      fireAt: order.fireAt ?? null,
      expoConfirms: order.expoConfirms ?? false,
      expoBumpedAt: order.expoBumpedAt ?? null,
      warnPercent: order.warnPercent ?? 100,
      latePercent: order.latePercent ?? 150,
      parts:
        order.parts ??
        (order.orderItems ?? []).map((i) => ({
          id: `${i.id}:${i.station}`,
          orderItemId: i.id,
          station: i.station,
          course: i.course ?? 1,
          state,
          firedAt: state === "HELD" ? null : (order.confirmedAt ?? null),
          startedAt: state === "STARTED" || state === "DONE" ? at : null,
          startedBy: null,
          doneAt: state === "DONE" ? at : null,
          doneBy: null,
          targetMinutes: 10,
        })),
    },
  };
}

/** 4 → 5: an order confirmed before payments were recorded paid its whole total one way. */
function v4ToV5(v4: V1Payload): V1Payload {
  const order = v4.order;
  if (!order) return v4;
  const paid = order.paymentMethod ? [{ method: order.paymentMethod, amount: order.total ?? 0, tendered: null, change: null }] : [];
  return { ...v4, order: { ...order, payments: order.payments ?? paid } };
}

type V1Payload = Record<string, unknown> & { order?: Partial<OrderRecord>; orderItemIds?: string[]; receipt?: boolean };

/** Reads any stored version as the current one; unknown future versions are refused loudly. */
export function upgradeEvent(event: LoggedEvent): DomainEvent {
  if (event.version === EVENT_PAYLOAD_VERSION) return event as DomainEvent;
  if (event.version > EVENT_PAYLOAD_VERSION || event.version < 1) {
    throw new Error(`event ${event.id}: payload version ${event.version} is not readable by this release (≤ ${EVENT_PAYLOAD_VERSION})`);
  }
  let payload = event.payload as V1Payload;
  if (event.version < 2) payload = v1ToV2(event.type, payload);
  if (event.version < 3) payload = v2ToV3(payload);
  if (event.version < 4) payload = v3ToV4(event, payload);
  if (event.version < 5) payload = v4ToV5(payload);
  return { ...event, version: EVENT_PAYLOAD_VERSION, payload } as DomainEvent;
}

/** 1 → 2: every order field present; a reprint's choice moves into `reprint` (auth.revoked did not exist). */
function v1ToV2(type: EventType, v1: V1Payload): V1Payload {
  if (!v1.order) return v1;
  const { orderItemIds, receipt, order, ...rest } = v1;
  const payload: V1Payload = {
    ...rest,
    order: {
      ...order,
      kitchenAckAt: order.kitchenAckAt ?? null,
      kitchenAlertAt: order.kitchenAlertAt ?? null,
      courierLocation: order.courierLocation ?? null,
    },
  };
  if (type === "order.reprinted") payload.reprint = { orderItemIds: orderItemIds ?? [], receipt: receipt ?? false };
  return payload;
}

/** 2 → 3: orders logged before the menu model (migration 0008) have no structure: plain lines, no allergies. */
function v2ToV3(v2: V1Payload): V1Payload {
  const order = v2.order;
  if (!order) return v2;
  return {
    ...v2,
    order: {
      ...order,
      serviceType: order.serviceType ?? (order.source === "delivery" ? "delivery" : "dine-in"),
      promisedAt: order.promisedAt ?? null,
      allergies: order.allergies ?? null,
      allergyAlert: order.allergyAlert ?? false,
      allergyAckAt: order.allergyAckAt ?? null,
      allergyAckBy: order.allergyAckBy ?? null,
      orderItems: (order.orderItems ?? []).map((i) => ({
        ...i,
        modifiers: i.modifiers ?? [],
        allergens: i.allergens ?? [],
        course: i.course ?? 1,
      })),
    },
  };
}
