import { getDb } from "@/lib/db";
import { apiRoute, json, readJson, requirePrincipal, textIdParam } from "@/lib/http";
import { getPartnerProfile, updatePartnerProfile } from "@/lib/orders/partner-profile";
import { partnerPatch } from "./schema";

export const dynamic = "force-dynamic";

/** The restaurant's profile: every signed-in principal of the partner (screens need currency and locale). */
export const GET = apiRoute<{ slug: string }>(async (req, { slug }) => {
  const principal = await requirePrincipal(req);
  return json(await getPartnerProfile({ db: getDb(), principal, slug: textIdParam(slug) }));
});

export const PATCH = apiRoute<{ slug: string }>(async (req, { slug }) => {
  const principal = await requirePrincipal(req);
  const patch = await readJson(req, partnerPatch);
  return json(await updatePartnerProfile({ db: getDb(), principal, slug: textIdParam(slug), patch }));
});
