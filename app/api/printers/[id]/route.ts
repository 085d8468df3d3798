import { getDb } from "@/lib/db";
import { apiRoute, json, readJson, requirePrincipal, textIdParam } from "@/lib/http";
import { deletePrinter, updatePrinter } from "@/lib/printing";
import { printerPatch } from "../schema";

export const dynamic = "force-dynamic";

/** Change a printer; `{ "paused": true }` alone is the print console's pause (printers:operate). */
export const PATCH = apiRoute<{ id: string }>(async (req, { id }) => {
  const principal = await requirePrincipal(req);
  return json(await updatePrinter({ db: getDb(), principal, id: textIdParam(id), patch: await readJson(req, printerPatch) }));
});

export const DELETE = apiRoute<{ id: string }>(async (req, { id }) => {
  const principal = await requirePrincipal(req);
  return json(await deletePrinter({ db: getDb(), principal, id: textIdParam(id) }));
});
