import { AppError } from "../errors";

/**
 * Reconnect-storm pacing (docs/deploy.md#reconnect-storms). Thousands of clients told the same
 * thing at the same instant come back in the same millisecond: every `retry:` a node sends is
 * spread by `jitter` (±25 % by default), and at most `limit` stream requests are admitted at once
 * (credentials, scope, the join and its replay); past it a request is answered `503` with a
 * jittered `Retry-After` at once, before any database work: behind nginx the next node takes it
 * (deploy/nginx.conf), Pass's own screens wait as told, and the node never queues without bound.
 */
export type PacingOptions = {
  /** Stream requests being admitted at once on this node; 0 = no limit. */
  limit: number;
  /** `retry:` values are spread over ±jitter of their nominal value (0 = exact). */
  jitter: number;
};

export const DEFAULT_PACING: PacingOptions = { limit: 256, jitter: 0.25 };

/** `ms` spread over ±`jitter` of itself, at least 1 ms less than nothing. */
export function jittered(ms: number, jitter: number, random: () => number = Math.random): number {
  return Math.max(0, Math.round(ms * (1 + jitter * (2 * random() - 1))));
}

/** 503 SERVER_BUSY with `Retry-After` (whole seconds, as HTTP has it). */
export class ServerBusyError extends AppError {
  constructor(retryAfterSeconds: number) {
    super(503, "SERVER_BUSY", "too many streams are opening on this node; retry shortly", { retryAfterSeconds });
  }
}

export class Admission {
  #admitting = 0;
  /** Refused since start (tests, the benchmark). */
  refused = 0;

  constructor(
    readonly options: PacingOptions = DEFAULT_PACING,
    private readonly random: () => number = Math.random,
  ) {}

  get admitting(): number {
    return this.#admitting;
  }

  /** A `retry:` for a stream: `ms` jittered. */
  retry(ms: number): number {
    return jittered(ms, this.options.jitter, this.random);
  }

  /**
   * Enters one stream request into admission: its release (idempotent), or a ServerBusyError
   * to answer when `limit` are already being admitted.
   */
  enter(): () => void {
    const { limit } = this.options;
    if (limit > 0 && this.#admitting >= limit) {
      this.refused++;
      // 2–3 s at the default jitter (1–3 s at 0.5): the refused spread out instead of coming back together.
      throw new ServerBusyError(Math.max(1, Math.round(this.retry(2_000) / 1_000)));
    }
    this.#admitting++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#admitting--;
    };
  }
}
