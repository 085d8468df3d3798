import { getDb } from "@/lib/db";
import { apiRoute, json, orderIdParam, readJson, requirePrincipal } from "@/lib/http";
import { confirmOrder, toOrderDto } from "@/lib/orders";
import { confirmBody } from "../schema";

export const dynamic = "force-dynamic";

export const POST = apiRoute<{ id: string }>(async (req, { id }) => {
  const principal = await requirePrincipal(req);
  const input = await readJson(req, confirmBody);
  return json(toOrderDto(await confirmOrder({ db: getDb(), principal, id: orderIdParam(id), input })));
});
