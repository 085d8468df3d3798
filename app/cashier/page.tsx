import { requireScreen } from "@/lib/auth/screen";
import { CashierScreen } from "./cashier-screen";

export const dynamic = "force-dynamic";

export default async function CashierPage() {
  await requireScreen("cashier", "/cashier");
  return <CashierScreen />;
}
