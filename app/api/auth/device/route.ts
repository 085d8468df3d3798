import { clearedDeviceCookie, deviceCookie, deviceSignIn } from "@/lib/auth";
import { getDb } from "@/lib/db";
import { apiRoute, assertSameOrigin, clientAddressOf, isSecureRequest, json, readJson } from "@/lib/http";
import { limits } from "@/lib/limits";
import { deviceBody } from "./schema";

export const dynamic = "force-dynamic";

/**
 * Signs this browser in as a device (the print station with a printer token, a kitchen tablet
 * with a kitchen token): the token goes into an httpOnly cookie and the screen has exactly the
 * token's rights, no operator login. Wrong tokens are limited per address like sign-ins.
 */
export const POST = apiRoute(async (req) => {
  if (req.headers.get("origin")) assertSameOrigin(req);
  const { token } = await readJson(req, deviceBody);
  const address = clientAddressOf(req);
  await limits().check("login:ip", address);
  let signedIn: Awaited<ReturnType<typeof deviceSignIn>>;
  try {
    signedIn = await deviceSignIn({ db: getDb(), token });
  } catch (err) {
    await limits()
      .consume("login:ip", address)
      .catch(() => undefined);
    throw err;
  }
  const { principal, expiresAt } = signedIn;
  const who = principal.kind === "token" ? { name: principal.name, role: principal.role, channels: principal.channels } : null;
  return json({ device: who }, 200, { "set-cookie": deviceCookie({ value: token, secure: isSecureRequest(req), expiresAt }) });
});

/** Signs the device out on this browser (the token itself stays valid; revoke it with the CLI). */
export const DELETE = apiRoute(async (req) => {
  // No CSRF check: another site signing this screen out does no harm it could not do by waiting.
  return json({ ok: true }, 200, { "set-cookie": clearedDeviceCookie({ secure: isSecureRequest(req) }) });
});
