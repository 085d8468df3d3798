import { LiveStream, type ConnectionState, type StreamEvent } from "./live-stream";

/**
 * One stream per browser per URL, shared by all tabs: HTTP/1.1 allows six connections per
 * origin across every tab, and a kitchen leaves many tabs open. The tab holding a Web Lock is
 * the leader and runs the LiveStream; it passes events and connection state to the other tabs
 * over a BroadcastChannel. When the leader closes, the lock passes to another tab, which
 * resumes from the last id it saw. Without Web Locks each tab simply runs its own stream.
 */
export type StreamListener = {
  onEvent(event: StreamEvent): void;
  onState(state: ConnectionState): void;
  onReset(reason: string): void;
};

type Message =
  | { type: "event"; event: StreamEvent }
  | { type: "state"; state: ConnectionState }
  | { type: "reset"; reason: string }
  | { type: "hello" }
  | { type: "start"; fromId: number | null };

const streams = new Map<string, SharedStream>();

export class SharedStream {
  static for(url: string): SharedStream {
    let s = streams.get(url);
    if (!s) streams.set(url, (s = new SharedStream(url)));
    return s;
  }

  readonly url: string;
  #listeners = new Set<StreamListener>();
  #channel: BroadcastChannel | null = null;
  #stream: LiveStream | null = null;
  #leader = false;
  #releaseLock: (() => void) | null = null;
  #state: ConnectionState = { status: "connecting", since: Date.now(), lastEventId: null };
  /** The earliest position any tab asked for before the stream started. */
  #startFrom: number | null | undefined = undefined;
  #lastSeenId: number | null = null;

  private constructor(url: string) {
    this.url = url;
    if (typeof BroadcastChannel !== "undefined") {
      this.#channel = new BroadcastChannel(`pass-stream:${url}`);
      this.#channel.onmessage = (m: MessageEvent<Message>) => this.#onMessage(m.data);
    }
    const locks = typeof navigator !== "undefined" ? navigator.locks : undefined;
    if (locks && this.#channel) {
      void locks.request(
        `pass-stream:${url}`,
        () =>
          new Promise<void>((release) => {
            this.#releaseLock = release;
            this.#becomeLeader();
          }),
      );
      this.#post({ type: "hello" });
    } else {
      this.#becomeLeader();
    }
  }

  get isLeader(): boolean {
    return this.#leader;
  }

  get state(): ConnectionState {
    return this.#state;
  }

  subscribe(listener: StreamListener): () => void {
    this.#listeners.add(listener);
    listener.onState(this.#state);
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) this.#dispose();
    };
  }

  /** A screen is ready (its snapshot is at `fromId`, or null for "from now"): make sure the stream runs. */
  start(fromId: number | null): void {
    if (this.#leader) this.#startLeaderStream(fromId);
    else {
      // Remember it in case this tab becomes the leader; ask the current leader meanwhile.
      this.#startFrom = earliest(this.#startFrom, fromId);
      this.#post({ type: "start", fromId });
    }
  }

  /** After a reset the screen reloaded its snapshot: continue from there. */
  restartFrom(fromId: number | null): void {
    if (this.#leader && this.#stream) this.#stream.restartFrom(fromId);
  }

  #becomeLeader(): void {
    this.#leader = true;
    if (this.#startFrom !== undefined || this.#lastSeenId !== null) this.#startLeaderStream(this.#startFrom ?? this.#lastSeenId);
  }

  #startLeaderStream(fromId: number | null): void {
    if (this.#stream || !this.#leader) return;
    const from = this.#lastSeenId ?? fromId;
    this.#stream = new LiveStream({
      url: this.url,
      startFrom: from,
      handlers: {
        onEvent: (event) => {
          this.#dispatchEvent(event);
          this.#post({ type: "event", event });
        },
        onState: (state) => {
          this.#dispatchState(state);
          this.#post({ type: "state", state });
        },
        onReset: (reason) => {
          this.#dispatchReset(reason);
          this.#post({ type: "reset", reason });
        },
      },
    });
    this.#stream.start();
  }

  #onMessage(message: Message): void {
    switch (message.type) {
      case "event":
        this.#dispatchEvent(message.event);
        break;
      case "state":
        this.#dispatchState(message.state);
        break;
      case "reset":
        this.#dispatchReset(message.reason);
        break;
      case "hello":
        if (this.#leader) this.#post({ type: "state", state: this.#state });
        break;
      case "start":
        if (this.#leader) this.#startLeaderStream(message.fromId);
        else this.#startFrom = earliest(this.#startFrom, message.fromId);
        break;
    }
  }

  #dispatchEvent(event: StreamEvent): void {
    if (event.id !== null) this.#lastSeenId = event.id;
    for (const l of this.#listeners) l.onEvent(event);
  }

  #dispatchState(state: ConnectionState): void {
    this.#state = state;
    for (const l of this.#listeners) l.onState(state);
  }

  #dispatchReset(reason: string): void {
    for (const l of this.#listeners) l.onReset(reason);
  }

  #post(message: Message): void {
    this.#channel?.postMessage(message);
  }

  #dispose(): void {
    streams.delete(this.url);
    this.#stream?.stop();
    this.#stream = null;
    this.#leader = false;
    this.#releaseLock?.();
    this.#channel?.close();
  }
}

/** The earlier of two start positions; null means "from now", later than any id. */
function earliest(a: number | null | undefined, b: number | null): number | null {
  if (a === undefined || a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}
