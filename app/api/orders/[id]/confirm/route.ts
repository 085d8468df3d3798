import { getDb } from "@/lib/db";
import { type ApiRequest, apiRoute, type RouteParams, json, orderIdParam, readJson, requirePrincipal } from "@/lib/http";
import { confirmOrder, toOrderDto } from "@/lib/orders";
import { confirmBody } from "../schema";

export const dynamic = "force-dynamic";

export const POST = apiRoute<RouteParams, ApiRequest>(async (req, { id }) => {
  const principal = await requirePrincipal(req);
  const input = await readJson(req, confirmBody);
  return json(toOrderDto(await confirmOrder({ db: getDb(), principal, id: orderIdParam(id), input })));
});
