/**
 * Rate limits (lib/limits.ts): per key, 429 with a Retry-After, shared by every node through
 * Redis, and a check that refuses without counting.
 */
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { RateLimitedError, createLimits, failureDelayMs } from "./limits";
import { requireServices } from "./testing/db";

const redisUrl = process.env.REDIS_URL;
if (requireServices() && !redisUrl) throw new Error("REQUIRE_SERVICES=1 needs REDIS_URL");

describe("rate limits", () => {
  it("a key past its points is refused with the seconds until its window frees; other keys are not", async () => {
    const l = createLimits({ rules: { "orders:anonymous": { points: 3, durationS: 60 } } });
    for (let i = 0; i < 3; i++) await l.consume("orders:anonymous", "10.0.0.1");
    const err = await l.consume("orders:anonymous", "10.0.0.1").catch((e) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect(err).toMatchObject({ status: 429, code: "RATE_LIMITED", retryAfterSeconds: expect.any(Number) });
    expect(err.retryAfterSeconds).toBeGreaterThan(0);
    expect(err.retryAfterSeconds).toBeLessThanOrEqual(60);
    await l.consume("orders:anonymous", "10.0.0.2");
  });

  it("check refuses once spent but never counts; reset forgets", async () => {
    const l = createLimits({ rules: { "login:account": { points: 2, durationS: 60 } } });
    await l.check("login:account", "ana");
    await l.check("login:account", "ana");
    await l.consume("login:account", "ana");
    await l.check("login:account", "ana");
    await l.consume("login:account", "ana");
    await expect(l.check("login:account", "ana")).rejects.toBeInstanceOf(RateLimitedError);
    await l.reset("login:account", "ana");
    await l.check("login:account", "ana");
  });

  it("failed sign-ins wait longer each time: 250 ms doubling, at most 4 s", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 10].map(failureDelayMs)).toEqual([0, 250, 500, 1000, 2000, 4000, 4000, 4000]);
  });

  describe.skipIf(!redisUrl)("with Redis", () => {
    const clients: Redis[] = [];
    afterAll(() => {
      for (const c of clients) c.disconnect();
    });
    it("two nodes share one count", async () => {
      const prefix = `pass-test-${Math.random().toString(36).slice(2)}:`;
      const node = () => {
        const redis = new Redis(redisUrl!);
        clients.push(redis);
        return createLimits({ redis, prefix, rules: { "streams:token": { points: 4, durationS: 60 } } });
      };
      const a = node();
      const b = node();
      await a.consume("streams:token", "t1");
      await b.consume("streams:token", "t1");
      await a.consume("streams:token", "t1");
      await b.consume("streams:token", "t1");
      await expect(a.consume("streams:token", "t1")).rejects.toBeInstanceOf(RateLimitedError);
      await expect(b.consume("streams:token", "t1")).rejects.toBeInstanceOf(RateLimitedError);
    });
  });
});
