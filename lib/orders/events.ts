import type { EventType, LoggedEvent } from "../events/log";
import type { OrderRecord } from "./dto";
import type { OrderStatus } from "./status";

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
 */
export const EVENT_PAYLOAD_VERSION = 2;

export type FoodChange = {
  food: { id: string; name: string; price: string; available: boolean } & Record<string, unknown>;
  changed: Record<string, unknown>;
};

export type OrderEventPayload = {
  order: OrderRecord;
  /** order.status: the transition. */
  from?: OrderStatus;
  to?: OrderStatus;
  reason?: string | null;
  /** order.reprinted: what to print again. */
  reprint?: { orderItemIds: string[]; receipt: boolean };
};

export type OrderEventType = Exclude<EventType, "food.updated" | "auth.revoked">;

/** Which credential an `auth.revoked` event ends (lib/auth/revocation.ts). */
export type RevokedCredential = { sessionId?: string; tokenId?: string; userId?: string };
export type RevocationPayload = { credential: RevokedCredential; reason: "logout" | "revoked" | "disabled" | "role-changed" };

/** A logged event in the current payload shape. */
export type DomainEvent =
  | (Omit<LoggedEvent, "type" | "payload"> & { type: OrderEventType; payload: OrderEventPayload })
  | (Omit<LoggedEvent, "type" | "payload"> & { type: "food.updated"; payload: FoodChange })
  | (Omit<LoggedEvent, "type" | "payload"> & { type: "auth.revoked"; payload: RevocationPayload });

type V1Payload = Record<string, unknown> & { order?: Partial<OrderRecord>; orderItemIds?: string[]; receipt?: boolean };

/** Reads any stored version as the current one; unknown future versions are refused loudly. */
export function upgradeEvent(event: LoggedEvent): DomainEvent {
  if (event.version === EVENT_PAYLOAD_VERSION) return event as DomainEvent;
  if (event.version > EVENT_PAYLOAD_VERSION || event.version < 1) {
    throw new Error(`event ${event.id}: payload version ${event.version} is not readable by this release (≤ ${EVENT_PAYLOAD_VERSION})`);
  }
  // 1 → 2 (auth.revoked did not exist in version 1)
  const v1 = event.payload as V1Payload;
  if (event.type === "food.updated")
    return { ...event, version: EVENT_PAYLOAD_VERSION, payload: v1 as unknown as FoodChange } as DomainEvent;
  const { orderItemIds, receipt, order, ...rest } = v1;
  const payload: OrderEventPayload = {
    ...(rest as Omit<OrderEventPayload, "order">),
    order: {
      ...(order as OrderRecord),
      kitchenAckAt: order?.kitchenAckAt ?? null,
      kitchenAlertAt: order?.kitchenAlertAt ?? null,
      courierLocation: order?.courierLocation ?? null,
    },
  };
  if (event.type === "order.reprinted") payload.reprint = { orderItemIds: orderItemIds ?? [], receipt: receipt ?? false };
  return { ...event, type: event.type as OrderEventType, version: EVENT_PAYLOAD_VERSION, payload };
}
