import { z } from "zod";
import { getDb } from "@/lib/db";
import { apiRoute, json, orderIdParam, readJson, requirePrincipal } from "@/lib/http";
import { fireCourseNow, toOrderDto } from "@/lib/orders";

export const dynamic = "force-dynamic";

const body = z.strictObject({ course: z.number("must be a number").int("must be a whole number").min(1).max(9) });

/** "Fire course 2": its held lines go to their stations now. */
export const POST = apiRoute<{ id: string }>(async (req, { id }) => {
  const principal = await requirePrincipal(req);
  const { course } = await readJson(req, body);
  return json(toOrderDto(await fireCourseNow({ db: getDb(), principal, id: orderIdParam(id), course })));
});
