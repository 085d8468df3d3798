import "server-only";
import type { Db } from "../db";
import { newId, nowIso } from "../db/ids";
import { enqueueJob, JOB_TASKS } from "./jobs";
import type { AppendedEvent, EventType, LoggedEvent, PartnerWebhook } from "./log";
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from "./webhook-events";

/**
 * The notification outbox (docs/architecture.md, "Outbox"): for each event a mutation appends,
 * one row per channel and recipient, written in the same transaction, with a `notification:send`
 * job per row. The sender (lib/notifications/sender.ts) claims a row by a conditional update and
 * delivers it; an event that rolled back never notifies anyone, and one that committed always does.
 *
 * - webhook: every event of WEBHOOK_EVENT_TYPES a partner's webhook subscribed to;
 * - push / sms: the guest's subscriptions of an order that turns READY or CANCELLED.
 */
export { WEBHOOK_EVENT_TYPES, type WebhookEventType };

/** Order statuses the guest is told about (Web Push, SMS). */
export const GUEST_NOTIFIED_STATUSES = ["READY", "CANCELLED"] as const;

export type OutboxChannel = "webhook" | "push" | "sms";

/**
 * What an outbox row carries: the event as logged (the sender renders it per channel). `id` (the
 * log position) is null when written on PostgreSQL, where positions are stamped after the commit;
 * the sender reads it by `seq` (lib/events/log.ts positionOf). Rows written before `seq` have `id`.
 */
export type OutboxBody = Pick<LoggedEvent, "type" | "orderId" | "version" | "payload" | "createdAt"> & { id: number | null; seq?: number };

export const isWebhookEvent = (type: EventType): type is WebhookEventType => (WEBHOOK_EVENT_TYPES as readonly string[]).includes(type);

/** `eventId` of an outbox row is the event's write key (`seq`): unique, and known before the commit. */
export async function writeOutbox(trx: Db, events: readonly AppendedEvent[]): Promise<number> {
  const rows: { partnerId: string; eventId: number; orderId: number | null; channel: OutboxChannel; recipient: string; body: string }[] =
    [];
  const hooked = events.filter((e) => isWebhookEvent(e.type));
  const partners = [...new Set(hooked.map((e) => e.partnerId))];
  if (partners.length > 0) {
    // Read with the events when appendEvent could (PostgreSQL), else here.
    const hooks: PartnerWebhook[] = hooked.every((e) => e.webhooks)
      ? [...new Map(hooked.flatMap((e) => e.webhooks!).map((h) => [h.id, h])).values()]
      : await trx
          .selectFrom("webhooks")
          .select(["id", "partnerId", "events"])
          .where("partnerId", "in", partners)
          .where("removedAt", "is", null)
          .execute();
    for (const e of hooked) {
      for (const h of hooks) {
        if (h.partnerId !== e.partnerId || !(JSON.parse(h.events) as string[]).includes(e.type)) continue;
        rows.push({ partnerId: e.partnerId, eventId: e.seq, orderId: e.orderId, channel: "webhook", recipient: h.id, body: bodyOf(e) });
      }
    }
  }
  const guest = events.filter(
    (e) =>
      e.type === "order.status" &&
      e.orderId !== null &&
      (GUEST_NOTIFIED_STATUSES as readonly unknown[]).includes((e.payload as { to?: unknown }).to),
  );
  if (guest.length > 0) {
    const subs = await trx
      .selectFrom("notificationSubscriptions")
      .select(["id", "orderId", "channel"])
      .where(
        "orderId",
        "in",
        guest.map((e) => e.orderId!),
      )
      .execute();
    for (const e of guest) {
      for (const s of subs) {
        if (Number(s.orderId) !== e.orderId) continue;
        rows.push({
          partnerId: e.partnerId,
          eventId: e.seq,
          orderId: e.orderId,
          channel: s.channel as OutboxChannel,
          recipient: s.id,
          body: bodyOf(e),
        });
      }
    }
  }
  if (rows.length === 0) return 0;
  const at = nowIso();
  const withIds = rows.map((r) => ({
    ...r,
    id: newId(),
    status: "pending",
    claimedBy: null,
    claimedAt: null,
    lastError: null,
    sentAt: null,
    createdAt: at,
  }));
  await trx.insertInto("outbox").values(withIds).execute();
  for (const r of withIds) {
    // partnerId / orderId: the failed list shows whose notification it was.
    await enqueueJob(trx, {
      task: JOB_TASKS.notify,
      payload: { outboxId: r.id, partnerId: r.partnerId, orderId: r.orderId },
      jobKey: `notify:${r.id}`,
    });
  }
  return withIds.length;
}

function bodyOf(e: AppendedEvent): string {
  const body: OutboxBody = {
    id: e.id,
    seq: e.seq,
    type: e.type,
    orderId: e.orderId,
    version: e.version,
    payload: e.payload,
    createdAt: e.createdAt,
  };
  return JSON.stringify(body);
}
