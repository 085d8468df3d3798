import { I18nProvider } from "@/components/i18n";
import { DEFAULT_LOCALE } from "@/lib/i18n";
import { localeOfPartner } from "../locale";
import { PairScreen } from "./pair-screen";

export const dynamic = "force-dynamic";

/**
 * A new wall screen pairs itself (issue "Cashier and back office" item 2): no sign-in here, no
 * password typed on the TV. `?partner=slug` binds the code to that restaurant from the start.
 */
export default async function PairPage({ searchParams }: { searchParams: Promise<{ partner?: string }> }) {
  const { partner } = await searchParams;
  const slug = typeof partner === "string" && partner.length <= 64 ? partner : null;
  // Without `?partner=` the screen belongs to no restaurant yet: English.
  const locale = slug ? await localeOfPartner({ slug }) : DEFAULT_LOCALE;
  return (
    <I18nProvider locale={locale}>
      <PairScreen partner={slug} />
    </I18nProvider>
  );
}
