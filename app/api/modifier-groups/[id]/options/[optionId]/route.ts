import { getDb } from "@/lib/db";
import { apiRoute, json, readJson, requirePrincipal, textIdParam } from "@/lib/http";
import { archiveOption, updateOption } from "@/lib/menu";
import { optionPatch } from "../../../../menu/schema";

export const dynamic = "force-dynamic";

type P = { id: string; optionId: string };

export const PATCH = apiRoute<P>(async (req, { id, optionId }) => {
  const principal = await requirePrincipal(req);
  const patch = await readJson(req, optionPatch);
  return json(await updateOption({ db: getDb(), principal, groupId: textIdParam(id), id: textIdParam(optionId), patch }));
});

export const DELETE = apiRoute<P>(async (req, { id, optionId }) => {
  const principal = await requirePrincipal(req);
  return json(await archiveOption({ db: getDb(), principal, groupId: textIdParam(id), id: textIdParam(optionId) }));
});
