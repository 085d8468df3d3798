/** The session cookie: httpOnly, SameSite=Lax, Secure when the request came over HTTPS. */
export const SESSION_COOKIE = "pass_session";
export const SESSION_TTL_MS = 14 * 24 * 3_600_000;

export function parseCookies(header: string | null | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!out.has(name)) {
      try {
        out.set(name, decodeURIComponent(part.slice(eq + 1).trim()));
      } catch {
        // A malformed cookie value is ignored rather than failing the request.
      }
    }
  }
  return out;
}

/**
 * A paired screen's device token (lib/auth/pairing.ts): httpOnly like the session, so a wall TV
 * authenticates as its device without anyone typing a password on it. The session wins when both are sent.
 */
export const DEVICE_COOKIE = "pass_device";
/** The secret of a screen waiting on /pair: only that browser receives the device token. */
export const PAIRING_COOKIE = "pass_pairing";
/** Browsers cap cookie lifetimes at 400 days; the token itself may live longer or expire sooner. */
export const DEVICE_COOKIE_MAX_AGE_MS = 400 * 86_400_000;

/** Any httpOnly, SameSite=Lax cookie of Pass's (a session, a device, a pairing). */
export function httpOnlyCookie({
  name,
  value,
  secure,
  maxAgeMs,
}: {
  name: string;
  value: string;
  secure: boolean;
  maxAgeMs: number;
}): string {
  const attrs = [
    `${name}=${encodeURIComponent(value)}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${Math.max(0, Math.floor(maxAgeMs / 1000))}`,
  ];
  if (secure) attrs.push("Secure");
  return attrs.join("; ");
}

export function sessionCookie({ value, secure, maxAgeMs }: { value: string; secure: boolean; maxAgeMs: number }): string {
  const attrs = [
    `${SESSION_COOKIE}=${encodeURIComponent(value)}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${Math.max(0, Math.floor(maxAgeMs / 1000))}`,
  ];
  if (secure) attrs.push("Secure");
  return attrs.join("; ");
}

export const clearedSessionCookie = ({ secure }: { secure: boolean }) => sessionCookie({ value: "", secure, maxAgeMs: 0 });
