import { getDb } from "@/lib/db";
import { apiRoute, json, readJson, requirePrincipal } from "@/lib/http";
import { createStation } from "@/lib/menu";
import { stationBody } from "../menu/schema";

export const dynamic = "force-dynamic";

export const POST = apiRoute(async (req) => {
  const principal = await requirePrincipal(req);
  return json(await createStation({ db: getDb(), principal, input: await readJson(req, stationBody) }), 201);
});
