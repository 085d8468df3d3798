import "server-only";
import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js";
import type { Db } from "../db";
import { newId, nowIso } from "../db/ids";
import { ConflictError, ValidationError } from "../errors";
import { getOrderByTrackingToken } from "../orders/service";
import { assertDeliverableUrl } from "./outbound";

/**
 * A guest's "tell me when it is ready" (docs/contracts.md#guest-notifications): a Web Push
 * subscription of the /track page, or a phone for SMS, for one order, authorised by that
 * order's tracking token (another order's token answers 404 like an unknown order). Notified
 * when the order turns READY or CANCELLED (lib/events/outbox.ts).
 */
export const MAX_SUBSCRIPTIONS_PER_ORDER = 5;

export type PushSubscriptionInput = { endpoint: string; keys: { p256dh: string; auth: string } };

const OPEN_FOR_NOTICE = new Set(["PENDING", "CONFIRMED", "PREPARING"]);

async function orderFor(db: Db, id: number, trackingToken: string) {
  const order = await getOrderByTrackingToken({ db, id, trackingToken });
  if (!OPEN_FOR_NOTICE.has(order.status)) throw new ConflictError(`the order is already ${order.status}`, { status: order.status });
  const count = await db
    .selectFrom("notificationSubscriptions")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("orderId", "=", id)
    .executeTakeFirstOrThrow();
  if (Number(count.n) >= MAX_SUBSCRIPTIONS_PER_ORDER)
    throw new ConflictError(`an order takes at most ${MAX_SUBSCRIPTIONS_PER_ORDER} subscriptions`);
  return order;
}

export async function subscribePush({
  db,
  id,
  trackingToken,
  subscription,
  allowPrivate,
}: {
  db: Db;
  id: number;
  trackingToken: string;
  subscription: PushSubscriptionInput;
  allowPrivate: boolean;
}): Promise<{ id: string }> {
  // A push endpoint is a URL the sender POSTs to: the same rules as a webhook's, and https in production.
  const url = assertDeliverableUrl(subscription.endpoint, { field: "subscription.endpoint", allowPrivate });
  if (!allowPrivate && url.protocol !== "https:") throw new ValidationError("subscription.endpoint", "must be an https URL");
  const p256dh = Buffer.from(subscription.keys.p256dh, "base64url");
  if (p256dh.length !== 65 || p256dh[0] !== 4)
    throw new ValidationError("subscription.keys.p256dh", "must be an uncompressed P-256 public key (65 bytes, base64url)");
  if (Buffer.from(subscription.keys.auth, "base64url").length !== 16)
    throw new ValidationError("subscription.keys.auth", "must be 16 bytes, base64url");
  await orderFor(db, id, trackingToken);
  return upsert(db, { orderId: id, channel: "push", target: url.toString(), detail: JSON.stringify({ keys: subscription.keys }) });
}

export async function subscribeSms({
  db,
  id,
  trackingToken,
  phone,
}: {
  db: Db;
  id: number;
  trackingToken: string;
  phone: string;
}): Promise<{ id: string; phone: string }> {
  const order = await getOrderByTrackingToken({ db, id, trackingToken });
  const partner = await db.selectFrom("partners").select("locale").where("id", "=", order.partnerId).executeTakeFirst();
  const e164 = parsePhone(phone, regionOf(partner?.locale ?? "en-US"));
  await orderFor(db, id, trackingToken);
  return { ...(await upsert(db, { orderId: id, channel: "sms", target: e164, detail: "{}" })), phone: e164 };
}

/** A phone number as the guest typed it → E.164; a national number is read in the restaurant's country. */
export function parsePhone(input: string, defaultCountry: CountryCode | undefined, field = "phone"): string {
  const parsed = parsePhoneNumberFromString(input, defaultCountry ? { defaultCountry } : undefined);
  if (!parsed?.isValid())
    throw new ValidationError(field, "is not a valid phone number (use the international form, e.g. +44 20 7946 0958)");
  return parsed.number;
}

function regionOf(locale: string): CountryCode | undefined {
  const region = locale.split("-")[1];
  return region && /^[A-Z]{2}$/.test(region) ? (region as CountryCode) : undefined;
}

async function upsert(db: Db, row: { orderId: number; channel: string; target: string; detail: string }): Promise<{ id: string }> {
  const id = newId();
  await db
    .insertInto("notificationSubscriptions")
    .values({ id, ...row, createdAt: nowIso() })
    .onConflict((oc) => oc.columns(["orderId", "channel", "target"]).doUpdateSet({ detail: row.detail }))
    .execute();
  const saved = await db
    .selectFrom("notificationSubscriptions")
    .select("id")
    .where("orderId", "=", row.orderId)
    .where("channel", "=", row.channel)
    .where("target", "=", row.target)
    .executeTakeFirstOrThrow();
  return { id: saved.id };
}
