import { channelsOf } from "@/lib/auth";
import { apiRoute, json, requirePrincipal } from "@/lib/http";

export const dynamic = "force-dynamic";

/** Who the caller is, for screens deciding what to show. */
export const GET = apiRoute(async (req) => {
  const principal = await requirePrincipal(req);
  return json({ principal: { ...principal, channels: channelsOf(principal) } });
});
