import { z } from "zod";
import { getDb } from "@/lib/db";
import { apiRoute, json, orderIdParam, readOptionalJson, requirePrincipal } from "@/lib/http";
import { expoBump, toOrderDto } from "@/lib/orders";

export const dynamic = "force-dynamic";

const body = z.strictObject({ force: z.boolean("must be true or false").optional() });

/** Expo's bump: READY once every station is done; `force` completes what is left. */
export const POST = apiRoute<{ id: string }>(async (req, { id }) => {
  const principal = await requirePrincipal(req);
  const { force } = await readOptionalJson(req, body);
  return json(toOrderDto(await expoBump({ db: getDb(), principal, id: orderIdParam(id), force })));
});
