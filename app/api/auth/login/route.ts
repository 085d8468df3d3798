import { login, sessionCookie } from "@/lib/auth";
import { forgetFirstStartPassword } from "@/lib/bootstrap";
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db";
import { UnauthorizedError } from "@/lib/errors";
import { apiRoute, assertSameOrigin, clientAddressOf, isSecureRequest, json, readJson } from "@/lib/http";
import { failureDelayMs, limits } from "@/lib/limits";
import { loginBody } from "./schema";

export const dynamic = "force-dynamic";

export const POST = apiRoute(async (req) => {
  // Login CSRF: a page of another site must not sign a browser into an account.
  if (req.headers.get("origin")) assertSameOrigin(req);
  const body = await readJson(req, loginBody);
  // Failed sign-ins are limited per account and per address; while either is spent even the right
  // password is refused (429 with Retry-After), so guessing cannot go on in the background.
  const account = body.username.trim().toLowerCase();
  const address = clientAddressOf(req);
  await limits().check("login:account", account);
  await limits().check("login:ip", address);
  let signedIn: Awaited<ReturnType<typeof login>>;
  try {
    signedIn = await login({ db: getDb(), ...body });
  } catch (err) {
    if (err instanceof UnauthorizedError) {
      await Promise.all([limits().consume("login:account", account), limits().consume("login:ip", address)]).catch(() => undefined);
      // Each further failure of the account waits longer before it is answered (exponential delay).
      const failures = await limits().used("login:account", account);
      await new Promise((r) => setTimeout(r, failureDelayMs(failures)));
    }
    throw err;
  }
  await limits().reset("login:account", account);
  const { sessionToken, user, expiresAt } = signedIn;
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
