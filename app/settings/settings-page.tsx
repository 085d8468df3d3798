import Link from "next/link";
import { redirect } from "next/navigation";
import { can, resolvePartnerScope } from "@/lib/auth";
import { currentPrincipal } from "@/lib/auth/next";
import { I18nProvider } from "@/components/i18n";
import { getDb } from "@/lib/db";
import { languageOf, t } from "@/lib/i18n";
import { localeForPrincipal, localeOfPartner } from "../locale";
import { SettingsScreen, type SettingsTab } from "./settings-screen";

/**
 * The back office's settings (issue "Cashier and back office" item 2), shared by /settings and
 * /settings/devices (the pairing QR's link): signed in, else to the login coming back here; an
 * operator sees their restaurant, an admin chooses any; the kitchen and devices get a refusal.
 */
export async function renderSettings({ tab, path, partner, pair }: { tab: SettingsTab; path: string; partner?: string; pair?: string }) {
  const principal = await currentPrincipal();
  if (!principal) redirect(`/login?next=${encodeURIComponent(path)}`);
  if (!can(principal, "partner:write")) {
    const locale = await localeForPrincipal(principal);
    return (
      <main
        className="mx-auto flex min-h-dvh max-w-2xl flex-col justify-center gap-4 p-8"
        data-testid="settings-forbidden"
        lang={languageOf(locale)}
      >
        <h1 className="text-4xl font-black">{t(locale, "settings.forbiddenTitle")}</h1>
        <p className="text-xl text-gray-300">{t(locale, "settings.forbiddenBody")}</p>
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
  const initial = partners.find((p) => p.slug === partner)?.slug ?? partners[0]?.slug ?? "";
  const code = typeof pair === "string" && /^[A-Za-z0-9-]{1,20}$/.test(pair) ? pair : "";
  // The words are the restaurant's shown first (an admin choosing another keeps them).
  const locale = initial ? await localeOfPartner({ slug: initial }) : await localeForPrincipal(principal);
  return (
    <I18nProvider locale={locale}>
      <SettingsScreen
        partners={partners}
        initialPartner={initial}
        initialTab={tab}
        pairCode={code}
        isAdmin={scope === null}
        me={principal.kind === "user" ? principal.userId : ""}
      />
    </I18nProvider>
  );
}
