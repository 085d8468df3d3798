import "server-only";
import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { AppError } from "./errors";
import { processSlot } from "./process";

/**
 * Rate limits per principal and per client address (README "Configuration"), with
 * rate-limiter-flexible: in memory on one node, in Redis (shared by every node) with REDIS_URL.
 * A limit that is hit answers 429 with `Retry-After` (RateLimitedError, rendered by the one error
 * renderer).
 */
export type LimitName =
  | "login:account"
  | "login:ip"
  | "orders:anonymous"
  | "location"
  | "heartbeat"
  | "streams:token"
  | "streams:tracking"
  | "streams:anonymous"
  | "pairing:start"
  | "pairing:poll"
  | "pairing:claim"
  | "carts:changes";

export type LimitRule = { points: number; durationS: number };

/** Generous enough for a rush at one restaurant (kiosks share one address), tight enough for a flood. */
export const DEFAULT_LIMITS: Record<LimitName, LimitRule> = {
  // Failed sign-ins: per account and per address, counted only on failure.
  "login:account": { points: 10, durationS: 15 * 60 },
  "login:ip": { points: 50, durationS: 15 * 60 },
  // Orders without a session or token (kiosk, QR), per client address.
  "orders:anonymous": { points: 300, durationS: 60 },
  // A courier's app reports every few seconds.
  location: { points: 60, durationS: 60 },
  // A screen reports every 10 s (and when it shows new tickets); per principal and screen.
  heartbeat: { points: 240, durationS: 60 },
  // Stream opens: a screen reconnects now and then, not hundreds of times a minute.
  "streams:token": { points: 120, durationS: 60 },
  "streams:tracking": { points: 60, durationS: 60 },
  // The guests' live menu (no credentials), per client address: a dining room of phones on one Wi-Fi.
  "streams:anonymous": { points: 300, durationS: 60 },
  // Pairing a screen (lib/auth/pairing.ts): /pair starts one per visit, per client address; the screen
  // polls every 2 s; a person claiming codes types a few, never hundreds (a guess at a live code).
  "pairing:start": { points: 30, durationS: 60 },
  "pairing:poll": { points: 300, durationS: 60 },
  "pairing:claim": { points: 20, durationS: 60 },
  // A table's shared cart (lib/orders/carts.ts): every phone's adds, changes and removals together, per cart.
  "carts:changes": { points: 240, durationS: 60 },
};

export class RateLimitedError extends AppError {
  constructor(
    what: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, "RATE_LIMITED", `too many ${what}; retry in ${retryAfterSeconds} s`, { retryAfterSeconds });
  }
}

/** A key's count after a try: `used` of `limit` in a window that frees in `msBeforeNext`. */
export type LimitState = { used: number; limit: number; msBeforeNext: number };

export type Limits = {
  /** Counts one try; throws RateLimitedError when the limit is spent. `used === limit`: this try spent it. */
  consume(name: LimitName, key: string): Promise<LimitState>;
  /** Throws RateLimitedError if the limit is already spent, without counting (login: refuse even the right password). */
  check(name: LimitName, key: string): Promise<void>;
  /** Forgets a key (a successful sign-in clears its account's failures). */
  reset(name: LimitName, key: string): Promise<void>;
  /** Tries counted for a key in its current window. */
  used(name: LimitName, key: string): Promise<number>;
};

/** The pause before a failed sign-in is answered: 250 ms, doubling with each failure of the account, at most 4 s. */
export function failureDelayMs(failures: number): number {
  return failures <= 0 ? 0 : Math.min(4_000, 250 * 2 ** (failures - 1));
}

/** Every rule multiplied by `scale` (RATE_LIMIT_SCALE: a load test, a large venue behind one address). */
export function scaledRules(scale: number): Record<LimitName, LimitRule> {
  return Object.fromEntries(
    Object.entries(DEFAULT_LIMITS).map(([k, r]) => [k, { points: Math.max(1, Math.round(r.points * scale)), durationS: r.durationS }]),
  ) as Record<LimitName, LimitRule>;
}

export function createLimits({
  redis = null,
  prefix = "pass:",
  rules = {},
}: {
  redis?: Redis | null;
  prefix?: string;
  rules?: Partial<Record<LimitName, LimitRule>>;
} = {}): Limits {
  const limiters = new Map<LimitName, RateLimiterAbstract>();
  const limiter = (name: LimitName) => {
    let l = limiters.get(name);
    if (!l) {
      const rule = rules[name] ?? DEFAULT_LIMITS[name];
      const options = { points: rule.points, duration: rule.durationS, keyPrefix: `${prefix}rl:${name}` };
      l = redis ? new RateLimiterRedis({ ...options, storeClient: redis, useRedisPackage: false }) : new RateLimiterMemory(options);
      limiters.set(name, l);
    }
    return l;
  };
  const refuse = (name: LimitName, res: RateLimiterRes) =>
    new RateLimitedError(
      name.startsWith("login") ? "sign-in attempts" : name.replace(":", " "),
      Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
    );
  return {
    async consume(name, key) {
      const l = limiter(name);
      try {
        const res = await l.consume(key);
        return { used: res.consumedPoints, limit: l.points, msBeforeNext: res.msBeforeNext };
      } catch (err) {
        if (err instanceof RateLimiterRes) throw refuse(name, err);
        throw err;
      }
    },
    async check(name, key) {
      const l = limiter(name);
      const res = await l.get(key);
      if (res && res.consumedPoints >= l.points) throw refuse(name, res);
    },
    async reset(name, key) {
      await limiter(name).delete(key);
    },
    async used(name, key) {
      return (await limiter(name).get(key))?.consumedPoints ?? 0;
    },
  };
}

/** The process's limits (installed at start, lib/process-runtime.ts); in memory until then. */
export function limits(): Limits {
  const slot = processSlot() as { limits?: Limits };
  slot.limits ??= createLimits();
  return slot.limits;
}

export function setLimits(l: Limits | undefined): void {
  (processSlot() as { limits?: Limits }).limits = l;
}
