import { getDb } from "@/lib/db";
import { apiRoute, json, readJson, requirePrincipal, textIdParam } from "@/lib/http";
import { createCourier, listCouriers } from "@/lib/orders";
import { courierBody } from "../schema";

export const dynamic = "force-dynamic";

/** The partner's couriers (docs/contracts.md#couriers). */
export const GET = apiRoute<{ slug: string }>(async (req, { slug }) => {
  const principal = await requirePrincipal(req);
  return json({ couriers: await listCouriers({ db: getDb(), principal, partner: textIdParam(slug) }) });
});

export const POST = apiRoute<{ slug: string }>(async (req, { slug }) => {
  const principal = await requirePrincipal(req);
  const input = await readJson(req, courierBody);
  return json(await createCourier({ db: getDb(), principal, partner: textIdParam(slug), input }), 201);
});
