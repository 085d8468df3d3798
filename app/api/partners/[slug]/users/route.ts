import { addUser, listUsers } from "@/lib/auth/users-admin";
import { getDb } from "@/lib/db";
import { apiRoute, json, readJson, requirePrincipal, textIdParam } from "@/lib/http";
import { userBody } from "../schema";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ slug: string }>(async (req, { slug }) => {
  const principal = await requirePrincipal(req);
  return json({ users: await listUsers({ db: getDb(), principal, partner: textIdParam(slug) }) });
});

export const POST = apiRoute<{ slug: string }>(async (req, { slug }) => {
  const principal = await requirePrincipal(req);
  const input = await readJson(req, userBody);
  return json(await addUser({ db: getDb(), principal, partner: textIdParam(slug), input }), 201);
});
