import { describe, expect, it } from "vitest";
import { reconnectDelay } from "./backoff";

describe("reconnectDelay", () => {
  it("grows from 1 s to a 30 s ceiling", () => {
    const top = (attempt: number) => reconnectDelay({ attempt, random: () => 1 });
    expect([0, 1, 2, 3, 4, 5, 6, 10, 50].map(top)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000]);
  });

  it("jitters within the upper half of the ceiling", () => {
    expect(reconnectDelay({ attempt: 0, random: () => 0 })).toBe(500);
    expect(reconnectDelay({ attempt: 5, random: () => 0 })).toBe(15000);
    for (let i = 0; i < 200; i++) {
      const d = reconnectDelay({ attempt: 3 });
      expect(d).toBeGreaterThanOrEqual(4000);
      expect(d).toBeLessThanOrEqual(8000);
    }
  });

  it("treats negative attempts as the first", () => {
    expect(reconnectDelay({ attempt: -3, random: () => 1 })).toBe(1000);
  });
});
