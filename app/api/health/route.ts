import { getDbHandle } from "@/lib/db";
import { json } from "@/lib/http";
import { logPosition } from "@/lib/events/log";
import { getHub } from "@/lib/realtime/hub";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  try {
    const handle = getDbHandle();
    const position = await logPosition({ db: handle.db });
    const hub = getHub();
    const realtime = hub ? { fanOut: hub.bus.kind, streams: hub.connectionCount, deliveredThrough: hub.lastId } : null;
    return json({ status: "ok", database: handle.dialect, ...position, realtime, uptimeS: Math.round(process.uptime()) });
  } catch (err) {
    return json({ status: "error", error: { code: "UNAVAILABLE", message: (err as Error).message } }, 503);
  }
}
