import { partnerScope } from "@/lib/auth";
import { getDb } from "@/lib/db";
import { apiRoute, json, requirePrincipal } from "@/lib/http";

export const dynamic = "force-dynamic";

/** The partners the caller may see (an admin: all; everyone else: their own). */
export const GET = apiRoute(async (req) => {
  const principal = await requirePrincipal(req);
  const scope = partnerScope(principal);
  let q = getDb().selectFrom("partners").select(["id", "slug", "name", "imageUrl"]).orderBy("name");
  if (scope) q = q.where("id", "=", scope);
  return json({ partners: await q.execute() });
});
