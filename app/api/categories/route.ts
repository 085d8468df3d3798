import { getDb } from "@/lib/db";
import { apiRoute, json, readJson, requirePrincipal } from "@/lib/http";
import { createCategory } from "@/lib/menu";
import { categoryBody } from "../menu/schema";

export const dynamic = "force-dynamic";

export const POST = apiRoute(async (req) => {
  const principal = await requirePrincipal(req);
  return json(await createCategory({ db: getDb(), principal, input: await readJson(req, categoryBody) }), 201);
});
