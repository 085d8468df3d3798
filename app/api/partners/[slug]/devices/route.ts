import { issueDevice, listDevices } from "@/lib/auth/devices";
import { getDb } from "@/lib/db";
import { apiRoute, json, readJson, requirePrincipal, textIdParam } from "@/lib/http";
import { deviceBody } from "../schema";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ slug: string }>(async (req, { slug }) => {
  const principal = await requirePrincipal(req);
  return json({ devices: await listDevices({ db: getDb(), principal, partner: textIdParam(slug) }) });
});

/** 201 with the token's secret, shown this once. */
export const POST = apiRoute<{ slug: string }>(async (req, { slug }) => {
  const principal = await requirePrincipal(req);
  const input = await readJson(req, deviceBody);
  return json(await issueDevice({ db: getDb(), principal, partner: textIdParam(slug), input }), 201);
});
