import { PairScreen } from "./pair-screen";

export const dynamic = "force-dynamic";

/**
 * A new wall screen pairs itself (issue "Cashier and back office" item 2): no sign-in here, no
 * password typed on the TV. `?partner=slug` binds the code to that restaurant from the start.
 */
export default async function PairPage({ searchParams }: { searchParams: Promise<{ partner?: string }> }) {
  const { partner } = await searchParams;
  return <PairScreen partner={typeof partner === "string" && partner.length <= 64 ? partner : null} />;
}
