import { TrackView } from "./track-view";

export const dynamic = "force-dynamic";

/** The customer's live view of their order (the link carries its tracking token). */
export default async function TrackPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ token?: string }>;
}) {
  const { id } = await params;
  const { token } = await searchParams;
  return <TrackView orderId={Number(id)} token={token ?? ""} />;
}
