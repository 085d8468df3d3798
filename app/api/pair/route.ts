import { z } from "zod";
import { DEVICE_COOKIE, DEVICE_COOKIE_MAX_AGE_MS, httpOnlyCookie, PAIRING_COOKIE, parseCookies } from "@/lib/auth/cookies";
import { formatCode, PAIRING_TTL_MS, pollPairing, startPairing } from "@/lib/auth/pairing";
import { getDb } from "@/lib/db";
import { key } from "@/lib/fields";
import { apiRoute, assertSameOrigin, clientAddressOf, isSecureRequest, json, readOptionalJson } from "@/lib/http";
import { limits } from "@/lib/limits";
import { UnauthorizedError } from "@/lib/errors";

export const dynamic = "force-dynamic";

const startBody = z.strictObject({ partner: key(64).optional() });

/**
 * A screen starts pairing (anonymous, from /pair): a code to show, and the screen's secret in an
 * httpOnly cookie, so only this browser receives the device token (lib/auth/pairing.ts).
 */
export const POST = apiRoute(async (req) => {
  // A page of another site must not start pairings in a visitor's browser.
  assertSameOrigin(req);
  await limits().consume("pairing:start", clientAddressOf(req));
  const { partner } = await readOptionalJson(req, startBody);
  const { code, secret, expiresAt } = await startPairing({ db: getDb(), partner });
  const cookie = httpOnlyCookie({ name: PAIRING_COOKIE, value: secret, secure: isSecureRequest(req), maxAgeMs: PAIRING_TTL_MS });
  return json({ code, display: formatCode(code), expiresAt }, 201, { "set-cookie": cookie });
});

/**
 * The screen's poll: `waiting`, `expired`, `used`, or `paired` with the path of its screen — the
 * answer that sets the device cookie (once) and clears the pairing cookie.
 */
export const GET = apiRoute(async (req) => {
  const secret = parseCookies(req.headers.get("cookie")).get(PAIRING_COOKIE);
  if (!secret) throw new UnauthorizedError("no pairing in progress: open /pair");
  await limits().consume("pairing:poll", clientAddressOf(req));
  const state = await pollPairing({ db: getDb(), secret });
  if (state.status !== "paired") return json(state);
  const secure = isSecureRequest(req);
  const headers = new Headers({ "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  headers.append("set-cookie", httpOnlyCookie({ name: DEVICE_COOKIE, value: state.token, secure, maxAgeMs: DEVICE_COOKIE_MAX_AGE_MS }));
  headers.append("set-cookie", httpOnlyCookie({ name: PAIRING_COOKIE, value: "", secure, maxAgeMs: 0 }));
  return new Response(JSON.stringify({ status: "paired", path: state.path, name: state.name }), { status: 200, headers });
});
