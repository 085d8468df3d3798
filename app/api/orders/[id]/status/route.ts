import { getDb } from "@/lib/db";
import { type ApiRequest, apiRoute, type RouteParams, json, orderIdParam, readJson, requirePrincipal } from "@/lib/http";
import { changeStatus, toOrderDto } from "@/lib/orders";
import { statusBody } from "../schema";

export const dynamic = "force-dynamic";

export const POST = apiRoute<RouteParams, ApiRequest>(async (req, { id }) => {
  const principal = await requirePrincipal(req);
  const { status, reason } = await readJson(req, statusBody);
  return json(toOrderDto(await changeStatus({ db: getDb(), principal, id: orderIdParam(id), status, reason })));
});
