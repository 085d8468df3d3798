import { z } from "zod";
import { getDb } from "@/lib/db";
import { apiRoute, json, readJson, requirePrincipal, textIdParam } from "@/lib/http";
import { getKitchenSettings, updateKitchenSettings } from "@/lib/orders/settings";

export const dynamic = "force-dynamic";

const percent = z.number("must be a number").int("must be a whole number");
const patchBody = z.strictObject({
  expoConfirms: z.boolean("must be true or false").optional(),
  warnPercent: percent.optional(),
  latePercent: percent.optional(),
});

export const GET = apiRoute<{ slug: string }>(async (req, { slug }) => {
  const principal = await requirePrincipal(req);
  return json(await getKitchenSettings({ db: getDb(), principal, partner: textIdParam(slug) }));
});

export const PATCH = apiRoute<{ slug: string }>(async (req, { slug }) => {
  const principal = await requirePrincipal(req);
  const patch = await readJson(req, patchBody);
  return json(await updateKitchenSettings({ db: getDb(), principal, partner: textIdParam(slug), patch }));
});
