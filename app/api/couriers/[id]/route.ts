import { getDb } from "@/lib/db";
import { apiRoute, json, readJson, requirePrincipal, textIdParam } from "@/lib/http";
import { updateCourier } from "@/lib/orders";
import { courierPatch } from "../schema";

export const dynamic = "force-dynamic";

/** Renames, changes the phone, takes off the roster (active: false signs their phone out) or marks available. */
export const PATCH = apiRoute<{ id: string }>(async (req, { id }) => {
  const principal = await requirePrincipal(req);
  const input = await readJson(req, courierPatch);
  return json(await updateCourier({ db: getDb(), principal, id: textIdParam(id), input }));
});
