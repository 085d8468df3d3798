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
