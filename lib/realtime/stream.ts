import "server-only";
import crypto from "node:crypto";
import type { Credential } from "../auth";
import type { LoggedEvent } from "../events/log";
import type { StreamChannel } from "../projections";
import type { Hub, ShutdownNotice, Subscriber } from "./hub";
import type { JoinTarget } from "./join";
import { formatFrame } from "./sse";
import { metrics } from "../metrics";
import type { Sink } from "./transport";

/**
 * One live SSE stream: the Subscriber the hub writes to and the JoinTarget of `join`, on any
 * Sink (Node res or a web ReadableStream). Every frame carries its log id, and a stream never
 * writes an id at or below the last one it wrote. One idempotent cleanup from every path.
 */
export class SseStream implements Subscriber, JoinTarget {
  readonly channel: StreamChannel;
  readonly partnerId: string | null;
  readonly accepts?: (event: LoggedEvent) => boolean;
  lastSentId = 0;
  #joining: { id: number; frame: Buffer }[] | null = [];
  #joiningBytes = 0;
  #closed = false;
  #lifeTimer: NodeJS.Timeout | undefined;
  readonly #keepalive?: (stream: SseStream, frame: Buffer) => void;

  constructor(
    private readonly sink: Sink,
    private readonly hub: Hub,
    private readonly init: {
      channel: StreamChannel;
      partnerId: string | null;
      /** A stream whose unsent bytes pass this is closed: the client resumes by id. */
      maxQueueBytes: number;
      accepts?: (event: LoggedEvent) => boolean;
      /** The credential the stream was opened with: its revocation or expiry ends the stream. */
      credential?: Credential;
      /** Replaces the keep-alive comment (seeds/002 sends `heartbeat` events instead). */
      keepalive?: (stream: SseStream, frame: Buffer) => void;
    },
  ) {
    this.channel = init.channel;
    this.partnerId = init.partnerId;
    this.accepts = init.accepts;
    this.#keepalive = init.keepalive;
    this.credential = init.credential;
  }

  readonly credential?: Credential;

  /** The credential was revoked (logout, token revoked, user disabled or role changed). */
  revoke(reason: string): void {
    this.writeControl("disconnecting", { reason: "CREDENTIALS_REVOKED", detail: reason, reconnectAfter: 0 });
    this.close();
  }

  get closed(): boolean {
    return this.#closed;
  }

  deliver(id: number, frame: Buffer): void {
    if (!this.#joining) {
      this.writeEvent(id, frame);
      return;
    }
    // Live frames wait while the replay runs; they too are bounded.
    this.#joining.push({ id, frame });
    this.#joiningBytes += frame.length;
    if (this.#joiningBytes > this.init.maxQueueBytes) this.#dropSlow();
  }

  /** The client does not read: its queue passed the bound. Dropped; it resumes by id. */
  #dropSlow(): void {
    metrics()?.slowConsumer("sse");
    this.close(true);
  }

  writeEvent(id: number, frame: Buffer): void {
    if (id <= this.lastSentId) return;
    this.lastSentId = id;
    this.write(frame);
  }

  /**
   * A replayed frame, paced by the client: the server waits for room instead of queueing the
   * whole replay (the live bound does not apply to what the server itself paces).
   */
  async writeReplayed(id: number, frame: Buffer): Promise<void> {
    if (id <= this.lastSentId || this.#closed) return;
    this.lastSentId = id;
    try {
      this.sink.write(frame);
    } catch {
      this.close(true);
      return;
    }
    if (this.sink.bufferedBytes > REPLAY_HIGH_WATER) await this.sink.drained();
  }

  /** A control frame (connected, replay-*, heartbeat, disconnecting) at the stream's position. */
  writeControl(event: string, data: unknown, { retry }: { retry?: number } = {}): void {
    this.write(formatFrame({ id: this.lastSentId, event, data: JSON.stringify(data), retry }));
  }

  goLive(): void {
    const queued = this.#joining ?? [];
    this.#joining = null;
    this.#joiningBytes = 0;
    for (const { id, frame } of queued) this.writeEvent(id, frame);
  }

  keepalive(frame: Buffer): void {
    if (this.#joining) return;
    if (this.#keepalive) this.#keepalive(this, frame);
    else this.write(frame);
  }

  /**
   * `retry:` is `reconnectAfter`, jittered per stream (admission.ts): a plain EventSource waits
   * about as long as it is told, and thousands of them do not come back in the same instant.
   */
  shutdown(notice: ShutdownNotice): void {
    this.writeControl("disconnecting", notice, { retry: this.hub.admission.retry(notice.reconnectAfter * 1000) });
    this.close();
  }

  write(chunk: Buffer | string): void {
    if (this.#closed) return;
    try {
      this.sink.write(chunk);
    } catch {
      this.close(true);
      return;
    }
    // Bytes the client has not taken yet: past the bound, drop the stream; it resumes by id.
    // (During the join the replay is paced by writeReplayed instead.)
    if (!this.#joining && this.sink.bufferedBytes > this.init.maxQueueBytes) this.#dropSlow();
  }

  /** Ends the stream at its maximum life, or earlier when its credential expires. */
  startLife(ms: number): void {
    const expiresAt = this.credential?.expiresAt ? Date.parse(this.credential.expiresAt) : Number.POSITIVE_INFINITY;
    const untilExpiry = expiresAt - Date.now();
    const expires = untilExpiry < ms;
    this.#lifeTimer = setTimeout(
      () => {
        this.writeControl("disconnecting", { reason: expires ? "CREDENTIALS_EXPIRED" : "MAX_STREAM_LIFE", reconnectAfter: 0 });
        this.close();
      },
      Math.max(0, Math.min(ms, untilExpiry)),
    );
    this.#lifeTimer.unref();
  }

  /** The one cleanup, safe to call from every path (client gone, write error, slow, life, shutdown). */
  close(abort = false): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#lifeTimer);
    this.hub.unsubscribe(this);
    this.#joining = null;
    if (abort) this.sink.destroy();
    else this.sink.end();
  }
}

/**
 * A stream's id for its `connected` frame: unique per node process (a random prefix, then a
 * counter), without asking the system for randomness on every one of thousands of opens.
 */
const STREAM_ID_PREFIX = `live-${crypto.randomBytes(4).toString("hex")}-`;
let streamCount = 0;
export function nextStreamId(): string {
  return `${STREAM_ID_PREFIX}${(++streamCount).toString(36)}`;
}

/** A replay waits for the client once this much is unsent. */
const REPLAY_HIGH_WATER = 64 * 1024;

/** Streams end after about this long (± 10 %) and the client resumes by id. */
export function jitteredLife(maxLifeMs: number): number {
  return maxLifeMs * (0.9 + Math.random() * 0.2);
}
