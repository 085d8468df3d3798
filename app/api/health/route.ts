import crypto from "node:crypto";
import { resolvePrincipal } from "@/lib/auth";
import { getConfig } from "@/lib/config";
import { getDbHandle } from "@/lib/db";
import { logPosition } from "@/lib/events/log";
import { json } from "@/lib/http";
import { getHub } from "@/lib/realtime/hub";

export const dynamic = "force-dynamic";

/**
 * Anyone (a load balancer) learns only ok / not ok; the details — database kind, log position
 * and epoch, streams — are for signed-in staff or a `HEALTH_TOKEN` bearer (monitoring).
 */
export async function GET(req: Request): Promise<Response> {
  let handle: ReturnType<typeof getDbHandle>;
  let position: Awaited<ReturnType<typeof logPosition>>;
  try {
    handle = getDbHandle();
    position = await logPosition({ db: handle.db });
  } catch (err) {
    const detailed = await mayReadDetails(req).catch(() => false);
    return json(
      detailed ? { status: "error", error: { code: "UNAVAILABLE", message: (err as Error).message } } : { status: "error" },
      503,
      { "cache-control": "no-store" },
    );
  }
  if (!(await mayReadDetails(req).catch(() => false))) return json({ status: "ok" }, 200, { "cache-control": "no-store" });
  const hub = getHub();
  const realtime = hub ? { fanOut: hub.bus.kind, streams: hub.connectionCount, deliveredThrough: hub.lastId } : null;
  return json({ status: "ok", database: handle.dialect, ...position, realtime, uptimeS: Math.round(process.uptime()) }, 200, {
    "cache-control": "no-store",
  });
}

async function mayReadDetails(req: Request): Promise<boolean> {
  const authorization = req.headers.get("authorization");
  const token = getConfig().healthToken;
  if (token && authorization?.startsWith("Bearer ")) {
    const given = crypto.createHash("sha256").update(authorization.slice(7).trim()).digest();
    const expected = crypto.createHash("sha256").update(token).digest();
    if (crypto.timingSafeEqual(given, expected)) return true;
  }
  // Signed-in staff (a user's session; device tokens see the public answer).
  const resolved = await resolvePrincipal({ db: getDbHandle().db, cookieHeader: req.headers.get("cookie"), authorization: null });
  return resolved?.principal.kind === "user";
}
