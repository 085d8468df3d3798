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
