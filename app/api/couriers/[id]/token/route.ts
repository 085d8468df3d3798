import { getDb } from "@/lib/db";
import { apiRoute, json, requirePrincipal, textIdParam } from "@/lib/http";
import { issueCourierToken } from "@/lib/orders";

export const dynamic = "force-dynamic";

/** 201 with the courier's sign-in token (shown once) and its /courier link; the previous token is revoked. */
export const POST = apiRoute<{ id: string }>(async (req, { id }) => {
  const principal = await requirePrincipal(req);
  return json(await issueCourierToken({ db: getDb(), principal, id: textIdParam(id) }), 201);
});
