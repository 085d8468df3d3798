import { canReadChannel } from "@/lib/auth";
import { apiRoute, json, requirePrincipal } from "@/lib/http";
import { getHub, type Subscriber } from "@/lib/realtime/hub";
import { SSE_HEADERS, OPENING } from "@/lib/realtime/sse";
import { partnerScope } from "@/lib/auth";

export const dynamic = "force-dynamic";

/**
 * Benchmark only (`npm run bench:fanout` starts the server with PASS_BENCH_ROUTES=1): the cashier
 * channel served from an App Router route handler instead of server.ts, same hub, same frames,
 * to show what Next's web-stream body costs per delivery. Not found otherwise.
 */
export const GET = apiRoute(async (req) => {
  const hub = getHub();
  if (process.env.PASS_BENCH_ROUTES !== "1" || !hub) return json({ error: { code: "NOT_FOUND", message: "not found" } }, 404);
  const principal = await requirePrincipal(req);
  if (!canReadChannel(principal, "cashier")) return json({ error: { code: "FORBIDDEN", message: "no access" } }, 403);
  let subscriber: Subscriber | null = null;
  const stop = (): void => {
    if (subscriber) hub.unsubscribe(subscriber);
  };
  const body = new ReadableStream<Uint8Array<ArrayBuffer>>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(OPENING));
      subscriber = {
        channel: "cashier",
        partnerId: partnerScope(principal),
        // The shared frame itself, not a copy (a default stream does not detach it).
        deliver: (_id, frame) => controller.enqueue(frame as unknown as Uint8Array<ArrayBuffer>),
        keepalive: (frame) => controller.enqueue(frame as unknown as Uint8Array<ArrayBuffer>),
        shutdown: () => controller.close(),
      };
      hub.subscribe(subscriber);
      req.signal.addEventListener("abort", stop);
    },
    cancel: stop,
  });
  return new Response(body, { headers: SSE_HEADERS });
});
