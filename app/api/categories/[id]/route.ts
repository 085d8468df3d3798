import { getDb } from "@/lib/db";
import { apiRoute, json, readJson, requirePrincipal, textIdParam } from "@/lib/http";
import { archiveCategory, updateCategory } from "@/lib/menu";
import { categoryPatch } from "../../menu/schema";

export const dynamic = "force-dynamic";

export const PATCH = apiRoute<{ id: string }>(async (req, { id }) => {
  const principal = await requirePrincipal(req);
  return json(await updateCategory({ db: getDb(), principal, id: textIdParam(id), patch: await readJson(req, categoryPatch) }));
});

/** Archive: a category that still has dishes is refused (409). */
export const DELETE = apiRoute<{ id: string }>(async (req, { id }) => {
  const principal = await requirePrincipal(req);
  return json(await archiveCategory({ db: getDb(), principal, id: textIdParam(id) }));
});
