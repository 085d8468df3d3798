import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db";
import { apiRoute, json, readJson, requirePrincipal, textIdParam } from "@/lib/http";
import { createWebhook, listWebhooks } from "@/lib/notifications";
import { webhookBody } from "./schema";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ slug: string }>(async (req, { slug }) => {
  const principal = await requirePrincipal(req);
  return json({ webhooks: await listWebhooks({ db: getDb(), principal, partner: textIdParam(slug) }) });
});

/** The answer carries the signing secret; it is never shown again. */
export const POST = apiRoute<{ slug: string }>(async (req, { slug }) => {
  const principal = await requirePrincipal(req);
  const input = await readJson(req, webhookBody);
  const created = await createWebhook({
    db: getDb(),
    principal,
    partner: textIdParam(slug),
    input,
    allowPrivate: getConfig().webhookAllowPrivate,
  });
  return json(created, 201);
});
