/**
 * A restaurant's business day does not end at midnight: a service that runs until 02:00 keeps
 * its day until the partner's cut-over hour. Codes and ticket numbers restart per business day.
 */
export function businessDay({ at, timezone, cutoverHour }: { at: Date; timezone: string; cutoverHour: number }): string {
  // By the local wall clock: 01:30 local with a 04:00 cut-over belongs to the previous date. (Not
  // "4 hours after local midnight": on a DST night those differ by an hour.)
  const parts = dayFormatter(timezone).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const date = new Date(Date.UTC(get("year"), get("month") - 1, get("day") - (get("hour") < cutoverHour ? 1 : 0)));
  return date.toISOString().slice(0, 10);
}

/** One formatter per zone: building an Intl.DateTimeFormat costs ~50× using one (reports call this per hour of a year). */
const formatters = new Map<string, Intl.DateTimeFormat>();
function dayFormatter(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", {
      timeZone: timezone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timezone, f);
  }
  return f;
}

export function isValidTimezone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** The n-th order of a business day (1-based) → A01…A99, B01…B99, …, Z99, then AA01… */
export function displayCode(ordinal: number): string {
  if (!Number.isInteger(ordinal) || ordinal < 1) throw new RangeError(`ordinal must be ≥ 1: ${ordinal}`);
  const block = Math.floor((ordinal - 1) / 99);
  const number = ((ordinal - 1) % 99) + 1;
  let prefix = "";
  let b = block;
  do {
    prefix = LETTERS[b % 26] + prefix;
    b = Math.floor(b / 26) - 1;
  } while (b >= 0);
  return `${prefix}${String(number).padStart(2, "0")}`;
}

/**
 * The instant the business day that contains `at` ends: the next local cut-over hour, with the
 * time zone's DST rules (a day may be 23 or 25 hours). Found by stepping to the first instant of
 * another business day and narrowing to the second, so it never disagrees with `businessDay`.
 */
export function nextCutover({ at, timezone, cutoverHour }: { at: Date; timezone: string; cutoverHour: number }): Date {
  const day = businessDay({ at, timezone, cutoverHour });
  const differs = (ms: number) => businessDay({ at: new Date(ms), timezone, cutoverHour }) !== day;
  const step = 15 * 60_000;
  let lo = at.getTime();
  let hi = lo + step;
  while (!differs(hi)) {
    lo = hi;
    hi += step;
  }
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (differs(mid)) hi = mid;
    else lo = mid;
  }
  // hi is within a second after the boundary, which falls on a whole second.
  return new Date(Math.floor(hi / 1000) * 1000);
}
