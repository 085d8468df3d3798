import { createParser, type EventSourceMessage } from "eventsource-parser";
import { describe, expect, it } from "vitest";
import { formatFrame, jsonFrame, KEEPALIVE, OPENING, parseLastEventId, type SseFrame } from "./sse";

function parse(text: string) {
  const events: EventSourceMessage[] = [];
  const comments: string[] = [];
  const retries: number[] = [];
  const parser = createParser({ onEvent: (e) => events.push(e), onComment: (c) => comments.push(c), onRetry: (r) => retries.push(r) });
  parser.feed(text);
  return { events, comments, retries };
}

describe("formatFrame round-trips through a spec parser", () => {
  it.each([
    ["plain", { id: 7, event: "new-order", data: '{"a":1}' }],
    ["no id", { event: "connected", data: "{}" }],
    ["empty data", { id: 1, event: "x", data: "" }],
    ["multi-line data", { id: 2, event: "x", data: "line 1\nline 2\r\nline 3\rline 4" }],
    ["data with colons and leading space", { id: 3, event: "x", data: " : not a comment: " }],
    ["unicode", { id: 4, event: "x", data: "Crème brûlée — 🍮" }],
    ["string id", { id: "abc-1", event: "x", data: "1" }],
  ] as [string, SseFrame][])("%s", (_name, frame) => {
    const { events } = parse(formatFrame(frame));
    expect(events).toHaveLength(1);
    expect(events[0]!.event).toBe(frame.event);
    expect(events[0]!.id).toBe(frame.id === undefined ? undefined : String(frame.id));
    expect(events[0]!.data).toBe(frame.data.replace(/\r\n|\r/g, "\n"));
  });

  it("writes retry", () => {
    expect(parse(formatFrame({ data: "x", retry: 1500 })).retries).toEqual([1500]);
  });

  it("refuses ids and names that would break the frame", () => {
    expect(() => formatFrame({ id: "1\n2", data: "x" })).toThrow();
    expect(() => formatFrame({ id: "1\0", data: "x" })).toThrow();
    expect(() => formatFrame({ event: "a\nb", data: "x" })).toThrow();
    expect(() => formatFrame({ event: "", data: "x" })).toThrow();
  });

  it("jsonFrame keeps JSON with newlines and quotes on one data line", () => {
    const payload = { notes: "no\nonions <script>alert(1)</script>", q: '"' };
    const text = jsonFrame("new-order", payload, 9);
    expect(text.split("\n").filter((l) => l.startsWith("data:"))).toHaveLength(1);
    expect(JSON.parse(parse(text).events[0]!.data)).toEqual(payload);
  });

  it("opening and keep-alive are comments", () => {
    const { events, comments } = parse(OPENING + KEEPALIVE);
    expect(events).toHaveLength(0);
    expect(comments).toEqual(["", "keep-alive"]);
  });
});

describe("parseLastEventId", () => {
  it.each([
    [null, { ok: true, id: null }],
    [undefined, { ok: true, id: null }],
    ["", { ok: true, id: null }],
    ["  ", { ok: true, id: null }],
    ["0", { ok: true, id: 0 }],
    ["42", { ok: true, id: 42 }],
    [" 42 ", { ok: true, id: 42 }],
    ["-1", { ok: false }],
    ["1.5", { ok: false }],
    ["abc", { ok: false }],
    ["1e3", { ok: false }],
    ["9999999999999999", { ok: false }],
  ])("%j → %j", (raw, expected) => {
    expect(parseLastEventId(raw as string | null | undefined)).toEqual(expected);
  });
});
