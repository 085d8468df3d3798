import { getDb } from "@/lib/db";
import { apiRoute, json, orderIdParam, readJson, requirePrincipal } from "@/lib/http";
import { markDelivery } from "@/lib/orders";
import { deliveryBody } from "../../schema";

export const dynamic = "force-dynamic";

/** "Picked up" / "delivered" from the courier's phone: their own deliveries only (another courier's is 404). */
export const POST = apiRoute<{ id: string }>(async (req, { id }) => {
  const principal = await requirePrincipal(req);
  const { status } = await readJson(req, deliveryBody);
  return json(await markDelivery({ db: getDb(), principal, id: orderIdParam(id), status }));
});
