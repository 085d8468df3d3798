import { SESSION_COOKIE, clearedSessionCookie, logout, parseCookies } from "@/lib/auth";
import { getDb } from "@/lib/db";
import { apiRoute, assertSameOrigin, isSecureRequest, json } from "@/lib/http";

export const dynamic = "force-dynamic";

export const POST = apiRoute(async (req) => {
  const sessionToken = parseCookies(req.headers.get("cookie")).get(SESSION_COOKIE);
  if (sessionToken) {
    assertSameOrigin(req);
    await logout({ db: getDb(), sessionToken });
  }
  return json({ ok: true }, 200, { "set-cookie": clearedSessionCookie({ secure: isSecureRequest(req) }) });
});
