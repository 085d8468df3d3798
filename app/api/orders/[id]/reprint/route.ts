import { getDb } from "@/lib/db";
import { apiRoute, json, orderIdParam, readJson, requirePrincipal } from "@/lib/http";
import { reprintOrder, toPrinterReprintOrder } from "@/lib/orders";
import { reprintBody } from "../schema";

export const dynamic = "force-dynamic";

export const POST = apiRoute<{ id: string }>(async (req, { id }) => {
  const principal = await requirePrincipal(req);
  const body = await readJson(req, reprintBody);
  const { order, orderItemIds, receipt } = await reprintOrder({ db: getDb(), principal, id: orderIdParam(id), ...body });
  return json(toPrinterReprintOrder(order, { orderItemIds, receipt }));
});
