import { I18nProvider } from "@/components/i18n";
import { requireScreen } from "@/lib/auth/screen";
import { localeForPrincipal } from "../locale";
import { DashboardScreen } from "./dashboard-screen";

export const dynamic = "force-dynamic";

export default async function DashboardPage() {
  const principal = await requireScreen("partner", "/dashboard");
  return (
    <I18nProvider locale={await localeForPrincipal(principal)}>
      <DashboardScreen />
    </I18nProvider>
  );
}
