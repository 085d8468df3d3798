import { getDb } from "@/lib/db";
import { apiRoute, json, orderIdParam, requirePrincipal } from "@/lib/http";
import { getOrderHistory } from "@/lib/orders";

export const dynamic = "force-dynamic";

/** The dashboard's order view: the order, its lines and options, and every change with who made it (lib/orders/history.ts). */
export const GET = apiRoute<{ id: string }>(async (req, { id }) => {
  const principal = await requirePrincipal(req);
  return json(await getOrderHistory({ db: getDb(), principal, id: orderIdParam(id) }));
});
