import { getConfig } from "@/lib/config";
import { apiRoute, json } from "@/lib/http";

export const dynamic = "force-dynamic";

/** The VAPID public key a browser subscribes with (PushManager.subscribe applicationServerKey). */
export const GET = apiRoute(async () => json({ publicKey: getConfig().vapid.publicKey }));
