import { z } from "zod";
import { getDb } from "@/lib/db";
import { apiRoute, json, orderIdParam, readOptionalJson, requirePrincipal } from "@/lib/http";
import { expoBump, expoUndo, toOrderDto } from "@/lib/orders";

export const dynamic = "force-dynamic";

const body = z
  .strictObject({ force: z.boolean("must be true or false").optional(), undo: z.literal(true, "must be true").optional() })
  .refine((b) => !(b.force && b.undo), { path: ["undo"], message: "cannot be combined with force" });

/** Expo's bump: READY once every station is done; `force` completes what is left; `undo` takes a bump back within 10 s. */
export const POST = apiRoute<{ id: string }>(async (req, { id }) => {
  const principal = await requirePrincipal(req);
  const { force, undo } = await readOptionalJson(req, body);
  const args = { db: getDb(), principal, id: orderIdParam(id) };
  return json(toOrderDto(await (undo ? expoUndo(args) : expoBump({ ...args, force }))));
});
