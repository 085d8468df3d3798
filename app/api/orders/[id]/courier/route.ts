import { getDb } from "@/lib/db";
import { apiRoute, json, orderIdParam, readJson, requirePrincipal } from "@/lib/http";
import { assignCourier, toOrderDto } from "@/lib/orders";
import { courierBody } from "../schema";

export const dynamic = "force-dynamic";

export const POST = apiRoute<{ id: string }>(async (req, { id }) => {
  const principal = await requirePrincipal(req);
  const { courierName, courierId } = await readJson(req, courierBody);
  return json(toOrderDto(await assignCourier({ db: getDb(), principal, id: orderIdParam(id), courierName, courierId })));
});
