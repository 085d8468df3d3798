import { I18nProvider } from "@/components/i18n";
import { requireScreen } from "@/lib/auth/screen";
import { localeForPrincipal } from "../locale";
import { PrinterScreen } from "./printer-screen";

export const dynamic = "force-dynamic";

export default async function PrinterPage() {
  const principal = await requireScreen("printer", "/printer");
  return (
    <I18nProvider locale={await localeForPrincipal(principal)}>
      <PrinterScreen />
    </I18nProvider>
  );
}
