import { login, recordLockout, sessionCookie, type LockoutKind } from "@/lib/auth";
import { forgetFirstStartPassword } from "@/lib/bootstrap";
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db";
import { UnauthorizedError } from "@/lib/errors";
import { apiRoute, assertSameOrigin, clientAddressOf, isSecureRequest, json, readJson } from "@/lib/http";
import { failureDelayMs, limits, type LimitState } from "@/lib/limits";
import { log as logger } from "@/lib/log";
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
      const counted = await Promise.allSettled([limits().consume("login:account", account), limits().consume("login:ip", address)]);
      // The failure that spends a limit locks the account (or the address): tell the dashboard.
      await noteLockout("account", counted[0], account, address);
      await noteLockout("address", counted[1], account, address);
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

/** Records a lockout for the dashboard's notice when this failure spent the limit (once per window). */
async function noteLockout(kind: LockoutKind, counted: PromiseSettledResult<LimitState>, username: string, address: string) {
  if (counted.status !== "fulfilled" || counted.value.used !== counted.value.limit) return;
  const { used, msBeforeNext } = counted.value;
  const lockedUntil = new Date(Date.now() + msBeforeNext);
  logger().warn(
    `pass: sign-in locked for ${kind === "account" ? `account '${username}'` : `address ${address}`} after ${used} failures` +
      ` (last from ${address}${kind === "address" ? ` as '${username}'` : ""}) until ${lockedUntil.toISOString()}`,
  );
  await recordLockout({ db: getDb(), kind, username, address, failures: used, lockedUntil }).catch((err) =>
    logger().error(`pass: could not record the lockout: ${(err as Error).message}`),
  );
}
