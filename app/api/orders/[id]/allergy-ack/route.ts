import { getDb } from "@/lib/db";
import { apiRoute, json, orderIdParam, requirePrincipal } from "@/lib/http";
import { acknowledgeAllergy, toOrderDto } from "@/lib/orders";

export const dynamic = "force-dynamic";

/** The kitchen's "allergy seen" tap; an allergy ticket cannot be bumped before it (409). */
export const POST = apiRoute<{ id: string }>(async (req, { id }) => {
  const principal = await requirePrincipal(req);
  return json(toOrderDto(await acknowledgeAllergy({ db: getDb(), principal, id: orderIdParam(id) })));
});
