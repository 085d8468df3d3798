import { getDb } from "@/lib/db";
import { apiRoute, json, readJson, requirePrincipal, textIdParam } from "@/lib/http";
import { archiveFood, updateFood } from "@/lib/menu";
import { foodPatch } from "../../menu/schema";

export const dynamic = "force-dynamic";

/** PATCH semantics, also over POST (README "HTTP API", the pre-menu-model route): only the fields sent change. */
async function handle(req: Request, { id }: { id: string }) {
  const principal = await requirePrincipal(req);
  const patch = await readJson(req, foodPatch);
  return json(await updateFood({ db: getDb(), principal, id: textIdParam(id), patch }));
}

export const POST = apiRoute<{ id: string }>(handle);
export const PATCH = apiRoute<{ id: string }>(handle);

/** Archive: off the menu, still readable by the orders that have it. */
export const DELETE = apiRoute<{ id: string }>(async (req, { id }) => {
  const principal = await requirePrincipal(req);
  return json(await archiveFood({ db: getDb(), principal, id: textIdParam(id) }));
});
