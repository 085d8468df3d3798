import { renameDevice, revokeDevice } from "@/lib/auth/devices";
import { getDb } from "@/lib/db";
import { apiRoute, json, readJson, requirePrincipal, textIdParam } from "@/lib/http";
import { renameBody } from "./schema";

export const dynamic = "force-dynamic";

/** Revokes a device token: its streams and sockets end on every node. */
export const DELETE = apiRoute<{ id: string }>(async (req, { id }) => {
  const principal = await requirePrincipal(req);
  return json(await revokeDevice({ db: getDb(), principal, id: textIdParam(id) }));
});

/** Renames a device token (the devices list and the dashboard's health panel show it at once). */
export const PATCH = apiRoute<{ id: string }>(async (req, { id }) => {
  const principal = await requirePrincipal(req);
  const { name } = await readJson(req, renameBody);
  return json(await renameDevice({ db: getDb(), principal, id: textIdParam(id), name }));
});
