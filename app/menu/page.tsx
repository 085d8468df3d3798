import Link from "next/link";
import { redirect } from "next/navigation";
import { can, resolvePartnerScope } from "@/lib/auth";
import { currentPrincipal } from "@/lib/auth/next";
import { I18nProvider } from "@/components/i18n";
import { getDb } from "@/lib/db";
import { languageOf, t } from "@/lib/i18n";
import { localeForPrincipal, localeOfPartner } from "../locale";
import { MenuScreen } from "./menu-screen";

export const dynamic = "force-dynamic";

/**
 * The back office (issue "The menu", item 4): operators build their restaurant's menu, admins
 * any restaurant's (chosen here). Signed in, else to the login; without `menu:write` (the
 * kitchen) a refusal, as the API would answer 403.
 */
export default async function MenuPage({ searchParams }: { searchParams: Promise<{ partner?: string }> }) {
  const principal = await currentPrincipal();
  if (!principal) redirect(`/login?next=${encodeURIComponent("/menu")}`);
  if (!can(principal, "menu:write")) {
    const locale = await localeForPrincipal(principal);
    return (
      <main
        className="mx-auto flex min-h-dvh max-w-2xl flex-col justify-center gap-4 p-8"
        data-testid="menu-forbidden"
        lang={languageOf(locale)}
      >
        <h1 className="text-4xl font-black">{t(locale, "settings.forbiddenTitle")}</h1>
        <p className="text-xl text-gray-300">{t(locale, "menu.forbiddenBody")}</p>
        <Link href="/" className="min-h-11 content-center text-xl text-sky-300 underline underline-offset-4">
          {t(locale, "settings.forbiddenBack")}
        </Link>
      </main>
    );
  }
  const db = getDb();
  const scope = await resolvePartnerScope({ db, principal });
  let q = db.selectFrom("partners").select(["slug", "name"]).orderBy("name");
  if (scope !== null) q = q.where("id", "=", scope);
  const partners = await q.execute();
  const { partner } = await searchParams;
  const initial = partners.find((p) => p.slug === partner)?.slug ?? partners[0]?.slug ?? "";
  // The words are the restaurant's shown first (an admin choosing another keeps them).
  const locale = initial ? await localeOfPartner({ slug: initial }) : await localeForPrincipal(principal);
  return (
    <I18nProvider locale={locale}>
      <MenuScreen partners={partners} initialPartner={initial} />
    </I18nProvider>
  );
}
