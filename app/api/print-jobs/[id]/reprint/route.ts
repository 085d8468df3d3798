import { getDb } from "@/lib/db";
import { apiRoute, json, requirePrincipal, textIdParam } from "@/lib/http";
import { reprintJob } from "@/lib/printing";

export const dynamic = "force-dynamic";

/** The same slip again on the same printer, stamped REPRINT. */
export const POST = apiRoute<{ id: string }>(async (req, { id }) => {
  const principal = await requirePrincipal(req);
  return json(await reprintJob({ db: getDb(), principal, jobId: textIdParam(id) }), 201);
});
