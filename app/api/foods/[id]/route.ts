import { getDb } from "@/lib/db";
import { apiRoute, json, readJson, requirePrincipal, textIdParam } from "@/lib/http";
import { updateFood } from "@/lib/orders";
import { foodPatchBody } from "./schema";

export const dynamic = "force-dynamic";

/** PATCH semantics over POST (README "HTTP API"): only the fields sent change. */
async function handle(req: Request, { id }: { id: string }) {
  const principal = await requirePrincipal(req);
  const patch = await readJson(req, foodPatchBody);
  return json(await updateFood({ db: getDb(), principal, id: textIdParam(id), patch }));
}

export const POST = apiRoute<{ id: string }>(handle);
export const PATCH = apiRoute<{ id: string }>(handle);
