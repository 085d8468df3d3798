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

/**
 * A screen signed in with a device token (the print station with a printer token, issue
 * "Network printers" item 4): the token itself, httpOnly, for as long as the token is valid
 * (a year at most); revoking the token signs the screen out.
 */
export const DEVICE_COOKIE = "pass_device";

export function deviceCookie({ value, secure, expiresAt }: { value: string; secure: boolean; expiresAt: string | null }): string {
  const year = 365 * 24 * 3_600_000;
  const maxAgeMs = expiresAt ? Math.min(year, Date.parse(expiresAt) - Date.now()) : year;
  const attrs = [
    `${DEVICE_COOKIE}=${encodeURIComponent(value)}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${Math.max(0, Math.floor(maxAgeMs / 1000))}`,
  ];
  if (secure) attrs.push("Secure");
  return attrs.join("; ");
}

export const clearedDeviceCookie = ({ secure }: { secure: boolean }) =>
  [`${DEVICE_COOKIE}=`, "Path=/", "HttpOnly", "SameSite=Lax", "Max-Age=0", ...(secure ? ["Secure"] : [])].join("; ");
