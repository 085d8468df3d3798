import { demoRunner } from "@/lib/demo/runner";
import { apiRoute, json, parseWith, readJson, requirePrincipal, searchParams } from "@/lib/http";
import { demoQuery, startDemoBody } from "./schema";

export const dynamic = "force-dynamic";

/** The demo service (docs/contracts.md#demo-service): admins only; `null` when it never ran. */
export const GET = apiRoute(async (req) => {
  const principal = await requirePrincipal(req);
  const { partner } = parseWith(demoQuery, searchParams(req));
  return json({ demo: demoRunner().status({ principal, partner }) });
});

export const POST = apiRoute(async (req) => {
  const principal = await requirePrincipal(req);
  const { partner, minutes } = await readJson(req, startDemoBody);
  return json({ demo: await demoRunner().start({ principal, partner, minutes }) }, 201);
});

export const DELETE = apiRoute(async (req) => {
  const principal = await requirePrincipal(req);
  const { partner } = parseWith(demoQuery, searchParams(req));
  return json({ demo: await demoRunner().stop({ principal, partner }) });
});
