/**
 * A test SSE client on node:http: real sockets, a spec parser, and full control over the
 * connection (cut it at any moment, resume with Last-Event-ID, stop reading).
 */
import http from "node:http";
import { createParser, type EventSourceMessage } from "eventsource-parser";

export type ReceivedEvent = { id: string | undefined; event: string; data: string; json: any; receivedAt: number };

export type SseConnection = {
  status: number;
  headers: http.IncomingHttpHeaders;
  events: ReceivedEvent[];
  comments: string[];
  /** Resolves when the server ends the stream or the socket closes. */
  ended: Promise<void>;
  isEnded(): boolean;
  /** Cut the connection from the client side. */
  cut(): void;
  waitFor(predicate: (events: ReceivedEvent[]) => boolean, timeoutMs?: number): Promise<ReceivedEvent[]>;
  body: string;
  /** Every `retry:` the server sent, in order. */
  retries: number[];
};

export function openSse(
  url: string,
  { headers = {}, onEvent }: { headers?: Record<string, string>; onEvent?: (e: ReceivedEvent, conn: SseConnection) => void } = {},
): Promise<SseConnection> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { accept: "text/event-stream", ...headers } });
    req.on("error", (err) => reject(err));
    req.on("response", (res) => {
      let endedFlag = false;
      let markEnded!: () => void;
      const ended = new Promise<void>((r) => (markEnded = r));
      const conn: SseConnection = {
        status: res.statusCode ?? 0,
        headers: res.headers,
        events: [],
        comments: [],
        ended,
        body: "",
        retries: [],
        isEnded: () => endedFlag,
        cut: () => {
          req.destroy();
          res.destroy();
        },
        waitFor: async (predicate, timeoutMs = 10_000) => {
          const deadline = Date.now() + timeoutMs;
          while (!predicate(conn.events)) {
            if (Date.now() > deadline) throw new Error(`timed out waiting; got ${conn.events.map((e) => `${e.id}:${e.event}`).join(", ")}`);
            await new Promise((r) => setTimeout(r, 10));
          }
          return conn.events;
        },
      };
      const finish = () => {
        if (!endedFlag) {
          endedFlag = true;
          markEnded();
        }
      };
      res.on("end", finish);
      res.on("close", finish);
      res.on("error", finish);
      req.on("close", finish);
      const parser = createParser({
        onEvent: (m: EventSourceMessage) => {
          let json: unknown;
          try {
            json = JSON.parse(m.data);
          } catch {
            json = undefined;
          }
          const e = { id: m.id, event: m.event ?? "message", data: m.data, json, receivedAt: Date.now() };
          conn.events.push(e);
          onEvent?.(e, conn);
        },
        onComment: (c) => conn.comments.push(c),
        onRetry: (ms) => conn.retries.push(ms),
      });
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        conn.body += chunk;
        parser.feed(chunk);
      });
      resolve(conn);
    });
  });
}

/** Control frames: they carry the stream's position as id, but are not log events. */
export const CONTROL_EVENTS = new Set(["connected", "heartbeat", "disconnecting", "replay-start", "replay-complete", "replay-failed"]);

/** Log events only (frames with an id that are not control frames). */
export function logEvents(events: ReceivedEvent[]): ReceivedEvent[] {
  return events.filter((e) => e.id !== undefined && !CONTROL_EVENTS.has(e.event));
}
