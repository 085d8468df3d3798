import { getDb } from "@/lib/db";
import { apiRoute, json, parseWith, readJson, requirePrincipal, searchParams } from "@/lib/http";
import { createPrinter, listPrinters } from "@/lib/printing";
import { printerBody, printersQuery } from "./schema";

export const dynamic = "force-dynamic";

/** The restaurant's network printers, each with its live status (as the dispatcher last read it). */
export const GET = apiRoute(async (req) => {
  const principal = await requirePrincipal(req);
  const { partner } = parseWith(printersQuery, searchParams(req));
  return json({ printers: await listPrinters({ db: getDb(), principal, partner }) });
});

export const POST = apiRoute(async (req) => {
  const principal = await requirePrincipal(req);
  return json(await createPrinter({ db: getDb(), principal, input: await readJson(req, printerBody) }), 201);
});
