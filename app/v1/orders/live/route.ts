import { customerRoute } from "@/lib/realtime/routes";

// seeds/002 customer stream under plain `next start` / `next dev`; server.ts answers this path itself.
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export function GET(request: Request): Promise<Response> {
  return customerRoute(request);
}

export const HEAD = GET;
