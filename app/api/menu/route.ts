import { z } from "zod";
import { getDb } from "@/lib/db";
import { key } from "@/lib/fields";
import { apiRoute, json, parseWith, searchParams } from "@/lib/http";
import { getMenu } from "@/lib/menu";

export const dynamic = "force-dynamic";

const menuQuery = z.object({ partner: z.string("a partner slug is required").pipe(key(64)) });

export const GET = apiRoute(async (req) => {
  const { partner } = parseWith(menuQuery, searchParams(req));
  return json(await getMenu({ db: getDb(), slug: partner }));
});
