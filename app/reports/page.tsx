import Link from "next/link";
import { redirect } from "next/navigation";
import { I18nProvider } from "@/components/i18n";
import { can, resolvePartnerScope } from "@/lib/auth";
import { currentPrincipal } from "@/lib/auth/next";
import { getDb } from "@/lib/db";
import { languageOf, t } from "@/lib/i18n";
import { businessDay } from "@/lib/orders/business-day";
import { localeForPrincipal, localeOfPartner } from "../locale";
import { ReportsScreen, type ReportsPartner } from "./reports-screen";

export const dynamic = "force-dynamic";

/**
 * /reports (issue "Reports and end of day"): signed in, else to the login coming back here; an
 * operator sees their restaurant, an admin chooses any; the kitchen and devices get a refusal.
 * Each restaurant comes with its current business day, the date range's default.
 */
export default async function ReportsPage({ searchParams }: { searchParams: Promise<{ partner?: string }> }) {
  const { partner } = await searchParams;
  const principal = await currentPrincipal();
  if (!principal) redirect(`/login?next=${encodeURIComponent("/reports")}`);
  if (!can(principal, "reports:read")) {
    const locale = await localeForPrincipal(principal);
    return (
      <main
        className="mx-auto flex min-h-dvh max-w-2xl flex-col justify-center gap-4 p-8"
        data-testid="reports-forbidden"
        lang={languageOf(locale)}
      >
        <h1 className="text-4xl font-black">{t(locale, "reports.forbiddenTitle")}</h1>
        <p className="text-xl text-gray-300">{t(locale, "reports.forbiddenBody")}</p>
        <Link href="/" className="min-h-11 content-center text-xl text-sky-300 underline underline-offset-4">
          {t(locale, "settings.forbiddenBack")}
        </Link>
      </main>
    );
  }
  const db = getDb();
  const scope = await resolvePartnerScope({ db, principal });
  let q = db.selectFrom("partners").select(["slug", "name", "timezone", "cutoverHour"]).orderBy("name");
  if (scope !== null) q = q.where("id", "=", scope);
  const rows = await q.execute();
  const now = new Date();
  const partners: ReportsPartner[] = rows.map((r) => ({
    slug: r.slug,
    name: r.name,
    timezone: r.timezone,
    cutoverHour: Number(r.cutoverHour),
    today: businessDay({ at: now, timezone: r.timezone, cutoverHour: Number(r.cutoverHour) }),
  }));
  const initial = partners.find((p) => p.slug === partner)?.slug ?? partners[0]?.slug ?? "";
  const locale = initial ? await localeOfPartner({ slug: initial }) : await localeForPrincipal(principal);
  return (
    <I18nProvider locale={locale}>
      <ReportsScreen partners={partners} initialPartner={initial} />
    </I18nProvider>
  );
}
