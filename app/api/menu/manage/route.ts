import { getDb } from "@/lib/db";
import { apiRoute, json, parseWith, requirePrincipal, searchParams } from "@/lib/http";
import { getStaffMenu } from "@/lib/menu";
import { staffMenuQuery } from "../schema";

export const dynamic = "force-dynamic";

/** The whole menu for staff (back office, 86 panels): sold-out dishes and options included. */
export const GET = apiRoute(async (req) => {
  const principal = await requirePrincipal(req);
  const { partner } = parseWith(staffMenuQuery, searchParams(req));
  return json(await getStaffMenu({ db: getDb(), principal, partner }));
});
