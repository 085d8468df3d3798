import { describe, expect, it } from "vitest";
import { businessDay, displayCode, isValidTimezone, nextCutover } from "./business-day";

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

describe("nextCutover: when the business day containing an instant ends", () => {
  it.each([
    // instant (UTC), timezone, cut-over hour, next cut-over (UTC)
    ["2026-01-15T18:30:00Z", "UTC", 4, "2026-01-16T04:00:00.000Z"],
    ["2026-01-16T03:59:59Z", "UTC", 4, "2026-01-16T04:00:00.000Z"],
    ["2026-01-16T04:00:00Z", "UTC", 4, "2026-01-17T04:00:00.000Z"], // at the cut-over: the new day's end
    ["2026-01-16T12:00:00Z", "UTC", 0, "2026-01-17T00:00:00.000Z"],
    ["2026-01-15T20:00:00Z", "Europe/Berlin", 4, "2026-01-16T03:00:00.000Z"], // 04:00 CET
    ["2026-01-16T01:00:00Z", "Europe/Berlin", 4, "2026-01-16T03:00:00.000Z"], // 02:00 CET, after midnight
    ["2026-07-15T20:00:00Z", "Europe/Berlin", 4, "2026-07-16T02:00:00.000Z"], // 04:00 CEST
    // DST starts 2026-03-29 02:00 CET → 03:00 CEST: the day is 23 hours, the cut-over still 04:00 on the wall.
    ["2026-03-28T20:00:00Z", "Europe/Berlin", 4, "2026-03-29T02:00:00.000Z"],
    ["2026-03-29T00:59:59Z", "Europe/Berlin", 4, "2026-03-29T02:00:00.000Z"], // 01:59:59 CET, just before the jump
    ["2026-03-29T01:00:00Z", "Europe/Berlin", 4, "2026-03-29T02:00:00.000Z"], // 03:00 CEST, just after it
    // DST ends 2026-10-25 03:00 CEST → 02:00 CET: the day is 25 hours, the cut-over 04:00 CET.
    ["2026-10-24T20:00:00Z", "Europe/Berlin", 4, "2026-10-25T03:00:00.000Z"],
    ["2026-10-25T00:30:00Z", "Europe/Berlin", 4, "2026-10-25T03:00:00.000Z"], // 02:30 CEST, the first time
    ["2026-10-25T01:30:00Z", "Europe/Berlin", 4, "2026-10-25T03:00:00.000Z"], // 02:30 CET, the second time
    ["2026-03-07T12:00:00Z", "America/New_York", 4, "2026-03-08T08:00:00.000Z"], // DST starts 03-08: 04:00 EDT
    ["2026-01-15T12:00:00Z", "Pacific/Auckland", 4, "2026-01-15T15:00:00.000Z"], // 04:00 NZDT on the 16th
  ])("%s in %s (cut-over %i) → %s", (at, timezone, cutoverHour, expected) => {
    const next = nextCutover({ at: new Date(at), timezone, cutoverHour });
    expect(next.toISOString()).toBe(expected);
    // It agrees with businessDay: the second before is the old day, the instant itself the next one.
    const day = businessDay({ at: new Date(at), timezone, cutoverHour });
    expect(businessDay({ at: new Date(next.getTime() - 1000), timezone, cutoverHour })).toBe(day);
    expect(businessDay({ at: next, timezone, cutoverHour })).not.toBe(day);
  });

  it("a business day on a DST night in Berlin lasts 23 and 25 hours", () => {
    const span = (from: string) => {
      const a = nextCutover({ at: new Date(from), timezone: "Europe/Berlin", cutoverHour: 4 });
      const b = nextCutover({ at: a, timezone: "Europe/Berlin", cutoverHour: 4 });
      return (b.getTime() - a.getTime()) / 3_600_000;
    };
    expect(span("2026-03-27T12:00:00Z")).toBe(23); // 28th 04:00 CET → 29th 04:00 CEST
    expect(span("2026-10-23T12:00:00Z")).toBe(25); // 24th 04:00 CEST → 25th 04:00 CET
    expect(span("2026-06-10T12:00:00Z")).toBe(24);
  });

  it("businessDay uses the wall clock on DST nights (04:30 CEST on 29 March is the new day)", () => {
    expect(businessDay({ at: new Date("2026-03-29T02:30:00Z"), timezone: "Europe/Berlin", cutoverHour: 4 })).toBe("2026-03-29");
    expect(businessDay({ at: new Date("2026-03-29T01:30:00Z"), timezone: "Europe/Berlin", cutoverHour: 4 })).toBe("2026-03-28");
    expect(businessDay({ at: new Date("2026-10-25T02:30:00Z"), timezone: "Europe/Berlin", cutoverHour: 4 })).toBe("2026-10-24"); // 03:30 CET
  });
});
