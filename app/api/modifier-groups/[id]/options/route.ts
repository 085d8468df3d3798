import { getDb } from "@/lib/db";
import { apiRoute, json, readJson, requirePrincipal, textIdParam } from "@/lib/http";
import { addOption } from "@/lib/menu";
import { optionBody } from "../../../menu/schema";

export const dynamic = "force-dynamic";

/** Adds an option; answers the whole group. */
export const POST = apiRoute<{ id: string }>(async (req, { id }) => {
  const principal = await requirePrincipal(req);
  return json(await addOption({ db: getDb(), principal, groupId: textIdParam(id), input: await readJson(req, optionBody) }), 201);
});
