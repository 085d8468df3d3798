import { claimPairing } from "@/lib/auth/pairing";
import { getDb } from "@/lib/db";
import { apiRoute, json, readJson, requirePrincipal, textIdParam } from "@/lib/http";
import { limits } from "@/lib/limits";
import { pairingClaim } from "../schema";

export const dynamic = "force-dynamic";

/** An operator claims the code a screen shows on /pair; the screen then receives its device token. */
export const POST = apiRoute<{ slug: string }>(async (req, { slug }) => {
  const principal = await requirePrincipal(req);
  // Counted before the code is looked at: a guess costs a try whether or not it exists.
  await limits().consume("pairing:claim", principal.kind === "user" ? `user:${principal.userId}` : `token:${principal.tokenId}`);
  const input = await readJson(req, pairingClaim);
  return json(await claimPairing({ db: getDb(), principal, partner: textIdParam(slug), input }));
});
