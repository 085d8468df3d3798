import { I18nProvider } from "@/components/i18n";
import { requireScreen } from "@/lib/auth/screen";
import { localeForPrincipal } from "../locale";
import { KitchenScreen } from "./kitchen-screen";

export const dynamic = "force-dynamic";

export default async function KitchenPage({ searchParams }: { searchParams: Promise<{ station?: string }> }) {
  const { station } = await searchParams;
  const principal = await requireScreen("kitchen", station ? `/kitchen?station=${station}` : "/kitchen");
  return (
    <I18nProvider locale={await localeForPrincipal(principal)}>
      <KitchenScreen station={station?.trim() || null} />
    </I18nProvider>
  );
}
