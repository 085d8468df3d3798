import { LiveStream, type ConnectionState, type Position, type StreamEvent } from "./live-stream";

/**
 * One stream per browser per URL, shared by all tabs: HTTP/1.1 allows six connections per
 * origin across every tab, and a kitchen leaves many tabs open. The tab holding a Web Lock is
 * the leader and runs the LiveStream; it passes events and connection state to the other tabs
 * over a BroadcastChannel. When the leader closes, the lock passes to another tab, which
 * resumes from where its own readers are: they applied every event the old leader passed on.
 * Without Web Locks each tab simply runs its own stream.
 *
 * No position is kept here: each listener says where it is (its snapshot, see
 * ./order-events.ts), and the stream resumes from the earliest of this tab's listeners.
 */
export type StreamListener = {
  /** Where this reader is; undefined until it has data to apply events to. */
  position(): Position | undefined;
  onEvent(event: StreamEvent): void;
  onState(state: ConnectionState): void;
  onReset(reason: string): void;
};

type Message =
  | { type: "event"; event: StreamEvent }
  | { type: "state"; state: ConnectionState }
  | { type: "reset"; reason: string }
  | { type: "hello" };

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
  /** A reader of this tab is ready (start() was called): a leader connects. */
  #wanted = false;
  #releaseLock: (() => void) | null = null;
  #disposed = false;
  #state: ConnectionState = { status: "connecting", since: Date.now() };

  private constructor(url: string) {
    this.url = url;
    if (typeof BroadcastChannel !== "undefined") {
      this.#channel = new BroadcastChannel(`pass-stream:${url}`);
      this.#channel.onmessage = (m: MessageEvent<Message>) => this.#onMessage(m.data);
    }
    const locks = typeof navigator !== "undefined" ? navigator.locks : undefined;
    if (locks && this.#channel) {
      void locks.request(`pass-stream:${url}`, () =>
        // A tab that left the screen while it queued for the lock passes it straight on.
        this.#disposed
          ? undefined
          : new Promise<void>((release) => {
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

  /** A reader of this tab has its data: make sure the stream runs (in this tab if it leads). */
  start(): void {
    this.#wanted = true;
    this.#startLeaderStream();
  }

  /** The earliest position among this tab's ready readers; null ("from now") is later than any id. */
  #position(): Position {
    let earliest: Position | undefined;
    for (const l of this.#listeners) {
      const p = l.position();
      if (!p) continue;
      if (!earliest || (p.lastEventId !== null && (earliest.lastEventId === null || p.lastEventId < earliest.lastEventId))) earliest = p;
    }
    return earliest ?? { lastEventId: null, epoch: null };
  }

  #becomeLeader(): void {
    this.#leader = true;
    this.#startLeaderStream();
  }

  #startLeaderStream(): void {
    if (this.#stream || !this.#leader || !this.#wanted) return;
    this.#stream = new LiveStream({
      url: this.url,
      position: () => this.#position(),
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
    }
  }

  #dispatchEvent(event: StreamEvent): void {
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
    this.#disposed = true;
    streams.delete(this.url);
    this.#stream?.stop();
    this.#stream = null;
    this.#leader = false;
    this.#releaseLock?.();
    this.#channel?.close();
  }
}
