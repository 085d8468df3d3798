import "server-only";
import { startProcessRuntime } from "../process-runtime";

/**
 * The stream paths as App Router route handlers (app/api/events/[channel], app/events/[channel],
 * app/v1/orders/live): the portable path under plain `next start` / `next dev`, a web
 * `ReadableStream` body. server.ts answers the same paths itself on Node's req/res before Next
 * sees them (the fast path), except the bench's `?via=next` row. Same handlers, same hub.
 */
export async function channelRoute(request: Request): Promise<Response> {
  // Built by instrumentation.ts (or server.ts) before the first request: this only awaits it.
  const { realtime } = await startProcessRuntime();
  return realtime.respondChannel(request);
}

export async function customerRoute(request: Request): Promise<Response> {
  const { realtime } = await startProcessRuntime();
  return realtime.respondCustomer(request);
}
