import "server-only";
import crypto from "node:crypto";
import { type Config, getConfig } from "../config";

/** A new random secret for a session cookie, device token or tracking token (256 bits). */
export function newSecret(prefix = ""): string {
  return prefix + crypto.randomBytes(32).toString("base64url");
}

/**
 * Secrets are stored only as a keyed hash (HMAC with SESSION_SECRET): a copy of the
 * database alone is not enough to forge or recognise a session, token or tracking link.
 * The key comes from the configuration built at startup; without one this throws a ConfigError
 * (it never reads the environment or creates DATA_DIR/session-secret itself).
 */
export function hashSecret(secret: string, { sessionSecret }: Pick<Config, "sessionSecret"> = getConfig()): string {
  return crypto.createHmac("sha256", sessionSecret).update(secret).digest("base64url");
}

/**
 * The tracking link printed as the receipt's QR code (lib/printing): the guest's own token is
 * never stored, so the receipt carries one derived from its stored hash — valid exactly as long
 * as the order's tracking token is, forgeable only with SESSION_SECRET.
 */
export function receiptTrackingToken(trackingTokenHash: string, config: Pick<Config, "sessionSecret"> = getConfig()): string {
  return `trk_r.${hashSecret(`receipt:${trackingTokenHash}`, config)}`;
}

/** Whether `given` opens the order whose tracking token hashes to `storedHash` (the guest's token or the receipt's). */
export function matchesTrackingToken(given: string, storedHash: string | null | undefined): boolean {
  if (!storedHash) return false;
  const candidate = given.startsWith("trk_r.") ? receiptTrackingToken(storedHash) : hashSecret(given);
  const compare = given.startsWith("trk_r.") ? given : storedHash;
  const a = Buffer.from(candidate);
  const b = Buffer.from(compare);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}
