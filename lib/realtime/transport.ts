import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { ERROR_HEADERS, errorBody, errorHeaders } from "../errors";

/**
 * The transport seam (docs/architecture.md, "Transports"), in the spirit of better-sse's
 * Connection adapters: the stream core reads a neutral request and writes to a `Sink`; Node's
 * req/res (server.ts, the fast path) and a web `ReadableStream` (App Router route handlers, the
 * portable path under plain `next start`) each implement it once.
 */

/** What a stream needs to know of its request. */
export type StreamRequest = {
  method: string;
  /** Path and query; the host part is not trusted. */
  url: URL;
  header(name: string): string | null;
  /** The client's address, for per-IP limits. */
  remoteAddress: string | null;
};

/** Where a stream's bytes go once the response has started. */
export interface Sink {
  write(chunk: Buffer | string): void;
  /** Bytes written but not yet taken by the client: the slow-consumer bound reads this. */
  readonly bufferedBytes: number;
  /**
   * Resolves once the client has taken what was written (below the high-water mark), or the
   * sink closed: a replay the server paces itself waits here instead of piling up bytes.
   */
  drained(): Promise<void>;
  end(): void;
  /** Abort: the client gets a cut connection (a slow consumer, a write error). */
  destroy(): void;
}

/** One request being answered: either an error (JSON) or a stream (headers, then a Sink). */
export interface StreamTransport {
  readonly request: StreamRequest;
  /** Answer with the one error renderer; only before `open`. */
  fail(err: unknown): void;
  open(headers: Record<string, string>): Sink;
  readonly opened: boolean;
  /** Called once when the client goes away or the response ends, from any path. */
  onClose(listener: () => void): void;
}

// --- Node's req/res ------------------------------------------------------------------------

export class NodeTransport implements StreamTransport {
  readonly request: StreamRequest;
  #closeListeners: (() => void)[] = [];
  #closed = false;

  constructor(
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
  ) {
    this.request = {
      method: req.method ?? "GET",
      url: new URL(req.url ?? "/", "http://localhost"),
      header: (name) => {
        const value = req.headers[name.toLowerCase()];
        return (Array.isArray(value) ? value[0] : value) ?? null;
      },
      remoteAddress: req.socket.remoteAddress ?? null,
    };
    const closed = () => this.#close();
    req.on("close", closed);
    res.on("close", closed);
    res.on("error", closed);
  }

  get opened(): boolean {
    return this.res.headersSent;
  }

  fail(err: unknown): void {
    if (this.res.headersSent) {
      this.res.destroy();
      return;
    }
    const { status, body } = errorBody(err);
    this.res.writeHead(status, { ...ERROR_HEADERS, ...errorHeaders(err) });
    this.res.end(JSON.stringify(body));
  }

  open(headers: Record<string, string>): Sink {
    this.req.socket.setNoDelay(true);
    this.req.socket.setKeepAlive(true, 30_000);
    this.res.writeHead(200, headers);
    const res = this.res;
    return {
      write: (chunk) => {
        res.write(chunk);
      },
      get bufferedBytes() {
        return res.writableLength;
      },
      drained: () =>
        !res.writableNeedDrain || res.destroyed || res.writableEnded
          ? Promise.resolve()
          : new Promise<void>((resolve) => {
              const done = () => {
                res.off("drain", done);
                res.off("close", done);
                resolve();
              };
              res.on("drain", done);
              res.on("close", done);
            }),
      end: () => res.end(),
      destroy: () => res.destroy(),
    };
  }

  onClose(listener: () => void): void {
    if (this.#closed) listener();
    else this.#closeListeners.push(listener);
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const l of this.#closeListeners.splice(0)) l();
  }
}

// --- web ReadableStream (App Router route handlers) ------------------------------------------

/**
 * `response` settles once: with the error's JSON, or with a streaming Response at `open`.
 * The stream pulls bytes (no `type: "bytes"`: enqueuing pooled Buffers into a byte stream
 * detaches Node's shared pool, see docs/architecture.md "Known traps").
 */
export class WebTransport implements StreamTransport {
  readonly request: StreamRequest;
  readonly response: Promise<Response>;
  #resolve!: (r: Response) => void;
  #closeListeners: (() => void)[] = [];
  #closed = false;
  #opened = false;
  static readonly HIGH_WATER_BYTES = 64 * 1024;

  constructor(req: Request, remoteAddress: string | null = null) {
    this.request = {
      method: req.method,
      url: new URL(req.url),
      header: (name) => req.headers.get(name),
      remoteAddress,
    };
    this.response = new Promise((resolve) => {
      this.#resolve = resolve;
    });
    req.signal.addEventListener("abort", () => this.#close(), { once: true });
  }

  get opened(): boolean {
    return this.#opened;
  }

  fail(err: unknown): void {
    if (this.#opened) return;
    const { status, body } = errorBody(err);
    this.#resolve(new Response(JSON.stringify(body), { status, headers: { ...ERROR_HEADERS, ...errorHeaders(err) } }));
    this.#close();
  }

  open(headers: Record<string, string>): Sink {
    this.#opened = true;
    const encoder = new TextEncoder();
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    let done = false;
    let waiting: (() => void)[] = [];
    const wake = () => {
      const list = waiting;
      waiting = [];
      for (const resolve of list) resolve();
    };
    const stream = new ReadableStream<Uint8Array>(
      {
        start: (c) => {
          controller = c;
        },
        // Called when the reader wants more: what waited for room may write again.
        pull: () => wake(),
        cancel: () => {
          done = true;
          wake();
          this.#close();
        },
      },
      new ByteLengthQueuingStrategy({ highWaterMark: WebTransport.HIGH_WATER_BYTES }),
    );
    this.#resolve(new Response(stream, { status: 200, headers }));
    const finish = (how: "end" | "error") => {
      if (done) return;
      done = true;
      wake();
      try {
        if (how === "end") controller.close();
        else controller.error(new Error("stream aborted"));
      } catch {
        // already closed by the client
      }
      this.#close();
    };
    return {
      write: (chunk) => {
        if (done) return;
        // The shared frame itself, not a copy: a default (non-byte) stream never detaches it.
        controller.enqueue(typeof chunk === "string" ? encoder.encode(chunk) : chunk);
      },
      // desiredSize = high-water mark − queued bytes (negative past it).
      get bufferedBytes() {
        return WebTransport.HIGH_WATER_BYTES - (controller.desiredSize ?? 0);
      },
      drained: () =>
        done || (controller.desiredSize ?? 0) > 0 ? Promise.resolve() : new Promise<void>((resolve) => waiting.push(resolve)),
      end: () => finish("end"),
      destroy: () => finish("error"),
    };
  }

  onClose(listener: () => void): void {
    if (this.#closed) listener();
    else this.#closeListeners.push(listener);
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const l of this.#closeListeners.splice(0)) l();
  }
}
