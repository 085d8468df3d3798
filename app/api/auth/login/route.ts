import { login, sessionCookie } from "@/lib/auth";
import { getDb } from "@/lib/db";
import { apiRoute, assertSameOrigin, isSecureRequest, json, readJson } from "@/lib/http";
import { loginBody } from "./schema";

export const dynamic = "force-dynamic";

export const POST = apiRoute(async (req) => {
  // Login CSRF: a page of another site must not sign a browser into an account.
  if (req.headers.get("origin")) assertSameOrigin(req);
  const body = await readJson(req, loginBody);
  const { sessionToken, user, expiresAt } = await login({ db: getDb(), ...body });
  return json({ user }, 200, {
    "set-cookie": sessionCookie({
      value: sessionToken,
      secure: isSecureRequest(req),
      maxAgeMs: Date.parse(expiresAt) - Date.now(),
    }),
  });
});
