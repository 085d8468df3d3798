import { DEVICE_COOKIE, DEVICE_COOKIE_MAX_AGE_MS, httpOnlyCookie } from "@/lib/auth/cookies";
import { resolvePrincipal } from "@/lib/auth";
import { getDb } from "@/lib/db";
import { UnauthorizedError } from "@/lib/errors";
import { apiRoute, assertSameOrigin, clientAddressOf, isSecureRequest, readJson } from "@/lib/http";
import { limits } from "@/lib/limits";
import { myDeliveries } from "@/lib/orders";
import { sessionBody } from "../schema";

export const dynamic = "force-dynamic";

/**
 * The courier's phone signs in with the token of its /courier link (POST /api/couriers/{id}/token):
 * the token goes into the same httpOnly device cookie a paired screen holds (lib/auth/pairing.ts),
 * so the page and /ws carry it without script access. Only a live courier token of an active courier.
 */
export const POST = apiRoute(async (req) => {
  assertSameOrigin(req);
  await limits().consume("login:ip", clientAddressOf(req));
  const { token } = await readJson(req, sessionBody);
  const db = getDb();
  const resolved = await resolvePrincipal({ db, authorization: `Bearer ${token}` }).catch(() => null);
  if (resolved?.principal.kind !== "token" || resolved.principal.role !== "courier")
    throw new UnauthorizedError("this link is not a courier's sign-in (ask the restaurant for a new one)");
  const body = await myDeliveries({ db, principal: resolved.principal });
  const headers = new Headers({ "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  headers.append(
    "set-cookie",
    httpOnlyCookie({ name: DEVICE_COOKIE, value: token, secure: isSecureRequest(req), maxAgeMs: DEVICE_COOKIE_MAX_AGE_MS }),
  );
  return new Response(JSON.stringify(body), { status: 200, headers });
});
