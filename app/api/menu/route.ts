import { z } from "zod";
import { getDb } from "@/lib/db";
import { key } from "@/lib/fields";
import { apiRoute, json, parseWith, searchParams } from "@/lib/http";
import { getMenu } from "@/lib/menu";

export const dynamic = "force-dynamic";

const menuQuery = z.object({
  partner: z.string("a partner slug is required").pipe(key(64)),
  /** `1`: sold-out dishes too, with `available: false` (the customer page greys them out). */
  soldOut: z.enum(["0", "1"], "must be 0 or 1").optional(),
});

export const GET = apiRoute(async (req) => {
  const { partner, soldOut } = parseWith(menuQuery, searchParams(req));
  return json(await getMenu({ db: getDb(), slug: partner, withSoldOut: soldOut === "1" }));
});
