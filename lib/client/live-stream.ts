import { createParser } from "eventsource-parser";
import { reconnectDelay } from "./backoff";

/**
 * One SSE connection that never gives up: fetch + a spec parser (so it sees keep-alive
 * comments and can send Last-Event-ID itself), reconnects with backoff and jitter, and a
 * watchdog that reconnects when no byte arrives for 45 s. It keeps no position of its own: on
 * every (re)connect it asks `position()` where its reader is (Pass's screens answer from their
 * snapshot, lib/client/order-events.ts). A client that is its own state and passes no
 * `position` (the seeds/000 OrderRealtime, the tracking page) gets a StoredPosition for the URL.
 */
export type StreamEvent = { id: number | null; event: string; data: unknown };

export type ConnectionStatus = "connecting" | "live" | "reconnecting" | "offline";
export type ConnectionState = { status: ConnectionStatus; since: number; error?: string };

export type LiveStreamHandlers = {
  onEvent(event: StreamEvent): void;
  onState(state: ConnectionState): void;
  /** The server could not replay from our position: reload the snapshot. */
  onReset(reason: string): void;
};

/** Where a reader is in the log: the last id it applied (null: from now) and the log's epoch. */
export type Position = { lastEventId: number | null; epoch: string | null };

const WATCHDOG_MS = 45_000;
const OFFLINE_AFTER_MS = 30_000;

/**
 * The position of a reader that keeps no snapshot (an external-contract client, the print
 * station, the support page): the last id it was handed, in memory and in localStorage under
 * `pass.stream:<key>`, so a reload resumes there. `record` follows the frames as they arrive.
 */
export class StoredPosition {
  readonly key: string;
  #position: Position;

  constructor(key: string) {
    this.key = `pass.stream:${key}`;
    this.#position = { lastEventId: null, epoch: null };
    try {
      const raw = globalThis.localStorage?.getItem(this.key);
      if (raw) this.#position = { ...this.#position, ...(JSON.parse(raw) as Partial<Position>) };
    } catch {
      // storage unavailable (private mode): the position lives in memory only
    }
  }

  get(): Position {
    return this.#position;
  }

  set(position: Position): void {
    this.#position = position;
    try {
      globalThis.localStorage?.setItem(this.key, JSON.stringify(position));
    } catch {
      // see the constructor
    }
  }

  /** Follows one frame: the connected frame names the epoch (and the top, when starting from now), ids move on. */
  record(event: StreamEvent): void {
    const data = (event.data ?? {}) as Record<string, unknown>;
    let next = this.#position;
    if (event.event === "connected") {
      if (typeof data.epoch === "string") next = { ...next, epoch: data.epoch };
      if (next.lastEventId === null && typeof data.lastEventId === "number") next = { ...next, lastEventId: data.lastEventId };
    } else if (event.event === "replay-failed") {
      next = { ...next, lastEventId: null };
    } else if (event.id !== null && event.event !== "replay-start") {
      next = { ...next, lastEventId: event.id };
    }
    if (next !== this.#position) this.set(next);
  }
}

export class LiveStream {
  readonly url: string;
  #handlers: LiveStreamHandlers;
  /** Asked on every (re)connect; never stored here. */
  #position: () => Position;
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
    position,
    headers = {},
  }: {
    url: string;
    handlers: LiveStreamHandlers;
    /** Where the reader is; without it the stream follows its own frames in a StoredPosition for the URL. */
    position?: () => Position;
    /** For non-browser callers (integrations with a bearer token); browsers use the session cookie. */
    headers?: Record<string, string>;
  }) {
    this.url = url;
    this.#headers = headers;
    if (position) {
      this.#handlers = handlers;
      this.#position = position;
    } else {
      const own = new StoredPosition(url);
      this.#position = () => own.get();
      this.#handlers = { ...handlers, onEvent: (event) => (own.record(event), handlers.onEvent(event)) };
    }
    this.#state = { status: "connecting", since: Date.now() };
  }

  get state(): ConnectionState {
    return this.#state;
  }

  start(): void {
    this.#stopped = false;
    globalThis.addEventListener?.("online", this.#retryNow);
    void this.#connect();
  }

  stop(): void {
    this.#stopped = true;
    globalThis.removeEventListener?.("online", this.#retryNow);
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#watchdog);
    this.#abort?.abort();
  }

  #setState(status: ConnectionStatus, error?: string): void {
    if (status === this.#state.status && error === this.#state.error) return;
    const since = status === this.#state.status ? this.#state.since : Date.now();
    this.#state = { status, since, ...(error ? { error } : {}) };
    this.#handlers.onState(this.#state);
  }

  /**
   * The network is back (the tablet rejoined the Wi-Fi): a stream waiting out its backoff
   * reconnects now instead of up to 30 s later; one that is connected is left alone.
   */
  #retryNow = (): void => {
    if (this.#stopped || this.#retryTimer === undefined) return;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#attempt = 0;
    void this.#connect();
  };

  #kickWatchdog(): void {
    clearTimeout(this.#watchdog);
    this.#watchdog = setTimeout(() => this.#abort?.abort(), WATCHDOG_MS);
  }

  async #connect(): Promise<void> {
    if (this.#stopped) return;
    const abort = new AbortController();
    this.#abort = abort;
    const { lastEventId, epoch } = this.#position();
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
        // A node that is stopping or busy (lib/realtime/admission.ts) says when to come back.
        const after = Number(res.headers.get("retry-after"));
        if (res.status === 503 && after > 0) retryAfterMs = after * 1000 * (0.8 + Math.random() * 0.4);
      } else {
        await this.#read(res.body, (ms) => (retryAfterMs = ms));
      }
    } catch {
      // network error or abort from the watchdog: reconnect below
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
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      void this.#connect();
    }, delay);
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
      case "connected":
        this.#attempt = 0;
        this.#downSince = null;
        this.#setState("live");
        break;
      case "replay-failed":
        // Also sent when the log's epoch is not the one we named (EPOCH_CHANGED).
        this.#handlers.onReset(String(data.reason ?? "REPLAY_FAILED"));
        break;
      case "disconnecting":
        if (typeof data.reconnectAfter === "number") setRetryAfter(data.reconnectAfter * 1000 * (0.8 + Math.random() * 0.4));
        break;
      default:
        break;
    }
    this.#handlers.onEvent(event);
  }
}
