import { businessDay, nextCutover } from "../orders/business-day";

/**
 * Business days as the reports count them (docs/architecture.md "Reports"): a `YYYY-MM-DD` is the
 * partner's day from one local cut-over to the next, so a service running past midnight stays in
 * its day, and a DST night makes a day of 23 or 25 hours. Pure: no database.
 */
export type DayClock = { timezone: string; cutoverHour: number };

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isBusinessDay(value: string): boolean {
  const m = DAY.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value && d.getUTCFullYear() >= 2000 && d.getUTCFullYear() <= 2999;
}

/** `day` moved by `n` calendar days (n may be negative). */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both included (1 for one day). */
export function dayCount(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/** The instant business day `day` begins: its date's local cut-over hour (the first instant `businessDay` calls it `day`). */
export function dayStart(day: string, clock: DayClock): Date {
  // Start well before (every offset is within ±14 h) and step from cut-over to cut-over.
  let at = new Date(Date.parse(`${day}T00:00:00Z`) + clock.cutoverHour * 3_600_000 - 40 * 3_600_000);
  for (let i = 0; i < 6; i++) {
    const next = nextCutover({ at, ...clock });
    if (businessDay({ at: next, ...clock }) === day) return next;
    at = next;
  }
  throw new RangeError(`no start found for business day ${day} in ${clock.timezone}`);
}

/** [start, end) of the business days `from`…`to`. */
export function rangeBounds(from: string, to: string, clock: DayClock): { start: Date; end: Date } {
  const start = dayStart(from, clock);
  const end = nextCutover({ at: dayStart(to, clock), ...clock });
  return { start, end };
}

/** ISO weekday of a business day: 1 = Monday … 7 = Sunday. */
export function weekdayOf(day: string): number {
  const w = new Date(`${day}T00:00:00Z`).getUTCDay();
  return w === 0 ? 7 : w;
}

/**
 * The local weekday (1 = Monday) and hour of an instant in `timezone`. Memoised per UTC hour by
 * the caller; Intl is the one source of the zone's rules (DST included).
 */
export function localWeekHour(at: Date, timezone: string): { weekday: number; hour: number } {
  const parts = formatter(timezone).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  const weekday = WEEKDAYS.indexOf(get("weekday")) + 1;
  return { weekday, hour: Number(get("hour")) };
}

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone: timezone, weekday: "short", hour: "2-digit", hourCycle: "h23" });
    formatters.set(timezone, f);
  }
  return f;
}

function isSorted(h: readonly [number, number][]): boolean {
  for (let i = 1; i < h.length; i++) if (h[i - 1]![0] > h[i]![0]) return false;
  return true;
}

/** Nearest-rank percentile of a histogram of whole seconds (`counts` by value): the smallest v with ≥ p·n values ≤ v. */
export function percentileOf(histogram: ReadonlyMap<number, number> | readonly [number, number][], p: number): number | null {
  // Sorted by value (a caller taking several percentiles sorts once and passes the array).
  let entries: readonly [number, number][];
  if (Array.isArray(histogram)) {
    const list = histogram as readonly [number, number][];
    entries = isSorted(list) ? list : [...list].sort((a, b) => a[0] - b[0]);
  } else entries = [...(histogram as ReadonlyMap<number, number>).entries()].sort((a, b) => a[0] - b[0]);
  const n = entries.reduce((s, [, c]) => s + c, 0);
  if (n === 0) return null;
  const rank = Math.max(1, Math.ceil(p * n));
  let seen = 0;
  for (const [value, count] of entries) {
    seen += count;
    if (seen >= rank) return value;
  }
  return entries[entries.length - 1]![0];
}
