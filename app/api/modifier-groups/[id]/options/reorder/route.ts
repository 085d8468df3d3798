import { getDb } from "@/lib/db";
import { apiRoute, json, readJson, requirePrincipal, textIdParam } from "@/lib/http";
import { reorderOptions } from "@/lib/menu";
import { reorderOptionsBody } from "../../../../menu/schema";

export const dynamic = "force-dynamic";

export const POST = apiRoute<{ id: string }>(async (req, { id }) => {
  const principal = await requirePrincipal(req);
  const { ids } = await readJson(req, reorderOptionsBody);
  return json(await reorderOptions({ db: getDb(), principal, groupId: textIdParam(id), ids }));
});
