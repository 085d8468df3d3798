import { getDb } from "@/lib/db";
import { apiRoute, json, parseWith, requirePrincipal, searchParams } from "@/lib/http";
import { listZReports } from "@/lib/reports";
import { zListQuery } from "../summary/schema";

export const dynamic = "force-dynamic";

/** The partner's stored end-of-day Z reports, newest first (the last 60). */
export const GET = apiRoute(async (req) => {
  const principal = await requirePrincipal(req);
  const query = parseWith(zListQuery, searchParams(req));
  return json(await listZReports({ db: getDb(), principal, partner: query.partner }));
});
