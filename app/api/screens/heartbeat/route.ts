import { z } from "zod";
import { getDb } from "@/lib/db";
import { apiRoute, json, readJson, requirePrincipal } from "@/lib/http";
import { limits } from "@/lib/limits";
import { recordHeartbeat } from "@/lib/orders";

export const dynamic = "force-dynamic";

const heartbeatBody = z.strictObject({
  screenId: z.string().regex(/^[\w-]{8,64}$/, "8–64 letters, digits, '-' or '_'"),
  screen: z.string().min(1).max(40),
  lastEventId: z.number().int().nonnegative().nullable(),
  soundUnlocked: z.boolean(),
  awake: z.boolean(),
  shownOrderIds: z.array(z.number().int().positive()).max(500).optional(),
});

export const POST = apiRoute(async (req) => {
  const principal = await requirePrincipal(req);
  const beat = await readJson(req, heartbeatBody);
  // Each heartbeat is a write (and may acknowledge tickets): one screen sends one every 10 s, not thousands.
  const who = principal.kind === "user" ? `user:${principal.userId}` : `token:${principal.tokenId}`;
  await limits().consume("heartbeat", `${who}:${beat.screenId}`);
  return json(await recordHeartbeat({ db: getDb(), principal, beat }));
});
