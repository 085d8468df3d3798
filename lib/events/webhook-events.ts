import type { EventType } from "./log";

/**
 * The events a partner's webhook can subscribe to (docs/contracts.md#jobs-and-notifications). No
 * server-only import: the back office's webhook panel lists them too.
 */
export const WEBHOOK_EVENT_TYPES = [
  "order.created",
  "order.confirmed",
  "order.status",
  "order.courier",
  "order.fired",
  "report.z",
] as const satisfies readonly EventType[];
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
