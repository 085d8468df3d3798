import { assertCan, listLockouts } from "@/lib/auth";
import { getDb } from "@/lib/db";
import { apiRoute, json, requirePrincipal } from "@/lib/http";

export const dynamic = "force-dynamic";

/** The dashboard's notice: sign-in lockouts of the last day the caller may see (admins all; operators their partner's accounts). */
export const GET = apiRoute(async (req) => {
  const principal = await requirePrincipal(req);
  assertCan(principal, "lockouts:read");
  return json({ lockouts: await listLockouts({ db: getDb(), principal }) });
});
