import "server-only";
import { createHash } from "node:crypto";
import { sql } from "kysely";
import type { Db } from "../db";
import { elapsedMs, roundToInt } from "../db/elapsed";
import { businessDay } from "../orders/business-day";
import { addDays, type DayClock, localWeekHour, percentileOf, rangeBounds } from "./days";

/**
 * A partner's figures over business days `from`…`to` (issue "Reports and end of day" item 1), from
 * the orders, their lines, parts and payments (kept forever) and, for 86 time, the event log while
 * it keeps them. Each table is one grouped query on the reports' covering indexes (migration 0020):
 * the database aggregates, this module only folds the groups (histograms of whole seconds for the
 * percentiles, UTC hours for the heat map). Money is minor units; durations whole seconds.
 *
 * What counts (docs/contracts.md "Reports"): an order is *sold* once confirmed and not cancelled
 * (CONFIRMED, PREPARING, READY, PICKED_UP, DELIVERED); revenue is its total (after discount,
 * surcharges included). A *refund* is a cancelled order that had been confirmed (paid). Pending
 * orders and tables' carts are not counted.
 */
export const SOLD_STATUSES = ["CONFIRMED", "PREPARING", "READY", "PICKED_UP", "DELIVERED"] as const;

export type Totals = {
  orders: number;
  revenue: number;
  averageTicket: number;
  subTotal: number;
  discounts: number;
  discountedOrders: number;
  surcharges: number;
  cancelled: number;
  cancelledAmount: number;
  refunds: number;
  refundAmount: number;
};
export type DayRow = { businessDay: string; orders: number; revenue: number; averageTicket: number };
export type PaymentRow = { method: string; orders: number; amount: number };
export type CancellationRow = { reason: string; orders: number; amount: number; refunds: number; refundAmount: number };
export type ItemRow = { foodId: string; name: string; quantity: number; revenue: number; soldOutMinutes: number };
export type SpeedRow = {
  parts: number;
  medianSeconds: number | null;
  p90Seconds: number | null;
  late: number;
  recalls: number;
};
export type StationSpeedRow = SpeedRow & { station: string };
export type ItemSpeedRow = SpeedRow & { foodId: string; name: string; station: string };
export type HeatCell = { weekday: number; hour: number; orders: number; revenue: number };

export type ReportFigures = {
  partner: { slug: string; name: string; currency: string; locale: string; timezone: string; cutoverHour: number };
  from: string;
  to: string;
  /** The instants the range covers: [start, end). */
  start: string;
  end: string;
  totals: Totals;
  days: DayRow[];
  payments: PaymentRow[];
  cancellations: CancellationRow[];
  items: ItemRow[];
  stations: StationSpeedRow[];
  itemSpeed: ItemSpeedRow[];
  /** Sold orders by local weekday (1 = Monday) and hour of their creation; only non-empty cells. */
  heatmap: HeatCell[];
  /** The same weekdays one week earlier (from − 7 … to − 7). */
  compare: { from: string; to: string; totals: Totals; days: DayRow[] };
  /** False when the event log was pruned inside the range: 86 time is then a lower bound. */
  soldOutComplete: boolean;
};

export type ReportPartner = { id: string } & ReportFigures["partner"];

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const avg = (revenue: number, orders: number) => (orders === 0 ? 0 : Math.round(revenue / orders));

function soldIn(alias: string) {
  return sql.raw(`${alias}."status" in (${SOLD_STATUSES.map((s) => `'${s}'`).join(", ")})`);
}

/** Milliseconds from a part's fire to its done, and the same in whole seconds (lib/db/elapsed.ts). */
const partMs = (db: Db) => elapsedMs(db, 'lp."firedAt"', 'lp."doneAt"');
const partSeconds = (db: Db) => roundToInt(db, sql<number>`${partMs(db)} / 1000.0`);

type Row = Record<string, unknown>;
type Range = { partnerId: string; from: string; to: string };

/** Counted sums of a day (or a range) of orders; averageTicket is derived when they are merged. */
type Sums = Omit<Totals, "averageTicket">;
const SUM_KEYS = [
  "orders",
  "revenue",
  "subTotal",
  "discounts",
  "discountedOrders",
  "surcharges",
  "cancelled",
  "cancelledAmount",
  "refunds",
  "refundAmount",
] as const;
const emptySums = (): Sums => ({
  orders: 0,
  revenue: 0,
  subTotal: 0,
  discounts: 0,
  discountedOrders: 0,
  surcharges: 0,
  cancelled: 0,
  cancelledAmount: 0,
  refunds: 0,
  refundAmount: 0,
});

/** A histogram of whole seconds: [seconds, parts][]. */
type Histogram = [number, number][];
type SpeedGroup = { h: Histogram; late: number; recalls: number };

/**
 * One business day's report groups: everything the tables need, in a form two days add up in.
 * Stored for ended days (table reportDays) so a long range merges days instead of re-reading orders.
 */
export type DayGroups = {
  sums: Sums;
  payments: Record<string, [orders: number, amount: number]>;
  cancellations: Record<string, [orders: number, amount: number, refunds: number, refundAmount: number]>;
  items: Record<string, [name: string, quantity: number, revenue: number]>;
  stations: Record<string, SpeedGroup>;
  itemSpeed: Record<string, SpeedGroup & { name: string; station: string }>;
  /** By UTC hour ("2026-03-28T11"): [orders, revenue]. */
  heat: Record<string, [orders: number, revenue: number]>;
  /** A month's groups (key `YYYY-MM`): each of its days' sums, for the per-day rows. */
  daySums?: Record<string, Sums>;
};

const emptyGroups = (): DayGroups => ({
  sums: emptySums(),
  payments: {},
  cancellations: {},
  items: {},
  stations: {},
  itemSpeed: {},
  heat: {},
});

function inRange(r: Range) {
  return sql`o."partnerId" = ${r.partnerId} and o."businessDay" >= ${r.from} and o."businessDay" <= ${r.to}`;
}

async function sumsQuery(db: Db, r: Range): Promise<Row[]> {
  const { rows } = await sql<Row>`
    select o."businessDay" as day,
      sum(case when ${soldIn("o")} then 1 else 0 end) as orders,
      sum(case when ${soldIn("o")} then o."total" else 0 end) as revenue,
      sum(case when ${soldIn("o")} then o."subTotal" else 0 end) as "subTotal",
      sum(case when ${soldIn("o")} then o."discount" else 0 end) as discounts,
      sum(case when ${soldIn("o")} and o."discount" > 0 then 1 else 0 end) as "discountedOrders",
      sum(case when ${soldIn("o")} then o."surcharge" else 0 end) as surcharges,
      sum(case when o."status" = 'CANCELLED' then 1 else 0 end) as cancelled,
      sum(case when o."status" = 'CANCELLED' then o."total" else 0 end) as "cancelledAmount",
      sum(case when o."status" = 'CANCELLED' and o."confirmedAt" is not null then 1 else 0 end) as refunds,
      sum(case when o."status" = 'CANCELLED' and o."confirmedAt" is not null then o."total" else 0 end) as "refundAmount"
    from orders o where ${inRange(r)}
    group by o."businessDay"`.execute(db);
  return rows;
}

const DONE = sql`lp."firedAt" is not null and lp."doneAt" is not null`;

/**
 * Every group of the business days in `r`, computed from the orders (kept forever): one grouped
 * query per table, each also grouped by day. Speed of service is fired → done of every part of the
 * sold orders, in whole seconds; late when it took longer than its target × the order's late
 * percent (the kitchen screen's red, lib/orders/line-state.ts isLate). Parts not done count only
 * their recalls.
 */
export async function computeDayGroups(db: Db, r: Range): Promise<Map<string, DayGroups>> {
  const days = new Map<string, DayGroups>();
  const of = (day: unknown) => {
    const key = String(day);
    let g = days.get(key);
    if (!g) days.set(key, (g = emptyGroups()));
    return g;
  };
  for (const row of await sumsQuery(db, r)) {
    const g = of(row.day);
    for (const k of SUM_KEYS) g.sums[k] = num(row[k]);
  }
  const payments = await sql<Row>`
    select o."businessDay" as day, p."method" as method, count(distinct p."orderId") as orders, sum(p."amount") as amount
    from orders o join payments p on p."orderId" = o."id"
    where ${inRange(r)} and ${soldIn("o")}
    group by o."businessDay", p."method"`.execute(db);
  for (const row of payments.rows) of(row.day).payments[String(row.method)] = [num(row.orders), num(row.amount)];
  const cancelled = await sql<Row>`
    select o."businessDay" as day, coalesce(o."cancelReason", '') as reason, count(*) as orders, sum(o."total") as amount,
      sum(case when o."confirmedAt" is not null then 1 else 0 end) as refunds,
      sum(case when o."confirmedAt" is not null then o."total" else 0 end) as "refundAmount"
    from orders o
    where ${inRange(r)} and o."status" = 'CANCELLED'
    group by o."businessDay", coalesce(o."cancelReason", '')`.execute(db);
  for (const row of cancelled.rows)
    of(row.day).cancellations[String(row.reason)] = [num(row.orders), num(row.amount), num(row.refunds), num(row.refundAmount)];
  const items = await sql<Row>`
    select o."businessDay" as day, i."foodId" as "foodId", max(i."name") as name, sum(i."quantity") as quantity, sum(i."total") as revenue
    from orders o join "orderItems" i on i."orderId" = o."id"
    where ${inRange(r)} and ${soldIn("o")}
    group by o."businessDay", i."foodId"`.execute(db);
  for (const row of items.rows) of(row.day).items[String(row.foodId)] = [String(row.name), num(row.quantity), num(row.revenue)];
  const addSpeed = (group: SpeedGroup, row: Row) => {
    group.recalls += num(row.recalls);
    if (row.seconds !== null && row.seconds !== undefined) {
      group.h.push([Number(row.seconds), num(row.parts)]);
      group.late += num(row.late);
    }
  };
  const stations = await sql<Row>`
    select o."businessDay" as day, lp."station" as key, case when ${DONE} then ${partSeconds(db)} end as seconds, count(*) as parts,
      sum(case when ${DONE} and ${partMs(db)} * 100 > lp."targetMinutes" * 60000.0 * o."latePercent" then 1 else 0 end) as late,
      sum(lp."recalls") as recalls
    from orders o join "lineParts" lp on lp."orderId" = o."id"
    where ${inRange(r)} and ${soldIn("o")}
    group by o."businessDay", lp."station", case when ${DONE} then ${partSeconds(db)} end`.execute(db);
  for (const row of stations.rows) {
    const g = of(row.day);
    const key = String(row.key);
    addSpeed((g.stations[key] ??= { h: [], late: 0, recalls: 0 }), row);
  }
  // Per item: each line's part at its food's own station.
  const perItem = await sql<Row>`
    select o."businessDay" as day, i."foodId" as key, max(i."name") as name, max(i."station") as station,
      case when ${DONE} then ${partSeconds(db)} end as seconds, count(*) as parts,
      sum(case when ${DONE} and ${partMs(db)} * 100 > lp."targetMinutes" * 60000.0 * o."latePercent" then 1 else 0 end) as late,
      sum(lp."recalls") as recalls
    from orders o join "orderItems" i on i."orderId" = o."id"
      join "lineParts" lp on lp."orderId" = o."id" and lp."orderItemId" = i."id" and lp."station" = i."station"
    where ${inRange(r)} and ${soldIn("o")}
    group by o."businessDay", i."foodId", case when ${DONE} then ${partSeconds(db)} end`.execute(db);
  for (const row of perItem.rows) {
    const g = of(row.day);
    const key = String(row.key);
    addSpeed((g.itemSpeed[key] ??= { h: [], late: 0, recalls: 0, name: String(row.name), station: String(row.station) }), row);
  }
  // The heat map: by UTC hour here (createdAt is ISO text); placed in the partner's zone when merged.
  const heat = await sql<Row>`
    select o."businessDay" as day, substr(o."createdAt", 1, 13) as hour, count(*) as orders, sum(o."total") as revenue
    from orders o
    where ${inRange(r)} and ${soldIn("o")}
    group by o."businessDay", substr(o."createdAt", 1, 13)`.execute(db);
  for (const row of heat.rows) of(row.day).heat[String(row.hour)] = [num(row.orders), num(row.revenue)];
  return days;
}

/**
 * What a day's groups were computed from: per status, its orders' count, latest status change and
 * total. Any status change (a confirm, a cancel, a bump that makes an order READY, a recall) moves it.
 */
async function dayStamps(db: Db, r: Range): Promise<Map<string, string>> {
  const { rows } = await sql<Row>`
    select o."businessDay" as day, o."status" as status, count(*) as n, max(o."statusChangedAt") as changed, sum(o."total") as total
    from orders o where ${inRange(r)}
    group by o."businessDay", o."status"
    order by o."businessDay", o."status"`.execute(db);
  const stamps = new Map<string, string>();
  for (const row of rows) {
    const day = String(row.day);
    const part = `${String(row.status)}:${num(row.n)}:${String(row.changed)}:${num(row.total)}`;
    stamps.set(day, stamps.has(day) ? `${stamps.get(day)}|${part}` : part);
  }
  return stamps;
}

/** Adds `g` into `into` (histograms concatenated; foldHistograms adds equal seconds up). */
function addGroups(into: DayGroups, g: DayGroups): void {
  for (const k of SUM_KEYS) into.sums[k] += g.sums[k];
  for (const [m, [o, a]] of Object.entries(g.payments)) {
    const p = (into.payments[m] ??= [0, 0]);
    p[0] += o;
    p[1] += a;
  }
  for (const [r, [o, a, n, ra]] of Object.entries(g.cancellations)) {
    const c = (into.cancellations[r] ??= [0, 0, 0, 0]);
    c[0] += o;
    c[1] += a;
    c[2] += n;
    c[3] += ra;
  }
  for (const [id, [name, q, rev]] of Object.entries(g.items)) {
    const i = (into.items[id] ??= [name, 0, 0]);
    i[1] += q;
    i[2] += rev;
  }
  const speed = <T extends SpeedGroup>(to: Record<string, T>, from: Record<string, T>) => {
    for (const [key, sg] of Object.entries(from)) {
      const t = (to[key] ??= { ...sg, h: [], late: 0, recalls: 0 });
      t.late += sg.late;
      t.recalls += sg.recalls;
      for (const pair of sg.h) t.h.push(pair);
    }
  };
  speed(into.stations, g.stations);
  speed(into.itemSpeed, g.itemSpeed);
  for (const [h, [o, rev]] of Object.entries(g.heat)) {
    const x = (into.heat[h] ??= [0, 0]);
    x[0] += o;
    x[1] += rev;
  }
}

/** One entry per second in each histogram: a month's groups stay about as small as a day's. */
function foldHistograms(g: DayGroups): DayGroups {
  const fold = (h: Histogram): Histogram => {
    const m = new Map<number, number>();
    for (const [sec, n] of h) m.set(sec, (m.get(sec) ?? 0) + n);
    return [...m].sort((x, y) => x[0] - y[0]);
  };
  for (const sg of Object.values(g.stations)) sg.h = fold(sg.h);
  for (const sg of Object.values(g.itemSpeed)) sg.h = fold(sg.h);
  return g;
}

const monthStamp = (days: readonly string[], stamps: Map<string, string>) =>
  createHash("sha256")
    .update(days.map((d) => `${d}=${stamps.get(d) ?? ""}`).join(";"))
    .digest("base64url");

async function storeGroups(db: Db, partnerId: string, key: string, stamp: string, g: DayGroups, at: string) {
  const groups = JSON.stringify(g);
  const sums = JSON.stringify({ sums: g.sums, ...(g.daySums ? { daySums: g.daySums } : {}) });
  await db
    .insertInto("reportDays")
    .values({ partnerId, businessDay: key, stamp, groups, sums, computedAt: at })
    .onConflict((oc) => oc.columns(["partnerId", "businessDay"]).doUpdateSet({ stamp, groups, sums, computedAt: at }))
    .execute();
}

/** Stored rows by key; `sumsOnly` reads the small `sums` column instead of every group (the week before needs only sums). */
async function storedRows(
  db: Db,
  partnerId: string,
  keys: readonly string[],
  sumsOnly: boolean,
): Promise<Map<string, { stamp: string; groups: string }>> {
  const out = new Map<string, { stamp: string; groups: string }>();
  for (let i = 0; i < keys.length; i += 400) {
    const rows = await db
      .selectFrom("reportDays")
      .select(sumsOnly ? ["businessDay", "stamp", "sums as groups"] : ["businessDay", "stamp", "groups"])
      .where("partnerId", "=", partnerId)
      .where("businessDay", "in", keys.slice(i, i + 400))
      .execute();
    for (const row of rows) out.set(row.businessDay, row);
  }
  return out;
}

/**
 * The groups of the business days in `r`, as units to merge: an ended calendar month wholly inside
 * the range is one unit (key `YYYY-MM`, its days' sums kept in `daySums`), every other day its own
 * (key `YYYY-MM-DD`; only days with orders). An ended day or month comes from reportDays while its
 * stamp still matches — a day's: its orders per status (dayStamps); a month's: a hash of its
 * days' — else it is computed and stored again; the current day (and any not yet ended) is
 * computed each time. The Z job stores each day as it ends, so a report over a year reads about
 * 12 months and 30 days of groups and at most today's orders.
 */
export async function dayGroups(
  db: Db,
  r: Range & { closedBefore: string },
  known?: Map<string, string>,
  { sumsOnly = false }: { sumsOnly?: boolean } = {},
): Promise<Map<string, DayGroups>> {
  const parse = (text: string): DayGroups =>
    sumsOnly ? { ...emptyGroups(), ...(JSON.parse(text) as Partial<DayGroups>) } : (JSON.parse(text) as DayGroups);
  const stamps = known ?? (await dayStamps(db, r));
  const byMonth = new Map<string, string[]>();
  for (let d = r.from; d <= r.to; d = addDays(d, 1)) byMonth.set(d.slice(0, 7), [...(byMonth.get(d.slice(0, 7)) ?? []), d]);
  const whole = new Map(
    [...byMonth].filter(([m, days]) => {
      const last = addDays(`${addDays(`${m}-28`, 4).slice(0, 7)}-01`, -1);
      return days[0] === `${m}-01` && days[days.length - 1] === last && last < r.closedBefore;
    }),
  );
  const out = new Map<string, DayGroups>();
  const storedMonths = await storedRows(db, r.partnerId, [...whole.keys()], sumsOnly);
  const toBuild: [string, string[], string][] = [];
  const wanted: string[] = [];
  for (const [m, days] of byMonth) {
    if (!whole.has(m)) {
      wanted.push(...days);
      continue;
    }
    const stamp = monthStamp(days, stamps);
    const row = storedMonths.get(m);
    if (row && row.stamp === stamp) out.set(m, parse(row.groups));
    else {
      toBuild.push([m, days, stamp]);
      wanted.push(...days);
    }
  }
  const withOrders = wanted.filter((d) => stamps.has(d));
  const storedDays = await storedRows(
    db,
    r.partnerId,
    withOrders.filter((d) => d < r.closedBefore),
    sumsOnly,
  );
  const units = new Map<string, DayGroups>();
  const missing: string[] = [];
  for (const d of withOrders) {
    const row = storedDays.get(d);
    if (row && row.stamp === stamps.get(d)) units.set(d, parse(row.groups));
    else missing.push(d);
  }
  const at = new Date().toISOString();
  if (missing.length > 0) {
    const computed = await computeDayGroups(db, { partnerId: r.partnerId, from: missing[0]!, to: missing[missing.length - 1]! });
    for (const d of missing) {
      const g = computed.get(d) ?? emptyGroups();
      units.set(d, g);
      if (d < r.closedBefore) await storeGroups(db, r.partnerId, d, stamps.get(d)!, g, at);
    }
  }
  // Only sums read: the month is built (and stored) by the next full read; its days stand alone here.
  for (const [m, days, stamp] of sumsOnly ? [] : toBuild) {
    const month: DayGroups = { ...emptyGroups(), daySums: {} };
    for (const d of days) {
      const g = units.get(d);
      if (!g) continue;
      addGroups(month, g);
      month.daySums![d] = g.sums;
      units.delete(d);
    }
    out.set(m, foldHistograms(month));
    await storeGroups(db, r.partnerId, m, stamp, month, at);
  }
  for (const [d, g] of units) out.set(d, g);
  return out;
}

function percentiles(hist: Map<number, number>): Pick<SpeedRow, "medianSeconds" | "p90Seconds"> {
  const sorted = [...hist].sort((a, b) => a[0] - b[0]);
  return { medianSeconds: percentileOf(sorted, 0.5), p90Seconds: percentileOf(sorted, 0.9) };
}

function mergeSpeed<T extends SpeedGroup>(
  days: readonly DayGroups[],
  pick: (g: DayGroups) => Record<string, T>,
): Map<string, { row: SpeedRow; first: T }> {
  const acc = new Map<string, { hist: Map<number, number>; late: number; recalls: number; first: T }>();
  for (const g of days) {
    for (const [key, s] of Object.entries(pick(g))) {
      let a = acc.get(key);
      if (!a) acc.set(key, (a = { hist: new Map(), late: 0, recalls: 0, first: s }));
      a.late += s.late;
      a.recalls += s.recalls;
      for (const [sec, n] of s.h) a.hist.set(sec, (a.hist.get(sec) ?? 0) + n);
    }
  }
  return new Map(
    [...acc].map(([key, a]) => {
      const parts = [...a.hist.values()].reduce((x, y) => x + y, 0);
      const p = parts > 0 ? percentiles(a.hist) : { medianSeconds: null, p90Seconds: null };
      return [key, { row: { parts, ...p, late: a.late, recalls: a.recalls }, first: a.first }];
    }),
  );
}

const totalsOf = (s: Sums): Totals => ({ ...s, averageTicket: avg(s.revenue, s.orders) });

function mergeSums(days: Iterable<[string, DayGroups]>): { totals: Totals; days: DayRow[] } {
  const sums = emptySums();
  const rows: DayRow[] = [];
  for (const [key, g] of days) {
    for (const k of SUM_KEYS) sums[k] += g.sums[k];
    for (const [day, d] of Object.entries(g.daySums ?? { [key]: g.sums })) {
      if (d.orders > 0) rows.push({ businessDay: day, orders: d.orders, revenue: d.revenue, averageTicket: avg(d.revenue, d.orders) });
    }
  }
  rows.sort((a, b) => a.businessDay.localeCompare(b.businessDay));
  return { totals: totalsOf(sums), days: rows };
}

/**
 * Sold orders by the local weekday and hour they were placed: each UTC hour placed in the
 * partner's zone with its DST rules (one Intl lookup per distinct hour). A zone whose offset is
 * not whole hours (India, Nepal) places each UTC hour by its start.
 */
function mergeHeat(days: readonly DayGroups[], timezone: string): HeatCell[] {
  const cells = new Map<number, HeatCell>();
  const place = placer(timezone);
  for (const g of days) {
    for (const [hourIso, [orders, revenue]] of Object.entries(g.heat)) {
      const { weekday, hour } = place(hourIso);
      const key = weekday * 24 + hour;
      const cell = cells.get(key) ?? { weekday, hour, orders: 0, revenue: 0 };
      cell.orders += orders;
      cell.revenue += revenue;
      cells.set(key, cell);
    }
  }
  return [...cells.values()].sort((a, b) => a.weekday - b.weekday || a.hour - b.hour);
}

/**
 * Local weekday and hour of UTC hours ("2026-03-28T11"): the zone's offset is looked up (Intl) at
 * both ends of each UTC date and reused for its hours when they agree; a date with an offset
 * change (DST) looks each hour up.
 */
function placer(timezone: string): (hourIso: string) => { weekday: number; hour: number } {
  const offsets = new Map<string, number | null>();
  const offsetAt = (ms: number) => {
    const { weekday, hour } = localWeekHour(new Date(ms), timezone);
    // Hours since Monday 00:00 local minus since Monday 00:00 UTC, folded to −12…+14.
    const utc = new Date(ms);
    const utcWeekHour = (((utc.getUTCDay() + 6) % 7) * 24 + utc.getUTCHours()) % 168;
    let d = ((weekday - 1) * 24 + hour - utcWeekHour) % 168;
    if (d > 84) d -= 168;
    if (d < -84) d += 168;
    return d;
  };
  return (hourIso) => {
    const date = hourIso.slice(0, 10);
    let offset = offsets.get(date);
    if (offset === undefined) {
      const first = offsetAt(Date.parse(`${date}T00:00:00.000Z`));
      const last = offsetAt(Date.parse(`${date}T23:00:00.000Z`));
      offset = first === last ? first : null;
      offsets.set(date, offset);
    }
    const ms = Date.parse(`${hourIso}:00:00.000Z`);
    if (offset === null) return localWeekHour(new Date(ms), timezone);
    const local = new Date(ms + offset * 3_600_000);
    return { weekday: ((local.getUTCDay() + 6) % 7) + 1, hour: local.getUTCHours() };
  };
}

/** The tables of a range from its days' groups (the soldOut minutes joined to the item sales). */
export function mergeDays(groups: Map<string, DayGroups>, timezone: string, soldOut: Map<string, number>) {
  const days = [...groups.values()];
  const { totals, days: dayRows } = mergeSums(groups);
  const payments = new Map<string, PaymentRow>();
  const cancelled = new Map<string, CancellationRow>();
  const items = new Map<string, ItemRow>();
  for (const g of days) {
    for (const [method, [orders, amount]] of Object.entries(g.payments)) {
      const p = payments.get(method) ?? { method, orders: 0, amount: 0 };
      p.orders += orders;
      p.amount += amount;
      payments.set(method, p);
    }
    for (const [reason, [orders, amount, refunds, refundAmount]] of Object.entries(g.cancellations)) {
      const c = cancelled.get(reason) ?? { reason, orders: 0, amount: 0, refunds: 0, refundAmount: 0 };
      c.orders += orders;
      c.amount += amount;
      c.refunds += refunds;
      c.refundAmount += refundAmount;
      cancelled.set(reason, c);
    }
    for (const [foodId, [name, quantity, revenue]] of Object.entries(g.items)) {
      const i = items.get(foodId) ?? { foodId, name, quantity: 0, revenue: 0, soldOutMinutes: soldOut.get(foodId) ?? 0 };
      i.quantity += quantity;
      i.revenue += revenue;
      items.set(foodId, i);
    }
  }
  const stations = [...mergeSpeed(days, (g) => g.stations)].map(([station, { row }]) => ({ station, ...row }));
  const itemSpeed = [...mergeSpeed(days, (g) => g.itemSpeed)].map(([foodId, { row, first }]) => ({
    foodId,
    name: first.name,
    station: first.station,
    ...row,
  }));
  return {
    totals,
    days: dayRows,
    payments: [...payments.values()].sort((a, b) => b.amount - a.amount || a.method.localeCompare(b.method)),
    cancellations: [...cancelled.values()].sort((a, b) => b.orders - a.orders || a.reason.localeCompare(b.reason)),
    items: [...items.values()].sort((a, b) => b.quantity - a.quantity || a.name.localeCompare(b.name)),
    stations: stations.sort((a, b) => a.station.localeCompare(b.station)),
    itemSpeed: itemSpeed.sort((a, b) => (b.p90Seconds ?? -1) - (a.p90Seconds ?? -1) || a.name.localeCompare(b.name)),
    heatmap: mergeHeat(days, timezone),
  };
}

/**
 * Minutes each food was sold out ("86") inside [start, end), from its `food.updated` events that
 * changed `available`. A food whose first change in the range brings it back was out since the
 * start; one still out at the end counts until the end (or now).
 */
export async function soldOutMinutes(
  db: Db,
  partnerId: string,
  start: Date,
  end: Date,
  now: Date,
): Promise<{ minutes: Map<string, number>; complete: boolean }> {
  const rows = await db
    .selectFrom("events")
    .select(["payload", "createdAt"])
    .where("partnerId", "=", partnerId)
    .where("type", "=", "food.updated")
    .where("createdAt", ">=", start.toISOString())
    .where("createdAt", "<", end.toISOString())
    .orderBy("createdAt")
    .orderBy("id")
    .execute();
  const since = new Map<string, number>();
  const seen = new Set<string>();
  const ms = new Map<string, number>();
  const add = (id: string, from: number, to: number) => ms.set(id, (ms.get(id) ?? 0) + Math.max(0, to - from));
  for (const r of rows) {
    let payload: { food?: { id?: string }; changed?: Record<string, unknown> };
    try {
      payload = JSON.parse(r.payload);
    } catch {
      continue;
    }
    const id = payload.food?.id;
    if (!id || !payload.changed || !("available" in payload.changed)) continue;
    const at = Date.parse(r.createdAt);
    const available = Boolean(payload.changed.available);
    if (!available) {
      if (!since.has(id)) since.set(id, at);
    } else {
      const out = since.get(id) ?? (seen.has(id) ? null : start.getTime());
      if (out !== null) add(id, out, at);
      since.delete(id);
    }
    seen.add(id);
  }
  const until = Math.min(end.getTime(), now.getTime());
  for (const [id, out] of since) add(id, out, until);
  const oldest = await db
    .selectFrom("events")
    .select("createdAt")
    .where("partnerId", "=", partnerId)
    .orderBy("id")
    .limit(1)
    .executeTakeFirst();
  const pruned = await db.selectFrom("eventRetention").select("prunedThrough").where("partnerId", "=", partnerId).executeTakeFirst();
  const complete = !pruned || Number(pruned.prunedThrough) === 0 || (oldest !== undefined && oldest.createdAt <= start.toISOString());
  return { minutes: new Map([...ms].map(([id, v]) => [id, Math.round(v / 60_000)])), complete };
}

/**
 * Every table of the report for one partner and range (the Z report is one day of it), with the
 * same weekdays one week earlier. Days that have ended come from their stored groups.
 */
export async function reportFigures({
  db,
  partner,
  from,
  to,
  now = new Date(),
}: {
  db: Db;
  partner: ReportPartner;
  from: string;
  to: string;
  now?: Date;
}): Promise<ReportFigures> {
  const clock: DayClock = { timezone: partner.timezone, cutoverHour: partner.cutoverHour };
  const { start, end } = rangeBounds(from, to, clock);
  const cFrom = addDays(from, -7);
  const cTo = addDays(to, -7);
  // A day is stored once it has ended (by the wall clock, not `now`: a report about the past is still live data).
  const closedBefore = businessDay({ at: new Date(), ...clock });
  // One stamps query for both ranges (they overlap from 8 days on).
  const stamps = await dayStamps(db, { partnerId: partner.id, from: cFrom, to });
  const main = await dayGroups(db, { partnerId: partner.id, from, to, closedBefore }, stamps);
  const before = await dayGroups(db, { partnerId: partner.id, from: cFrom, to: cTo, closedBefore }, stamps, { sumsOnly: true });
  const soldOut = await soldOutMinutes(db, partner.id, start, end, now);
  const { id: _id, ...info } = partner;
  const merged = mergeDays(main, partner.timezone, soldOut.minutes);
  const compare = mergeSums(before);
  return {
    partner: info,
    from,
    to,
    start: start.toISOString(),
    end: end.toISOString(),
    ...merged,
    compare: { from: cFrom, to: cTo, totals: compare.totals, days: compare.days },
    soldOutComplete: soldOut.complete,
  };
}
