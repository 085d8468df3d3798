/**
 * SSE framing (WHATWG HTML §9.2), pure. Every frame a stream writes is built here; the
 * projections use it to render an event once per channel (docs/architecture.md).
 */
export type SseFrame = { id?: number | string; event?: string; data: string; retry?: number };

const FIELD_BREAK = /[\r\n]/;

export function formatFrame({ id, event, data, retry }: SseFrame): string {
  let out = "";
  if (id !== undefined) {
    const text = String(id);
    // A newline or NUL in the id would split the frame or make browsers ignore the id.
    if (FIELD_BREAK.test(text) || text.includes("\0")) throw new Error("SSE id must not contain newlines or NUL");
    out += `id: ${text}\n`;
  }
  if (event !== undefined) {
    if (FIELD_BREAK.test(event) || event === "") throw new Error("SSE event name must be one non-empty line");
    out += `event: ${event}\n`;
  }
  if (retry !== undefined) out += `retry: ${Math.max(0, Math.floor(retry))}\n`;
  // Multi-line data is several data: lines; the client joins them with "\n".
  for (const line of data.split(/\r\n|\r|\n/)) out += `data: ${line}\n`;
  return out + "\n";
}

/** A JSON payload as one data line (JSON.stringify never emits raw newlines). */
export function jsonFrame(event: string, payload: unknown, id?: number | string): string {
  return formatFrame({ id, event, data: JSON.stringify(payload) });
}
