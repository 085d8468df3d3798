import { getDb } from "@/lib/db";
import { apiRoute, json, readJson, requirePrincipal } from "@/lib/http";
import { myDeliveries, setMyAvailability } from "@/lib/orders";
import { availabilityBody } from "../schema";

export const dynamic = "force-dynamic";

/** The signed-in courier and their deliveries on the way (403 for anyone but a courier's phone). */
export const GET = apiRoute(async (req) => {
  const principal = await requirePrincipal(req);
  return json(await myDeliveries({ db: getDb(), principal }));
});

/** Available or not for rider:auto_assign. */
export const PATCH = apiRoute(async (req) => {
  const principal = await requirePrincipal(req);
  const { available } = await readJson(req, availabilityBody);
  return json(await setMyAvailability({ db: getDb(), principal, available }));
});
