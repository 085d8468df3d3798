import { z } from "zod";
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db";
import { UnauthorizedError } from "@/lib/errors";
import { text } from "@/lib/fields";
import { apiRoute, json, orderIdParam, readJson } from "@/lib/http";
import { subscribePush } from "@/lib/notifications";

export const dynamic = "force-dynamic";

const base64url = (max: number) =>
  z
    .string()
    .max(max, `at most ${max} characters`)
    .regex(/^[A-Za-z0-9_-]+=*$/, "must be base64url");
const body = z.strictObject({
  // The browser's PushSubscription.toJSON(); expirationTime is ignored.
  subscription: z.object({
    endpoint: text(2000).pipe(z.string().min(1, "must not be blank")),
    expirationTime: z.number().nullish(),
    keys: z.strictObject({ p256dh: base64url(100), auth: base64url(40) }),
  }),
});

/** The guest's /track page asks to be told when the order is READY or CANCELLED (Web Push). */
export const POST = apiRoute<{ id: string }>(async (req, { id }) => {
  const trackingToken = req.headers.get("x-tracking-token");
  if (!trackingToken) throw new UnauthorizedError("the order's tracking token is required (X-Tracking-Token)");
  const { subscription } = await readJson(req, body);
  const saved = await subscribePush({
    db: getDb(),
    id: orderIdParam(id),
    trackingToken,
    subscription,
    allowPrivate: getConfig().webhookAllowPrivate,
  });
  return json(saved, 201);
});
