import { requireScreen } from "@/lib/auth/screen";
import { KitchenScreen } from "./kitchen-screen";

export const dynamic = "force-dynamic";

export default async function KitchenPage({ searchParams }: { searchParams: Promise<{ station?: string }> }) {
  const { station } = await searchParams;
  await requireScreen("kitchen", station ? `/kitchen?station=${station}` : "/kitchen");
  return <KitchenScreen station={station?.trim() || null} />;
}
