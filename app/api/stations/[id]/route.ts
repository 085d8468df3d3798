import { getDb } from "@/lib/db";
import { apiRoute, json, readJson, requirePrincipal, textIdParam } from "@/lib/http";
import { updateStation } from "@/lib/menu";
import { stationPatch } from "../../menu/schema";

export const dynamic = "force-dynamic";

export const PATCH = apiRoute<{ id: string }>(async (req, { id }) => {
  const principal = await requirePrincipal(req);
  return json(await updateStation({ db: getDb(), principal, id: textIdParam(id), patch: await readJson(req, stationPatch) }));
});
