import { getDb } from "@/lib/db";
import { apiRoute, requirePrincipal, textIdParam } from "@/lib/http";
import { removeWebhook } from "@/lib/notifications";

export const dynamic = "force-dynamic";

export const DELETE = apiRoute<{ slug: string; id: string }>(async (req, { slug, id }) => {
  const principal = await requirePrincipal(req);
  await removeWebhook({ db: getDb(), principal, partner: textIdParam(slug), id: textIdParam(id) });
  return new Response(null, { status: 204 });
});
