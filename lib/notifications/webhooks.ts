import "server-only";
import crypto from "node:crypto";
import { assertCan, assertPartnerVisible, type Principal } from "../auth/access";
import { newSecret } from "../auth/secrets";
import { getConfig } from "../config";
import type { Db } from "../db";
import { newId, nowIso } from "../db/ids";
import { NotFoundError, ValidationError } from "../errors";
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from "../events/outbox";
import { assertDeliverableUrl } from "./outbound";

/**
 * Partner webhooks (docs/contracts.md#webhooks): a URL and a secret per partner, the events it
 * wants (default: all of WEBHOOK_EVENT_TYPES). The secret is shown once, at creation; it is kept
 * sealed (AES-256-GCM under a key derived from SESSION_SECRET) because Pass must read it to sign.
 */
export const MAX_WEBHOOKS_PER_PARTNER = 10;

export type WebhookView = { id: string; partner: string; url: string; events: WebhookEventType[]; createdAt: string };

/** `principal` null: the command line (`npm run pass -- webhook …`), the machine's owner. */
async function partnerOf(db: Db, principal: Principal | null, slug: string) {
  if (principal) assertCan(principal, "webhooks:manage");
  const row = await db.selectFrom("partners").select(["id", "slug"]).where("slug", "=", slug).executeTakeFirst();
  if (!row) throw new NotFoundError("partner", { field: "partner" });
  if (principal) assertPartnerVisible(principal, row.id, "partner", { field: "partner" });
  return row;
}

export async function listWebhooks({
  db,
  principal,
  partner,
}: {
  db: Db;
  principal: Principal | null;
  partner: string;
}): Promise<WebhookView[]> {
  const p = await partnerOf(db, principal, partner);
  const rows = await db
    .selectFrom("webhooks")
    .selectAll()
    .where("partnerId", "=", p.id)
    .where("removedAt", "is", null)
    .orderBy("createdAt")
    .execute();
  return rows.map((r) => view(r, p.slug));
}

export async function createWebhook({
  db,
  principal,
  partner,
  input,
  allowPrivate,
}: {
  db: Db;
  principal: Principal | null;
  partner: string;
  input: { url: string; events?: string[] };
  allowPrivate: boolean;
}): Promise<WebhookView & { secret: string }> {
  const p = await partnerOf(db, principal, partner);
  const url = assertDeliverableUrl(input.url, { field: "url", allowPrivate }).toString();
  const events = input.events ?? [...WEBHOOK_EVENT_TYPES];
  if (events.length === 0) throw new ValidationError("events", "name at least one event");
  events.forEach((e, i) => {
    if (!(WEBHOOK_EVENT_TYPES as readonly string[]).includes(e))
      throw new ValidationError(`events.${i}`, `unknown event '${e}' (one of ${WEBHOOK_EVENT_TYPES.join(", ")})`);
  });
  const count = await db
    .selectFrom("webhooks")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("partnerId", "=", p.id)
    .where("removedAt", "is", null)
    .executeTakeFirstOrThrow();
  if (Number(count.n) >= MAX_WEBHOOKS_PER_PARTNER)
    throw new ValidationError("url", `a partner has at most ${MAX_WEBHOOKS_PER_PARTNER} webhooks`);
  const secret = newSecret("whsec_");
  const row = {
    id: newId(),
    partnerId: p.id,
    url,
    secretSealed: sealSecret(secret),
    events: JSON.stringify([...new Set(events)]),
    createdAt: nowIso(),
    removedAt: null,
  };
  await db.insertInto("webhooks").values(row).execute();
  return { ...view(row, p.slug), secret };
}

export async function removeWebhook({
  db,
  principal,
  partner,
  id,
}: {
  db: Db;
  principal: Principal | null;
  partner: string;
  id: string;
}): Promise<void> {
  const p = await partnerOf(db, principal, partner);
  const result = await db
    .updateTable("webhooks")
    .set({ removedAt: nowIso() })
    .where("id", "=", id)
    .where("partnerId", "=", p.id)
    .where("removedAt", "is", null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw new NotFoundError("webhook");
}

export type DeliveryView = {
  id: string;
  deliveryId: string;
  event: string;
  attempt: number;
  status: number | null;
  error: string | null;
  durationMs: number;
  at: string;
};

/** The delivery log: every attempt, newest first (a removed webhook keeps its log). */
export async function listDeliveries({
  db,
  principal,
  partner,
  id,
  limit = 100,
}: {
  db: Db;
  principal: Principal | null;
  partner: string;
  id: string;
  limit?: number;
}) {
  const p = await partnerOf(db, principal, partner);
  const hook = await db.selectFrom("webhooks").select("id").where("id", "=", id).where("partnerId", "=", p.id).executeTakeFirst();
  if (!hook) throw new NotFoundError("webhook");
  const rows = await db
    .selectFrom("webhookDeliveries")
    .selectAll()
    .where("webhookId", "=", id)
    .orderBy("at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
  const pending = await db
    .selectFrom("outbox")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("recipient", "=", id)
    .where("status", "=", "pending")
    .executeTakeFirstOrThrow();
  return {
    pending: Number(pending.n),
    deliveries: rows.map(
      (r): DeliveryView => ({
        id: r.id,
        deliveryId: r.outboxId,
        event: r.eventType,
        attempt: Number(r.attempt),
        status: r.httpStatus === null ? null : Number(r.httpStatus),
        error: r.error,
        durationMs: Number(r.durationMs),
        at: r.at,
      }),
    ),
  };
}

function view(r: { id: string; url: string; events: string; createdAt: string }, slug: string): WebhookView {
  return { id: r.id, partner: slug, url: r.url, events: JSON.parse(r.events) as WebhookEventType[], createdAt: r.createdAt };
}

// --- signing --------------------------------------------------------------------------------

/** `X-Pass-Signature: sha256=<hex>` over `<X-Pass-Timestamp>.<body>` (docs/contracts.md#webhooks). */
export function signWebhook({ secret, timestamp, body }: { secret: string; timestamp: number; body: string }): string {
  return `sha256=${crypto.createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/** What a receiver does (and the tests' fake receiver): recompute, compare in constant time, refuse old timestamps. */
export function verifyWebhook({
  secret,
  timestamp,
  body,
  signature,
  toleranceSeconds = 300,
  now = Date.now(),
}: {
  secret: string;
  timestamp: string | undefined;
  body: string;
  signature: string | undefined;
  toleranceSeconds?: number;
  now?: number;
}): boolean {
  const ts = Number(timestamp);
  if (!Number.isInteger(ts) || Math.abs(now / 1000 - ts) > toleranceSeconds || !signature) return false;
  const expected = Buffer.from(signWebhook({ secret, timestamp: ts, body }));
  const given = Buffer.from(signature);
  return expected.length === given.length && crypto.timingSafeEqual(expected, given);
}

function sealKey(sessionSecret: string): Buffer {
  return Buffer.from(crypto.hkdfSync("sha256", sessionSecret, "pass", "webhook secrets", 32));
}

export function sealSecret(secret: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", sealKey(getConfig().sessionSecret), iv);
  const data = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return `v1.${Buffer.concat([iv, cipher.getAuthTag(), data]).toString("base64url")}`;
}

export function unsealSecret(sealed: string): string {
  const raw = Buffer.from(sealed.replace(/^v1\./, ""), "base64url");
  const decipher = crypto.createDecipheriv("aes-256-gcm", sealKey(getConfig().sessionSecret), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
}
