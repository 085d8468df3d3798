import { describe, expect, it } from "vitest";
import { businessDay, displayCode, isValidTimezone } from "./business-day";

describe("businessDay", () => {
  it.each([
    // instant (UTC), timezone, cut-over hour, business day
    ["2026-01-15T18:30:00Z", "UTC", 4, "2026-01-15"],
    ["2026-01-16T03:59:59Z", "UTC", 4, "2026-01-15"], // after midnight, before cut-over: still yesterday
    ["2026-01-16T04:00:00Z", "UTC", 4, "2026-01-16"],
    ["2026-01-16T00:30:00Z", "UTC", 0, "2026-01-16"],
    ["2026-01-16T01:30:00Z", "Europe/Paris", 4, "2026-01-15"], // 02:30 in Paris
    ["2026-01-16T03:30:00Z", "Europe/Paris", 4, "2026-01-16"], // 04:30 in Paris
    ["2026-01-16T07:00:00Z", "America/New_York", 4, "2026-01-15"], // 02:00 in New York
    ["2026-01-15T14:00:00Z", "Pacific/Auckland", 4, "2026-01-15"], // 16th 03:00 NZDT, before cut-over
    ["2026-01-15T16:00:00Z", "Pacific/Auckland", 4, "2026-01-16"], // 16th 05:00 NZDT
  ])("%s in %s (cut-over %i) → %s", (at, timezone, cutoverHour, expected) => {
    expect(businessDay({ at: new Date(at), timezone, cutoverHour })).toBe(expected);
  });

  it("validates time zones", () => {
    expect(isValidTimezone("Europe/Berlin")).toBe(true);
    expect(isValidTimezone("Mars/Olympus")).toBe(false);
  });
});

describe("displayCode", () => {
  it.each([
    [1, "A01"],
    [9, "A09"],
    [99, "A99"],
    [100, "B01"],
    [198, "B99"],
    [199, "C01"],
    [26 * 99, "Z99"],
    [26 * 99 + 1, "AA01"],
  ])("order %i of the day → %s", (n, code) => {
    expect(displayCode(n)).toBe(code);
  });

  it("is unique over a long day", () => {
    const codes = new Set(Array.from({ length: 5000 }, (_, i) => displayCode(i + 1)));
    expect(codes.size).toBe(5000);
  });

  it("refuses non-positive ordinals", () => {
    expect(() => displayCode(0)).toThrow(RangeError);
    expect(() => displayCode(1.5)).toThrow(RangeError);
  });
});
