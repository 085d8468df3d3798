import { channelRoute } from "@/lib/realtime/routes";

// seeds/003 channel stream under plain `next start` / `next dev`; server.ts answers this path itself.
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export function GET(request: Request): Promise<Response> {
  return channelRoute(request);
}

export const HEAD = GET;
