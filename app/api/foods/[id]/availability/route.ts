import { getDb } from "@/lib/db";
import { apiRoute, json, readJson, requirePrincipal, textIdParam } from "@/lib/http";
import { setAvailability } from "@/lib/menu";
import { availabilityBody } from "../../../menu/schema";

export const dynamic = "force-dynamic";

/** 86 a dish (or bring it back) from any staff screen. */
export const POST = apiRoute<{ id: string }>(async (req, { id }) => {
  const principal = await requirePrincipal(req);
  const { available, until } = await readJson(req, availabilityBody);
  return json(await setAvailability({ db: getDb(), principal, target: { kind: "food", id: textIdParam(id) }, available, until }));
});
