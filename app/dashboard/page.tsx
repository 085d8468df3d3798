import { requireScreen } from "@/lib/auth/screen";
import { DashboardScreen } from "./dashboard-screen";

export const dynamic = "force-dynamic";

export default async function DashboardPage() {
  await requireScreen("partner", "/dashboard");
  return <DashboardScreen />;
}
