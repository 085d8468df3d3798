import { describe, expect, it } from "vitest";
import { formatDuration, secondsBetween } from "./duration-format";

describe("formatDuration", () => {
  it("rounds the whole duration before splitting it: never ':60'", () => {
    const cases: [number, string][] = [
      [0, "0:00"],
      [0.4, "0:00"],
      [59.4, "0:59"],
      [59.5, "1:00"],
      [59.9, "1:00"],
      [60, "1:00"],
      [61, "1:01"],
      [599.4, "9:59"],
      [599.6, "10:00"],
      [3599.4, "59:59"],
      [3599.5, "1:00:00"],
      [3600, "1:00:00"],
      [3661, "1:01:01"],
      [36_000 + 59.5, "10:01:00"],
      [90_000, "25:00:00"],
    ];
    for (const [input, text] of cases) expect(formatDuration(input), String(input)).toBe(text);
    for (const [input] of cases) expect(formatDuration(input), String(input)).not.toMatch(/:6\d/);
  });

  it("a running clock counts whole seconds gone, a countdown whole seconds left", () => {
    expect(formatDuration(59.9, { rounding: "down" })).toBe("0:59");
    expect(formatDuration(599.6, { rounding: "down" })).toBe("9:59");
    expect(formatDuration(3599.9, { rounding: "down" })).toBe("59:59");
    expect(formatDuration(59.1, { rounding: "up" })).toBe("1:00");
    expect(formatDuration(0.2, { rounding: "up" })).toBe("0:01");
    expect(formatDuration(3599.01, { rounding: "up" })).toBe("1:00:00");
  });

  it("pads minutes for fixed-width ticket clocks, never the hours", () => {
    expect(formatDuration(5, { padMinutes: true })).toBe("00:05");
    expect(formatDuration(59.5, { padMinutes: true })).toBe("01:00");
    expect(formatDuration(599.6, { padMinutes: true, rounding: "down" })).toBe("09:59");
    expect(formatDuration(3600, { padMinutes: true })).toBe("1:00:00");
  });

  it("a negative duration is 0:00; NaN and infinities are a dash", () => {
    expect(formatDuration(-0.4)).toBe("0:00");
    expect(formatDuration(-5)).toBe("0:00");
    expect(formatDuration(-5, { rounding: "up" })).toBe("0:00");
    expect(formatDuration(-3600, { padMinutes: true })).toBe("00:00");
    expect(formatDuration(Number.NaN)).toBe("—");
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe("—");
    expect(formatDuration(Number.NEGATIVE_INFINITY)).toBe("—");
    expect(formatDuration(secondsBetween("not a date", Date.now()))).toBe("—");
  });

  it("measures between an ISO time and a clock reading", () => {
    expect(secondsBetween("2026-01-01T12:00:00.000Z", Date.parse("2026-01-01T12:09:59.600Z"))).toBeCloseTo(599.6, 6);
    expect(formatDuration(secondsBetween("2026-01-01T12:00:00.000Z", Date.parse("2026-01-01T12:09:59.600Z")))).toBe("10:00");
  });
});

describe("one formatter for every clock", () => {
  it("no screen or wire shape splits seconds into minutes by itself (`% 60`)", async () => {
    const fs = await import("node:fs");
    const path = await import("node:path");
    const root = path.resolve(import.meta.dirname, "..");
    const files = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const full = path.join(dir, e.name);
        if (e.isDirectory()) return e.name === "node_modules" ? [] : files(full);
        return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [full] : [];
      });
    const own = path.join(root, "lib", "duration-format.ts");
    const offenders = ["app", "components", "lib"]
      .flatMap((d) => files(path.join(root, d)))
      .filter((f) => f !== own && /%\s*(60|3600)\b/.test(fs.readFileSync(f, "utf8")))
      .map((f) => path.relative(root, f));
    expect(offenders).toEqual([]);
  });
});
