import { getDb } from "@/lib/db";
import { apiRoute, json, readJson, requirePrincipal, textIdParam } from "@/lib/http";
import { archiveGroup, updateGroup } from "@/lib/menu";
import { groupPatch } from "../../menu/schema";

export const dynamic = "force-dynamic";

export const PATCH = apiRoute<{ id: string }>(async (req, { id }) => {
  const principal = await requirePrincipal(req);
  return json(await updateGroup({ db: getDb(), principal, id: textIdParam(id), patch: await readJson(req, groupPatch) }));
});

/** Archive: the group leaves every food it was linked to. */
export const DELETE = apiRoute<{ id: string }>(async (req, { id }) => {
  const principal = await requirePrincipal(req);
  return json(await archiveGroup({ db: getDb(), principal, id: textIdParam(id) }));
});
