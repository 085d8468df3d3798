import { getDb } from "@/lib/db";
import { apiRoute, json, requirePrincipal, textIdParam } from "@/lib/http";
import { queueTestPage } from "@/lib/printing";

export const dynamic = "force-dynamic";

/** Queues a test page on the printer. */
export const POST = apiRoute<{ id: string }>(async (req, { id }) => {
  const principal = await requirePrincipal(req);
  return json(await queueTestPage({ db: getDb(), principal, printerId: textIdParam(id) }), 201);
});
