import { z } from "zod";
import { getDb } from "@/lib/db";
import { INT4_MAX, intId, name } from "@/lib/fields";
import { apiRoute, json, readJson, requirePrincipal } from "@/lib/http";
import { limits } from "@/lib/limits";
import { recordHeartbeat } from "@/lib/orders";

export const dynamic = "force-dynamic";

const heartbeatBody = z.strictObject({
  screenId: z.string().regex(/^[\w-]{8,64}$/, "8–64 letters, digits, '-' or '_'"),
  // The browser's id, shared by its tabs (lib/orders/presence.ts): a device is listed once.
  deviceId: z
    .string()
    .regex(/^[\w-]{8,64}$/, "8–64 letters, digits, '-' or '_'")
    .optional(),
  // Stored in `screens` (text and integer columns): what PostgreSQL refuses is a 400 here, as on SQLite.
  screen: name(40),
  lastEventId: z.number().int().nonnegative().max(INT4_MAX, `must be at most ${INT4_MAX}`).nullable(),
  soundUnlocked: z.boolean(),
  awake: z.boolean(),
  visible: z.boolean().optional(),
  // The tab's last word, sent on pagehide: it leaves the health panel now.
  closing: z.boolean().optional(),
  pageId: z
    .string()
    .regex(/^[\w-]{8,64}$/, "8–64 letters, digits, '-' or '_'")
    .optional(),
  shownOrderIds: z.array(intId).max(500).optional(),
});

export const POST = apiRoute(async (req) => {
  const principal = await requirePrincipal(req);
  const beat = await readJson(req, heartbeatBody);
  // Each heartbeat is a write (and may acknowledge tickets): one screen sends one every 10 s, not thousands.
  const who = principal.kind === "user" ? `user:${principal.userId}` : `token:${principal.tokenId}`;
  await limits().consume("heartbeat", `${who}:${beat.screenId}`);
  return json(await recordHeartbeat({ db: getDb(), principal, beat }));
});
