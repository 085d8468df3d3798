import { I18nProvider } from "@/components/i18n";
import { requireScreen } from "@/lib/auth/screen";
import { localeForPrincipal } from "../locale";
import { BoardScreen } from "./board-screen";

export const dynamic = "force-dynamic";

export default async function BoardPage() {
  const principal = await requireScreen("display", "/board");
  return (
    <I18nProvider locale={await localeForPrincipal(principal)}>
      <BoardScreen />
    </I18nProvider>
  );
}
