import type { SettingsTab } from "./settings-screen";
import { renderSettings } from "./settings-page";

export const dynamic = "force-dynamic";

const TABS: readonly SettingsTab[] = ["restaurant", "users", "devices", "printers", "couriers", "tables", "webhooks"];

export default async function SettingsPage({ searchParams }: { searchParams: Promise<{ partner?: string; tab?: string }> }) {
  const { partner, tab } = await searchParams;
  const chosen = TABS.find((t) => t === tab) ?? "restaurant";
  return renderSettings({ tab: chosen, path: "/settings", partner });
}
