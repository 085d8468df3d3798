/**
 * Every duration Pass shows as a clock (the dashboard's median preparation time, its order
 * timers, the kitchen's and cashier's ticket clocks, the pairing code's countdown, the health
 * panel's disconnects): one pure function, so "10:60" cannot come back in one place.
 *
 * The seconds are rounded FIRST and only then split into hours, minutes and seconds: 59.5 s is
 * "1:00", 599.6 s is "10:00", 3599.5 s is "1:00:00" (splitting first and rounding the remainder
 * printed "0:60", "9:60"). How to round is the caller's: a running clock counts whole seconds
 * gone ("down"), a countdown whole seconds left ("up"), a figure the nearest second.
 *
 * Under an hour `m:ss` (`mm:ss` with `padMinutes`: fixed-width ticket clocks), from an hour
 * `h:mm:ss`. A negative duration (a device's clock a little ahead of the server's) shows as 0:00;
 * what is not a finite number shows as "—", never "NaN:NaN".
 */
export type DurationRounding = "nearest" | "down" | "up";

export function formatDuration(
  seconds: number,
  { rounding = "nearest", padMinutes = false }: { rounding?: DurationRounding; padMinutes?: boolean } = {},
): string {
  if (typeof seconds !== "number" || !Number.isFinite(seconds)) return "—";
  const whole = Math.max(0, rounding === "down" ? Math.floor(seconds) : rounding === "up" ? Math.ceil(seconds) : Math.round(seconds));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  const ss = String(s).padStart(2, "0");
  if (h > 0) return `${h}:${String(m).padStart(2, "0")}:${ss}`;
  return `${padMinutes ? String(m).padStart(2, "0") : m}:${ss}`;
}

/** The seconds from `fromIso` to `toMs` (a running clock: now; a closed order: when it closed). */
export const secondsBetween = (fromIso: string, toMs: number): number => (toMs - Date.parse(fromIso)) / 1000;
