import { getDb } from "@/lib/db";
import { apiRoute, json, readJson, requirePrincipal } from "@/lib/http";
import { reorder } from "@/lib/menu";
import { reorderBody } from "../../menu/schema";

export const dynamic = "force-dynamic";

/** New positions: the listed ids first, in that order, then the rest as they were. */
export const POST = apiRoute(async (req) => {
  const principal = await requirePrincipal(req);
  const { partner, ids } = await readJson(req, reorderBody);
  return json(await reorder({ db: getDb(), principal, table: "modifierGroups", partner, ids }));
});
