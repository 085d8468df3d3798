import { I18nProvider } from "@/components/i18n";
import { requireScreen } from "@/lib/auth/screen";
import { localeForPrincipal } from "../locale";
import { CashierScreen } from "./cashier-screen";

export const dynamic = "force-dynamic";

export default async function CashierPage() {
  const principal = await requireScreen("cashier", "/cashier");
  return (
    <I18nProvider locale={await localeForPrincipal(principal)}>
      <CashierScreen />
    </I18nProvider>
  );
}
