import "server-only";
import { createParser } from "eventsource-parser";
import type { Channel } from "../auth/access";
import { AppError } from "../errors";
import { KEEPALIVE, OPENING, SSE_HEADERS, formatFrame } from "./sse";
import type { Sink, StreamTransport } from "./transport";

/**
 * Upstream mode (docs/architecture.md, "Upstream mode"): the same channel route, but the events come from a POS that speaks
 * seeds/003 at `${POS_UPSTREAM_URL}/events/{channel}`. The signed-in user was checked by the
 * caller; the upstream token never leaves the server. When the upstream drops, the proxy
 * reconnects with the last id it relayed, so the browser's stream goes on without a gap.
 * Frames are relayed whole (re-framed after parsing), never as half-written bytes.
 */
const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 5_000;

export async function proxyUpstream({
  transport,
  channel,
  lastEventId,
  upstream,
  keepaliveMs,
}: {
  transport: StreamTransport;
  channel: Channel;
  lastEventId: number | null;
  upstream: { url: string; token: string | null };
  keepaliveMs: number;
}): Promise<void> {
  const abort = new AbortController();
  let lastId: string | null = lastEventId === null ? null : String(lastEventId);
  let closed = false;
  let sink: Sink | null = null;
  const close = () => {
    if (closed) return;
    closed = true;
    abort.abort();
    clearInterval(keepalive);
    sink?.end();
  };
  transport.onClose(close);
  const keepalive = setInterval(() => sink && !closed && sink.write(KEEPALIVE), keepaliveMs);
  keepalive.unref();

  const open = () =>
    fetch(`${upstream.url}/events/${encodeURIComponent(channel)}`, {
      headers: {
        accept: "text/event-stream",
        ...(upstream.token ? { authorization: `Bearer ${upstream.token}` } : {}),
        ...(lastId !== null ? { "last-event-id": lastId } : {}),
      },
      signal: abort.signal,
    });

  // The first answer decides the status the browser sees.
  let response: Response;
  try {
    response = await open();
  } catch {
    clearInterval(keepalive);
    return transport.fail(new AppError(502, "UPSTREAM_UNAVAILABLE", "the upstream POS cannot be reached"));
  }
  if (!response.ok || !response.body) {
    clearInterval(keepalive);
    await response.body?.cancel().catch(() => undefined);
    return transport.fail(new AppError(mapStatus(response.status), "UPSTREAM_ERROR", `the upstream POS answered ${response.status}`));
  }

  const out = transport.open(SSE_HEADERS);
  sink = out;
  out.write(OPENING);
  let delay = RETRY_MIN_MS;
  while (!closed) {
    const body = response.body;
    if (body) {
      const parser = createParser({
        onEvent: (e) => {
          if (closed) return;
          if (e.id !== undefined) lastId = e.id;
          out.write(formatFrame({ id: e.id, event: e.event, data: e.data }));
          delay = RETRY_MIN_MS;
        },
      });
      try {
        const decoder = new TextDecoder();
        for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
          parser.feed(decoder.decode(chunk, { stream: true }));
        }
      } catch {
        // dropped: reconnect below
      }
    }
    if (closed) return;
    await new Promise((r) => setTimeout(r, delay * (0.8 + Math.random() * 0.4)));
    delay = Math.min(delay * 2, RETRY_MAX_MS);
    if (closed) return;
    try {
      response = await open();
      if (response.status === 401 || response.status === 403) {
        out.write(
          formatFrame({
            event: "error",
            data: JSON.stringify({ code: "UPSTREAM_AUTH", message: `the upstream POS answered ${response.status}`, recoverable: false }),
          }),
        );
        close();
        return;
      }
      if (!response.ok) await response.body?.cancel().catch(() => undefined);
    } catch {
      response = new Response(null, { status: 599 });
    }
  }
}

/** Upstream statuses the browser understands the same way; anything else is a bad gateway. */
export function mapStatus(status: number): number {
  if (status === 400 || status === 401 || status === 403 || status === 404) return status;
  return 502;
}
