import { getDb } from "@/lib/db";
import { apiRoute, json, requirePrincipal } from "@/lib/http";
import { listScreens } from "@/lib/orders";
import { assertCan } from "@/lib/auth";

export const dynamic = "force-dynamic";

/** The health panel: the devices on line now (each once, by name) and the business day's disconnects. */
export const GET = apiRoute(async (req) => {
  const principal = await requirePrincipal(req);
  assertCan(principal, "orders:read");
  return json(await listScreens({ db: getDb(), principal }));
});
