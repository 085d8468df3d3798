import "server-only";
import crypto from "node:crypto";
import type { VapidKeys } from "../config";
import type { Db } from "../db";
import { newId, nowIso } from "../db/ids";
import type { OutboxBody } from "../events/outbox";
import { type LoggedEvent, positionOf } from "../events/log";
import { upgradeEvent } from "../orders/events";
import { toOrderDto } from "../orders/dto";
import { postOutbound } from "./outbound";
import { PushGoneError, sendPush, type PushMessage } from "./push";
import type { SmsAdapter } from "./sms";
import { signWebhook, unsealSecret } from "./webhooks";
import { metrics } from "../metrics";

/**
 * notification:send (docs/architecture.md, "Outbox"): delivers one outbox row on its channel.
 * The row is claimed by a conditional update (pending, and not claimed by a sender that is still
 * within its lease), so two nodes never send it at the same time; it is marked sent only by the
 * sender that claimed it. A failure leaves it pending with its error and throws, so the job
 * retries with backoff; the last attempt marks it failed (and the job lands in the failed list).
 * The one window left is a crash after the receiver answered and before `sent` committed: that
 * row is sent again, with the same delivery id (X-Pass-Delivery, the SMS reference) to drop it by.
 */
export type NotificationChannels = {
  vapid: VapidKeys;
  vapidSubject: string;
  /** Where the guest's /track page is, for the notification's link; null = a relative link. */
  publicUrl: string | null;
  sms: SmsAdapter | null;
  allowPrivate: boolean;
  /**
   * How long a sender's claim holds: a node that died holding a row frees it after this long
   * (about when graphile frees the dead node's job, lib/jobs/graphile.ts). Default 60 s.
   */
  claimLeaseMs?: number;
};

const CLAIM_LEASE_MS = 60_000;

export type DeliveryResult = "sent" | "already-done" | "dropped";

export async function deliverOutbox({
  db,
  outboxId,
  attempt,
  maxAttempts,
  channels,
}: {
  db: Db;
  outboxId: string;
  attempt: number;
  maxAttempts: number;
  channels: NotificationChannels;
}): Promise<DeliveryResult> {
  const me = crypto.randomBytes(8).toString("hex");
  const now = new Date();
  const stale = new Date(now.getTime() - (channels.claimLeaseMs ?? CLAIM_LEASE_MS)).toISOString();
  const row = await db
    .updateTable("outbox")
    .set((eb) => ({ claimedBy: me, claimedAt: now.toISOString(), attempts: eb("attempts", "+", 1) }))
    .where("id", "=", outboxId)
    .where("status", "=", "pending")
    .where((w) => w.or([w("claimedAt", "is", null), w("claimedAt", "<", stale)]))
    .returningAll()
    .executeTakeFirst();
  if (!row) {
    const current = await db.selectFrom("outbox").select("status").where("id", "=", outboxId).executeTakeFirst();
    if (current?.status !== "pending") return "already-done";
    throw new Error(`outbox ${outboxId} is being sent by another node`);
  }
  const release = (set: { status: string; lastError: string | null; sentAt: string | null }) =>
    db
      .updateTable("outbox")
      .set({ ...set, claimedBy: null, claimedAt: null })
      .where("id", "=", outboxId)
      .where("claimedBy", "=", me)
      .execute();
  try {
    const outcome = await send(db, row, Number(row.attempts), channels);
    // Dropped: the webhook was removed, or the guest's subscription is gone; nothing was sent.
    const dropped = outcome === "dropped";
    await release({
      status: dropped ? "failed" : "sent",
      lastError: dropped ? "recipient gone (webhook removed or subscription expired)" : null,
      sentAt: dropped ? null : nowIso(),
    });
    metrics()?.notification(row.channel, dropped ? "dropped" : "sent");
    return outcome;
  } catch (err) {
    metrics()?.notification(row.channel, "error");
    const message = String((err as Error)?.message ?? err).slice(0, 2000);
    await release({ status: attempt >= maxAttempts ? "failed" : "pending", lastError: message, sentAt: null });
    throw err;
  }
}

type Row = { id: string; partnerId: string; channel: string; recipient: string; body: string; orderId: number | null };

async function send(db: Db, row: Row, attempt: number, channels: NotificationChannels): Promise<"sent" | "dropped"> {
  const event = JSON.parse(row.body) as OutboxBody;
  if (row.channel === "webhook") return sendWebhook(db, row, event, attempt, channels);
  const sub = await db.selectFrom("notificationSubscriptions").selectAll().where("id", "=", row.recipient).executeTakeFirst();
  // The guest's subscription went away (a gone push endpoint removed it): nothing to deliver.
  if (!sub) return "dropped";
  const message = guestMessage(event, channels.publicUrl);
  if (row.channel === "push") {
    const { keys } = JSON.parse(sub.detail) as { keys: { p256dh: string; auth: string } };
    try {
      await sendPush({
        endpoint: sub.target,
        keys,
        message,
        vapid: channels.vapid,
        subject: channels.vapidSubject,
        allowPrivate: channels.allowPrivate,
      });
    } catch (err) {
      if (!(err instanceof PushGoneError)) throw err;
      await db.deleteFrom("notificationSubscriptions").where("id", "=", sub.id).execute();
      return "dropped";
    }
    return "sent";
  }
  if (row.channel === "sms") {
    if (!channels.sms) throw new Error("SMS is not configured (SMS_GATEWAY_URL)");
    await channels.sms.send({ to: sub.target, text: `${message.title}. ${message.body}`, reference: row.id });
    return "sent";
  }
  throw new Error(`unknown channel ${row.channel}`);
}

function orderOf(event: OutboxBody) {
  const upgraded = upgradeEvent({ ...event, partnerId: "", payload: event.payload } as LoggedEvent);
  return upgraded.payload as { order: Parameters<typeof toOrderDto>[0]; from?: string; to?: string; reason?: string | null };
}

/** What the guest's phone shows: "Order A12 is ready" / "… was cancelled: not confirmed in time". */
export function guestMessage(event: OutboxBody, publicUrl: string | null): PushMessage {
  const { order, to, reason } = orderOf(event);
  const code = order.displayCode;
  const url = `${publicUrl ?? ""}/track/${order.id}`;
  if (to === "CANCELLED") {
    return {
      title: `Order ${code} was cancelled`,
      body: reason ?? "The restaurant cancelled your order.",
      url,
      orderId: order.id,
      status: "CANCELLED",
      tag: `order-${order.id}`,
    };
  }
  return {
    title: `Order ${code} is ready`,
    body: "Please collect it at the counter.",
    url,
    orderId: order.id,
    status: to ?? "READY",
    tag: `order-${order.id}`,
  };
}

/** The webhook body (docs/contracts.md#webhooks). */
export function webhookBody(event: OutboxBody, deliveryId: string, partnerSlug: string): string {
  if (event.type === "report.z") {
    // The end-of-day Z report (lib/reports/z-report.ts): the day's totals and where to fetch it, no order.
    return JSON.stringify({
      id: deliveryId,
      type: event.type,
      eventId: event.id,
      createdAt: event.createdAt,
      partner: partnerSlug,
      report: event.payload,
    });
  }
  const { order, from, to, reason } = orderOf(event);
  return JSON.stringify({
    id: deliveryId,
    type: event.type,
    eventId: event.id,
    createdAt: event.createdAt,
    partner: partnerSlug,
    order: toOrderDto(order),
    ...(event.type === "order.status" ? { change: { from: from ?? null, to: to ?? null, reason: reason ?? null } } : {}),
  });
}

async function sendWebhook(
  db: Db,
  row: Row,
  event: OutboxBody,
  attempt: number,
  channels: NotificationChannels,
): Promise<"sent" | "dropped"> {
  const hook = await db.selectFrom("webhooks").selectAll().where("id", "=", row.recipient).executeTakeFirst();
  // Removed since the event: the partner no longer wants it.
  if (!hook || hook.removedAt) return "dropped";
  const partner = await db.selectFrom("partners").select("slug").where("id", "=", hook.partnerId).executeTakeFirstOrThrow();
  // Written on PostgreSQL before its position existed: read it now (stamped right after the commit).
  if (event.id === null && event.seq !== undefined) event.id = await positionOf({ db, seq: event.seq });
  const body = webhookBody(event, row.id, partner.slug);
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = signWebhook({ secret: unsealSecret(hook.secretSealed), timestamp, body });
  const started = performance.now();
  let status: number | null = null;
  let error: string | null = null;
  try {
    const res = await postOutbound({
      url: hook.url,
      headers: {
        "content-type": "application/json",
        "user-agent": "Pass-Webhooks/1",
        "x-pass-event": event.type,
        "x-pass-delivery": row.id,
        "x-pass-timestamp": String(timestamp),
        "x-pass-signature": signature,
      },
      body,
      allowPrivate: channels.allowPrivate,
    });
    status = res.status;
    if (res.status < 200 || res.status >= 300) error = `answered ${res.status}`;
  } catch (err) {
    error = String((err as Error)?.message ?? err).slice(0, 500);
  }
  await db
    .insertInto("webhookDeliveries")
    .values({
      id: newId(),
      webhookId: hook.id,
      outboxId: row.id,
      eventType: event.type,
      attempt,
      httpStatus: status,
      error,
      durationMs: Math.round(performance.now() - started),
      at: nowIso(),
    })
    .execute();
  if (error) throw new Error(`webhook ${hook.url}: ${error}`);
  return "sent";
}
