import { revokeDevice } from "@/lib/auth/devices";
import { getDb } from "@/lib/db";
import { apiRoute, json, requirePrincipal, textIdParam } from "@/lib/http";

export const dynamic = "force-dynamic";

/** Revokes a device token: its streams and sockets end on every node. */
export const DELETE = apiRoute<{ id: string }>(async (req, { id }) => {
  const principal = await requirePrincipal(req);
  return json(await revokeDevice({ db: getDb(), principal, id: textIdParam(id) }));
});
