import "server-only";
import webpush from "web-push";
import type { VapidKeys } from "../config";
import { postOutbound } from "./outbound";

/**
 * Web Push to a guest's phone (RFC 8030/8291/8292) with the `web-push` library: it encrypts the
 * payload (aes128gcm) for the subscription's keys and signs the VAPID header with our keys
 * (generated into DATA_DIR, or VAPID_*). The request itself goes out through postOutbound, so a
 * subscription cannot make Pass POST to a private address.
 */
export type PushMessage = { title: string; body: string; url: string; orderId: number; status: string; tag: string };

/** 404/410 from the push service: the subscription is gone; the sender drops it instead of retrying. */
export class PushGoneError extends Error {
  override name = "PushGoneError";
}

export async function sendPush({
  endpoint,
  keys,
  message,
  vapid,
  subject,
  allowPrivate,
  ttlSeconds = 3600,
}: {
  endpoint: string;
  keys: { p256dh: string; auth: string };
  message: PushMessage;
  vapid: VapidKeys;
  subject: string;
  allowPrivate: boolean;
  ttlSeconds?: number;
}): Promise<void> {
  const details = webpush.generateRequestDetails({ endpoint, keys }, JSON.stringify(message), {
    vapidDetails: { subject, publicKey: vapid.publicKey, privateKey: vapid.privateKey },
    TTL: ttlSeconds,
    contentEncoding: "aes128gcm",
    urgency: "high",
  });
  const headers = Object.fromEntries(Object.entries(details.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
  const res = await postOutbound({ url: details.endpoint, headers, body: details.body, allowPrivate });
  if (res.status === 404 || res.status === 410) throw new PushGoneError(`push subscription gone (${res.status})`);
  if (res.status < 200 || res.status >= 300) throw new Error(`push service answered ${res.status}: ${res.body.slice(0, 200)}`);
}
