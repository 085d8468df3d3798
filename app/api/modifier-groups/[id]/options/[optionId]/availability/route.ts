import { getDb } from "@/lib/db";
import { apiRoute, json, readJson, requirePrincipal, textIdParam } from "@/lib/http";
import { setAvailability } from "@/lib/menu";
import { availabilityBody } from "../../../../../menu/schema";

export const dynamic = "force-dynamic";

/** 86 an option ("no more sweet potato fries as a side"), or bring it back. */
export const POST = apiRoute<{ id: string; optionId: string }>(async (req, { id, optionId }) => {
  const principal = await requirePrincipal(req);
  const { available, until } = await readJson(req, availabilityBody);
  const target = { kind: "option" as const, id: textIdParam(optionId), groupId: textIdParam(id) };
  return json(await setAvailability({ db: getDb(), principal, target, available, until }));
});
