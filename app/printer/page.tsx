import { requireScreen } from "@/lib/auth/screen";
import { PrinterScreen } from "./printer-screen";

export const dynamic = "force-dynamic";

export default async function PrinterPage() {
  await requireScreen("printer", "/printer");
  return <PrinterScreen />;
}
