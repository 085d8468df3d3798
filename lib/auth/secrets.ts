import "server-only";
import crypto from "node:crypto";
import { getConfig } from "../config";

/** A new random secret for a session cookie, device token or tracking token (256 bits). */
export function newSecret(prefix = ""): string {
  return prefix + crypto.randomBytes(32).toString("base64url");
}

/**
 * Secrets are stored only as a keyed hash (HMAC with SESSION_SECRET): a copy of the
 * database alone is not enough to forge or recognise a session, token or tracking link.
 */
export function hashSecret(secret: string): string {
  return crypto.createHmac("sha256", getConfig().sessionSecret).update(secret).digest("base64url");
}
