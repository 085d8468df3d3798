import "server-only";
import type { Principal } from "@/lib/auth";
import { getDb } from "@/lib/db";
import { DEFAULT_LOCALE } from "@/lib/i18n";

/**
 * The locale a page speaks (partners.locale, migration 0011): a signed-in user's or device's
 * restaurant; an admin (every restaurant) gets the restaurant's when there is only one, else
 * English. Guests' pages use the restaurant of the order or menu they show.
 */
export async function localeForPrincipal(principal: Principal | null): Promise<string> {
  if (!principal) return DEFAULT_LOCALE;
  if (principal.partnerId) return localeOfPartner({ id: principal.partnerId });
  const rows = await getDb().selectFrom("partners").select("locale").limit(2).execute();
  return rows.length === 1 ? rows[0]!.locale : DEFAULT_LOCALE;
}

export async function localeOfPartner(where: { id: string } | { slug: string }): Promise<string> {
  let q = getDb().selectFrom("partners").select("locale");
  q = "id" in where ? q.where("id", "=", where.id) : q.where("slug", "=", where.slug);
  return (await q.executeTakeFirst())?.locale ?? DEFAULT_LOCALE;
}
