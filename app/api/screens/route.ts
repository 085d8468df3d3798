import { getDb } from "@/lib/db";
import { apiRoute, json, requirePrincipal } from "@/lib/http";
import { listScreens } from "@/lib/orders";
import { assertCan } from "@/lib/auth";

export const dynamic = "force-dynamic";

/** The health panel: every screen seen in the last 10 minutes. */
export const GET = apiRoute(async (req) => {
  const principal = await requirePrincipal(req);
  assertCan(principal, "orders:read");
  return json({ screens: await listScreens({ db: getDb(), principal }) });
});
