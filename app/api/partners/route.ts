import { resolvePartnerScope } from "@/lib/auth";
import { getDb } from "@/lib/db";
import { apiRoute, json, requirePrincipal } from "@/lib/http";

export const dynamic = "force-dynamic";

/**
 * The partners the caller may see (an admin: all; everyone else: their own), with how their
 * amounts are written (currency, locale), the time zone their clock times are read in, and the
 * payment the cashier starts on.
 */
export const GET = apiRoute(async (req) => {
  const principal = await requirePrincipal(req);
  const db = getDb();
  const scope = await resolvePartnerScope({ db, principal });
  let q = db
    .selectFrom("partners")
    .select(["id", "slug", "name", "imageUrl", "currency", "locale", "timezone", "defaultPaymentMethod"])
    .orderBy("name");
  if (scope !== null) q = q.where("id", "=", scope);
  return json({ partners: await q.execute() });
});
