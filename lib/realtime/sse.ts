export { formatFrame, jsonFrame, type SseFrame } from "../projections/sse-frame";

/** Never compressed, cached or buffered by Next, proxies or nginx. */
export const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache, no-transform",
  "x-accel-buffering": "no",
  connection: "keep-alive",
} as const;

export const OPENING = ":\n\n";
export const KEEPALIVE = ": keep-alive\n\n";

/**
 * Last-Event-ID from the header (EventSource reconnects) or `?lastEventId=` (first connect).
 * Our ids are log ids: positive integers. Empty means none; anything else is invalid.
 */
export function parseLastEventId(raw: string | null | undefined): { ok: true; id: number | null } | { ok: false } {
  if (raw === null || raw === undefined) return { ok: true, id: null };
  const text = raw.trim();
  if (text === "") return { ok: true, id: null };
  if (!/^\d{1,15}$/.test(text)) return { ok: false };
  return { ok: true, id: Number(text) };
}

/**
 * The client's position: `Last-Event-ID` (EventSource reconnects) or `?lastEventId=` (first
 * connect). Something that is not a log id — `undefined`, `null`, text, negative, as some
 * clients send — is "invalid", which the join answers as an unknown position (replay-failed
 * EVENT_ID_UNKNOWN, then live): a 400 would be retried forever by such clients.
 */
export function readPosition(header: string | null, query: string | null): { from: number | null | "invalid"; raw: string | null } {
  const raw = header ?? query;
  const parsed = parseLastEventId(raw);
  return { from: parsed.ok ? parsed.id : "invalid", raw };
}
