import { getDb } from "@/lib/db";
import { apiRoute, json, readJson, requirePrincipal } from "@/lib/http";
import { createGroup } from "@/lib/menu";
import { groupBody } from "../menu/schema";

export const dynamic = "force-dynamic";

export const POST = apiRoute(async (req) => {
  const principal = await requirePrincipal(req);
  return json(await createGroup({ db: getDb(), principal, input: await readJson(req, groupBody) }), 201);
});
