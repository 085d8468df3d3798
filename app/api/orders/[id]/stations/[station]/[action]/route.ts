import { z } from "zod";
import { getDb } from "@/lib/db";
import { key } from "@/lib/fields";
import { apiRoute, json, orderIdParam, parseWith, readOptionalJson, requirePrincipal, textIdParam } from "@/lib/http";
import { STATION_ACTIONS, stationAction, toOrderDto } from "@/lib/orders";

export const dynamic = "force-dynamic";

/** Optional: act on some lines only (per-line bump); without it, all of the station's lines. */
const body = z.strictObject({ itemIds: z.array(key(64)).min(1, "list at least one item").max(100).optional() });
const actionParam = z.enum(STATION_ACTIONS, "one of start, bump, recall, undo");

/** POST /api/orders/{id}/stations/{station}/{start|bump|recall|undo} */
export const POST = apiRoute<{ id: string; station: string; action: string }>(async (req, params) => {
  const principal = await requirePrincipal(req);
  const action = parseWith(z.strictObject({ action: actionParam }), { action: params.action }).action;
  const { itemIds } = await readOptionalJson(req, body);
  const order = await stationAction({
    db: getDb(),
    principal,
    id: orderIdParam(params.id),
    station: textIdParam(params.station),
    action,
    itemIds,
  });
  return json(toOrderDto(order));
});
