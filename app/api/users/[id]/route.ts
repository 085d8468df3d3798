import { updateUser } from "@/lib/auth/users-admin";
import { getDb } from "@/lib/db";
import { apiRoute, json, readJson, requirePrincipal, textIdParam } from "@/lib/http";
import { userPatch } from "../../partners/[slug]/schema";

export const dynamic = "force-dynamic";

/** `{role?, password?, disabled?}`: change a role, reset a password, disable or enable. */
export const PATCH = apiRoute<{ id: string }>(async (req, { id }) => {
  const principal = await requirePrincipal(req);
  const patch = await readJson(req, userPatch);
  return json(await updateUser({ db: getDb(), principal, id: textIdParam(id), patch }));
});
