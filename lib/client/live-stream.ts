import { createParser } from "eventsource-parser";
import { reconnectDelay } from "./backoff";

/**
 * One SSE connection that never gives up: fetch + a spec parser (so it sees keep-alive
 * comments and can send Last-Event-ID itself), reconnects with backoff and jitter, a watchdog
 * that reconnects when no byte arrives for 45 s, and the position (last id + log epoch) kept
 * in localStorage per stream so a reload resumes where the screen was.
 */
export type StreamEvent = { id: number | null; event: string; data: unknown };

export type ConnectionStatus = "connecting" | "live" | "reconnecting" | "offline";
/** `lastEventId` is the position when the status last changed (screens track their own latest id). */
export type ConnectionState = { status: ConnectionStatus; since: number; lastEventId: number | null; error?: string };

export type LiveStreamHandlers = {
  onEvent(event: StreamEvent): void;
  onState(state: ConnectionState): void;
  /** The server could not replay from our position: reload the snapshot. */
  onReset(reason: string): void;
};

export type Position = { lastEventId: number | null; epoch: string | null };

const WATCHDOG_MS = 45_000;
const OFFLINE_AFTER_MS = 30_000;

export function positionKey(url: string): string {
  return `pass.stream:${url}`;
}

export function loadPosition(url: string): Position {
  try {
    const raw = globalThis.localStorage?.getItem(positionKey(url));
    if (raw) return JSON.parse(raw) as Position;
  } catch {
    // storage unavailable (private mode): positions live in memory only
  }
  return { lastEventId: null, epoch: null };
}

function savePosition(url: string, position: Position): void {
  try {
    globalThis.localStorage?.setItem(positionKey(url), JSON.stringify(position));
  } catch {
    // see loadPosition
  }
}

export class LiveStream {
  readonly url: string;
  #handlers: LiveStreamHandlers;
  #position: Position;
  #abort: AbortController | null = null;
  #stopped = false;
  #attempt = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #watchdog: ReturnType<typeof setTimeout> | undefined;
  #state: ConnectionState;
  #downSince: number | null = null;

  readonly #headers: Record<string, string>;

  constructor({
    url,
    handlers,
    startFrom,
    headers = {},
  }: {
    url: string;
    handlers: LiveStreamHandlers;
    startFrom?: number | null;
    /** For non-browser callers (integrations with a bearer token); browsers use the session cookie. */
    headers?: Record<string, string>;
  }) {
    this.url = url;
    this.#headers = headers;
    this.#handlers = handlers;
    const stored = loadPosition(url);
    this.#position =
      startFrom != null && (stored.lastEventId === null || startFrom > stored.lastEventId) ? { ...stored, lastEventId: startFrom } : stored;
    this.#state = { status: "connecting", since: Date.now(), lastEventId: this.#position.lastEventId };
  }

  get state(): ConnectionState {
    return this.#state;
  }

  get position(): Position {
    return this.#position;
  }

  start(): void {
    this.#stopped = false;
    void this.#connect();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#watchdog);
    this.#abort?.abort();
  }

  /** Forget the position (after a reset the screen reloads its snapshot and gives a new one). */
  restartFrom(lastEventId: number | null, epoch: string | null = this.#position.epoch): void {
    this.#position = { lastEventId, epoch };
    savePosition(this.url, this.#position);
    this.#abort?.abort();
  }

  #setState(status: ConnectionStatus, error?: string): void {
    if (status === this.#state.status && error === this.#state.error && this.#state.lastEventId === this.#position.lastEventId) return;
    const since = status === this.#state.status ? this.#state.since : Date.now();
    this.#state = { status, since, lastEventId: this.#position.lastEventId, ...(error ? { error } : {}) };
    this.#handlers.onState(this.#state);
  }

  #kickWatchdog(): void {
    clearTimeout(this.#watchdog);
    this.#watchdog = setTimeout(() => this.#abort?.abort(), WATCHDOG_MS);
  }

  async #connect(): Promise<void> {
    if (this.#stopped) return;
    const abort = new AbortController();
    this.#abort = abort;
    const { lastEventId, epoch } = this.#position;
    const query = new URLSearchParams();
    if (epoch) query.set("epoch", epoch);
    const url = query.size ? `${this.url}${this.url.includes("?") ? "&" : "?"}${query}` : this.url;
    let retryAfterMs: number | null = null;
    try {
      this.#kickWatchdog();
      const res = await fetch(url, {
        headers: {
          ...this.#headers,
          accept: "text/event-stream",
          ...(lastEventId !== null ? { "last-event-id": String(lastEventId) } : {}),
        },
        credentials: "same-origin",
        cache: "no-store",
        signal: abort.signal,
      });
      if (!res.ok || !res.body) {
        const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
        const message = body?.error?.message ?? `HTTP ${res.status}`;
        this.#setState(this.#downSince && Date.now() - this.#downSince > OFFLINE_AFTER_MS ? "offline" : "reconnecting", message);
        this.#downSince ??= Date.now();
        // Not signed in or not allowed: retrying fast will not help.
        if (res.status === 401 || res.status === 403) retryAfterMs = 30_000;
      } else {
        await this.#read(res.body, (ms) => (retryAfterMs = ms));
      }
    } catch {
      // network error, abort from the watchdog or from restartFrom(): reconnect below
    }
    clearTimeout(this.#watchdog);
    if (this.#stopped) return;
    if (this.#state.status === "live" || this.#state.status === "connecting") {
      this.#downSince = Date.now();
      this.#setState("reconnecting");
    } else if (this.#downSince && Date.now() - this.#downSince > OFFLINE_AFTER_MS) {
      this.#setState("offline", this.#state.error);
    }
    const delay = retryAfterMs ?? reconnectDelay({ attempt: this.#attempt++ });
    this.#retryTimer = setTimeout(() => void this.#connect(), delay);
  }

  async #read(body: ReadableStream<Uint8Array>, setRetryAfter: (ms: number) => void): Promise<void> {
    const parser = createParser({
      onEvent: (message) => {
        let data: unknown = message.data;
        try {
          data = JSON.parse(message.data);
        } catch {
          // not JSON: keep the text
        }
        const id = message.id !== undefined && /^\d+$/.test(message.id) ? Number(message.id) : null;
        this.#handle({ id, event: message.event ?? "message", data }, setRetryAfter);
      },
    });
    const reader = body.getReader();
    const decoder = new TextDecoder();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      this.#kickWatchdog();
      parser.feed(decoder.decode(value, { stream: true }));
    }
  }

  #handle(event: StreamEvent, setRetryAfter: (ms: number) => void): void {
    const data = (event.data ?? {}) as Record<string, unknown>;
    switch (event.event) {
      case "connected": {
        this.#attempt = 0;
        this.#downSince = null;
        const epoch = typeof data.epoch === "string" ? data.epoch : null;
        if (epoch && this.#position.epoch && epoch !== this.#position.epoch) {
          // A different log: our id means nothing here.
          this.#position = { lastEventId: null, epoch };
          this.#handlers.onReset("EPOCH_CHANGED");
        } else if (epoch) {
          this.#position = { ...this.#position, epoch };
        }
        if (this.#position.lastEventId === null && typeof data.lastEventId === "number") {
          this.#position = { ...this.#position, lastEventId: data.lastEventId };
        }
        savePosition(this.url, this.#position);
        this.#setState("live");
        break;
      }
      case "replay-failed":
        this.#position = { lastEventId: null, epoch: this.#position.epoch };
        this.#handlers.onReset(String(data.reason ?? "REPLAY_FAILED"));
        break;
      case "disconnecting":
        if (typeof data.reconnectAfter === "number") setRetryAfter(data.reconnectAfter * 1000 * (0.8 + Math.random() * 0.4));
        break;
      default:
        break;
    }
    if (event.id !== null && event.event !== "replay-start") {
      this.#position = { ...this.#position, lastEventId: event.id };
      savePosition(this.url, this.#position);
    }
    this.#handlers.onEvent(event);
  }
}
