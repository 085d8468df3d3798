import "server-only";
import type { Db } from "../db";
import { NotFoundError } from "../errors";
import { partnerScope, type Principal } from "./access";

/**
 * The one answer to "which partner's data does this request see?", for REST, pages and streams.
 * null = every partner (an admin without `?partner=`). An admin's slug narrows to that partner;
 * a partner-bound principal always sees its own partner, and a slug naming another partner is
 * answered exactly like an unknown slug (404, field `partner`): existence is never revealed.
 * An empty or missing slug means "no narrowing".
 */
export async function resolvePartnerScope({
  db,
  principal,
  partnerSlug,
}: {
  db: Db;
  principal: Principal;
  partnerSlug?: string | null;
}): Promise<string | null> {
  const scope = partnerScope(principal);
  if (!partnerSlug) return scope;
  const partner = await db.selectFrom("partners").select("id").where("slug", "=", partnerSlug).executeTakeFirst();
  if (!partner || (scope !== null && partner.id !== scope)) throw new NotFoundError("partner", { field: "partner" });
  return partner.id;
}
