import { renderSettings } from "../settings-page";

export const dynamic = "force-dynamic";

/** The pairing QR links here (`?pair=CODE`): the code is filled in, the operator chooses what the screen is. */
export default async function SettingsDevicesPage({ searchParams }: { searchParams: Promise<{ partner?: string; pair?: string }> }) {
  const { partner, pair } = await searchParams;
  const path = pair ? `/settings/devices?pair=${encodeURIComponent(pair)}` : "/settings/devices";
  return renderSettings({ tab: "devices", path, partner, pair });
}
