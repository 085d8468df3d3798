import { login, sessionCookie } from "@/lib/auth";
import { forgetFirstStartPassword } from "@/lib/bootstrap";
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db";
import { apiRoute, assertSameOrigin, isSecureRequest, json, readJson } from "@/lib/http";
import { loginBody } from "./schema";

export const dynamic = "force-dynamic";

export const POST = apiRoute(async (req) => {
  // Login CSRF: a page of another site must not sign a browser into an account.
  if (req.headers.get("origin")) assertSameOrigin(req);
  const body = await readJson(req, loginBody);
  const { sessionToken, user, expiresAt } = await login({ db: getDb(), ...body });
  // The first-start admin's generated password file is not needed once they have signed in.
  if (user.role === "admin" && user.username === "admin") forgetFirstStartPassword({ dataDir: getConfig().dataDir });
  return json({ user }, 200, {
    "set-cookie": sessionCookie({
      value: sessionToken,
      secure: isSecureRequest(req),
      maxAgeMs: Date.parse(expiresAt) - Date.now(),
    }),
  });
});
