import { getDb } from "@/lib/db";
import { apiRoute, json, requirePrincipal, textIdParam } from "@/lib/http";
import { listDeliveries } from "@/lib/notifications";

export const dynamic = "force-dynamic";

/** Every delivery attempt of the webhook, newest first, and how many deliveries wait. */
export const GET = apiRoute<{ slug: string; id: string }>(async (req, { slug, id }) => {
  const principal = await requirePrincipal(req);
  return json(await listDeliveries({ db: getDb(), principal, partner: textIdParam(slug), id: textIdParam(id) }));
});
