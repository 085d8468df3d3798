import { notFound, redirect } from "next/navigation";
import { CHANNELS, canReadChannel } from "@/lib/auth";
import { currentPrincipal } from "@/lib/auth/next";
import { LiveView } from "./live-view";

export const dynamic = "force-dynamic";

/** Support page: the raw stream of one channel, as the screens receive it. */
export default async function LivePage({ params }: { params: Promise<{ channel: string }> }) {
  const { channel } = await params;
  if (!(CHANNELS as readonly string[]).includes(channel)) notFound();
  const principal = await currentPrincipal();
  if (!principal) redirect(`/login?next=/live/${channel}`);
  if (!canReadChannel(principal, channel)) notFound();
  return <LiveView channel={channel} />;
}
