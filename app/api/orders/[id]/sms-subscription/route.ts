import { z } from "zod";
import { getDb } from "@/lib/db";
import { UnauthorizedError } from "@/lib/errors";
import { name } from "@/lib/fields";
import { apiRoute, json, orderIdParam, readJson } from "@/lib/http";
import { subscribeSms } from "@/lib/notifications";

export const dynamic = "force-dynamic";

const body = z.strictObject({ phone: name(32) });

/** The guest asks for a text message when the order is READY or CANCELLED. */
export const POST = apiRoute<{ id: string }>(async (req, { id }) => {
  const trackingToken = req.headers.get("x-tracking-token");
  if (!trackingToken) throw new UnauthorizedError("the order's tracking token is required (X-Tracking-Token)");
  const { phone } = await readJson(req, body);
  return json(await subscribeSms({ db: getDb(), id: orderIdParam(id), trackingToken, phone }), 201);
});
