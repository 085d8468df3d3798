import { getDb } from "@/lib/db";
import { apiRoute, json, readJson, requirePrincipal } from "@/lib/http";
import { createFood } from "@/lib/menu";
import { foodBody } from "../menu/schema";

export const dynamic = "force-dynamic";

export const POST = apiRoute(async (req) => {
  const principal = await requirePrincipal(req);
  const food = await createFood({ db: getDb(), principal, input: await readJson(req, foodBody) });
  return json(food, 201, { location: `/api/foods/${food.id}` });
});
