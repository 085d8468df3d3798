import "server-only";
import { sql } from "kysely";
import type { Db } from "../db";
import { isPostgres } from "../events/jobs";
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

/** Milliseconds from a part's fire to its done, in SQL (ISO text on both databases). */
function partMs(db: Db) {
  return isPostgres(db)
    ? sql`(extract(epoch from (lp."doneAt"::timestamptz - lp."firedAt"::timestamptz)) * 1000)`
    : sql`((julianday(lp."doneAt") - julianday(lp."firedAt")) * 86400000.0)`;
}

function partSeconds(db: Db) {
  return isPostgres(db) ? sql`round(${partMs(db)} / 1000)::int` : sql`cast(round(${partMs(db)} / 1000.0) as integer)`;
}

export async function totalsByDay(db: Db, partnerId: string, from: string, to: string): Promise<{ totals: Totals; days: DayRow[] }> {
  const { rows } = await sql<Record<string, unknown>>`
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
    from orders o
    where o."partnerId" = ${partnerId} and o."businessDay" >= ${from} and o."businessDay" <= ${to}
    group by o."businessDay" order by o."businessDay"`.execute(db);
  const totals: Totals = {
    orders: 0,
    revenue: 0,
    averageTicket: 0,
    subTotal: 0,
    discounts: 0,
    discountedOrders: 0,
    surcharges: 0,
    cancelled: 0,
    cancelledAmount: 0,
    refunds: 0,
    refundAmount: 0,
  };
  const days: DayRow[] = [];
  for (const r of rows) {
    for (const k of Object.keys(totals) as (keyof Totals)[]) if (k !== "averageTicket") totals[k] += num(r[k]);
    const orders = num(r.orders);
    const revenue = num(r.revenue);
    if (orders > 0) days.push({ businessDay: String(r.day), orders, revenue, averageTicket: avg(revenue, orders) });
  }
  totals.averageTicket = avg(totals.revenue, totals.orders);
  return { totals, days };
}

export async function paymentSplit(db: Db, partnerId: string, from: string, to: string): Promise<PaymentRow[]> {
  const { rows } = await sql<{ method: string; orders: unknown; amount: unknown }>`
    select p."method" as method, count(distinct p."orderId") as orders, sum(p."amount") as amount
    from orders o join payments p on p."orderId" = o."id"
    where o."partnerId" = ${partnerId} and o."businessDay" >= ${from} and o."businessDay" <= ${to} and ${soldIn("o")}
    group by p."method" order by sum(p."amount") desc, p."method"`.execute(db);
  return rows.map((r) => ({ method: r.method, orders: num(r.orders), amount: num(r.amount) }));
}

export async function cancellations(db: Db, partnerId: string, from: string, to: string): Promise<CancellationRow[]> {
  const { rows } = await sql<Record<string, unknown>>`
    select coalesce(o."cancelReason", '') as reason, count(*) as orders, sum(o."total") as amount,
      sum(case when o."confirmedAt" is not null then 1 else 0 end) as refunds,
      sum(case when o."confirmedAt" is not null then o."total" else 0 end) as "refundAmount"
    from orders o
    where o."partnerId" = ${partnerId} and o."businessDay" >= ${from} and o."businessDay" <= ${to} and o."status" = 'CANCELLED'
    group by coalesce(o."cancelReason", '') order by count(*) desc, coalesce(o."cancelReason", '')`.execute(db);
  return rows.map((r) => ({
    reason: String(r.reason),
    orders: num(r.orders),
    amount: num(r.amount),
    refunds: num(r.refunds),
    refundAmount: num(r.refundAmount),
  }));
}

export async function itemSales(db: Db, partnerId: string, from: string, to: string): Promise<Omit<ItemRow, "soldOutMinutes">[]> {
  const { rows } = await sql<{ foodId: string; name: string; quantity: unknown; revenue: unknown }>`
    select i."foodId" as "foodId", max(i."name") as name, sum(i."quantity") as quantity, sum(i."total") as revenue
    from orders o join "orderItems" i on i."orderId" = o."id"
    where o."partnerId" = ${partnerId} and o."businessDay" >= ${from} and o."businessDay" <= ${to} and ${soldIn("o")}
    group by i."foodId" order by sum(i."quantity") desc, max(i."name")`.execute(db);
  return rows.map((r) => ({ foodId: r.foodId, name: r.name, quantity: num(r.quantity), revenue: num(r.revenue) }));
}

type SpeedGroup = { key: string; seconds: number | null; parts: unknown; late: unknown; recalls: unknown };

function foldSpeed(rows: readonly SpeedGroup[]): Map<string, SpeedRow> {
  const hist = new Map<string, Map<number, number>>();
  const out = new Map<string, SpeedRow>();
  for (const r of rows) {
    const row = out.get(r.key) ?? { parts: 0, medianSeconds: null, p90Seconds: null, late: 0, recalls: 0 };
    row.recalls += num(r.recalls);
    if (r.seconds !== null) {
      row.parts += num(r.parts);
      row.late += num(r.late);
      const h = hist.get(r.key) ?? new Map<number, number>();
      h.set(Number(r.seconds), (h.get(Number(r.seconds)) ?? 0) + num(r.parts));
      hist.set(r.key, h);
    }
    out.set(r.key, row);
  }
  for (const [key, row] of out) {
    const h = hist.get(key);
    if (h) {
      row.medianSeconds = percentileOf(h, 0.5);
      row.p90Seconds = percentileOf(h, 0.9);
    }
  }
  return out;
}

/**
 * Fired → done of every part of the sold orders, grouped by station and whole second; late when it
 * took longer than its target × the order's late percent (the kitchen screen's red), as
 * lib/orders/line-state.ts isLate. Parts not done count only their recalls.
 */
export async function stationSpeed(db: Db, partnerId: string, from: string, to: string): Promise<StationSpeedRow[]> {
  const done = sql`lp."firedAt" is not null and lp."doneAt" is not null`;
  const { rows } = await sql<SpeedGroup>`
    select lp."station" as key, case when ${done} then ${partSeconds(db)} end as seconds, count(*) as parts,
      sum(case when ${done} and ${partMs(db)} * 100 > lp."targetMinutes" * 60000.0 * o."latePercent" then 1 else 0 end) as late,
      sum(lp."recalls") as recalls
    from orders o join "lineParts" lp on lp."orderId" = o."id"
    where o."partnerId" = ${partnerId} and o."businessDay" >= ${from} and o."businessDay" <= ${to} and ${soldIn("o")}
    group by lp."station", case when ${done} then ${partSeconds(db)} end`.execute(db);
  return [...foldSpeed(rows).entries()].map(([station, r]) => ({ station, ...r })).sort((a, b) => a.station.localeCompare(b.station));
}

/** The same per item: each line's part at its food's own station. */
export async function itemSpeed(db: Db, partnerId: string, from: string, to: string): Promise<ItemSpeedRow[]> {
  const done = sql`lp."firedAt" is not null and lp."doneAt" is not null`;
  const { rows } = await sql<SpeedGroup & { name: string; station: string }>`
    select i."foodId" as key, max(i."name") as name, max(i."station") as station,
      case when ${done} then ${partSeconds(db)} end as seconds, count(*) as parts,
      sum(case when ${done} and ${partMs(db)} * 100 > lp."targetMinutes" * 60000.0 * o."latePercent" then 1 else 0 end) as late,
      sum(lp."recalls") as recalls
    from orders o join "orderItems" i on i."orderId" = o."id"
      join "lineParts" lp on lp."orderId" = o."id" and lp."orderItemId" = i."id" and lp."station" = i."station"
    where o."partnerId" = ${partnerId} and o."businessDay" >= ${from} and o."businessDay" <= ${to} and ${soldIn("o")}
    group by i."foodId", case when ${done} then ${partSeconds(db)} end`.execute(db);
  const names = new Map(rows.map((r) => [r.key, { name: r.name, station: r.station }]));
  return [...foldSpeed(rows).entries()]
    .map(([foodId, r]) => ({ foodId, ...names.get(foodId)!, ...r }))
    .sort((a, b) => (b.p90Seconds ?? -1) - (a.p90Seconds ?? -1) || a.name.localeCompare(b.name));
}

/**
 * Sold orders by the local weekday and hour they were placed. The database groups by UTC hour
 * (`createdAt` is ISO text); each hour is then placed in the partner's zone with its DST rules. A
 * zone whose offset is not whole hours (India, Nepal) places each UTC hour by its start.
 */
export async function heatmap(db: Db, partnerId: string, from: string, to: string, timezone: string): Promise<HeatCell[]> {
  const { rows } = await sql<{ hour: string; orders: unknown; revenue: unknown }>`
    select substr(o."createdAt", 1, 13) as hour, count(*) as orders, sum(o."total") as revenue
    from orders o
    where o."partnerId" = ${partnerId} and o."businessDay" >= ${from} and o."businessDay" <= ${to} and ${soldIn("o")}
    group by substr(o."createdAt", 1, 13)`.execute(db);
  const cells = new Map<number, HeatCell>();
  for (const r of rows) {
    const { weekday, hour } = localWeekHour(new Date(`${r.hour}:00:00.000Z`), timezone);
    const key = weekday * 24 + hour;
    const cell = cells.get(key) ?? { weekday, hour, orders: 0, revenue: 0 };
    cell.orders += num(r.orders);
    cell.revenue += num(r.revenue);
    cells.set(key, cell);
  }
  return [...cells.values()].sort((a, b) => a.weekday - b.weekday || a.hour - b.hour);
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

/** Every table of the report for one partner and range (the Z report is one day of it). */
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
  const [main, compare, payments, cancelled, items, stations, perItem, heat, soldOut] = await Promise.all([
    totalsByDay(db, partner.id, from, to),
    totalsByDay(db, partner.id, cFrom, cTo),
    paymentSplit(db, partner.id, from, to),
    cancellations(db, partner.id, from, to),
    itemSales(db, partner.id, from, to),
    stationSpeed(db, partner.id, from, to),
    itemSpeed(db, partner.id, from, to),
    heatmap(db, partner.id, from, to, partner.timezone),
    soldOutMinutes(db, partner.id, start, end, now),
  ]);
  const { id: _id, ...info } = partner;
  return {
    partner: info,
    from,
    to,
    start: start.toISOString(),
    end: end.toISOString(),
    totals: main.totals,
    days: main.days,
    payments,
    cancellations: cancelled,
    items: items.map((i) => ({ ...i, soldOutMinutes: soldOut.minutes.get(i.foodId) ?? 0 })),
    stations,
    itemSpeed: perItem,
    heatmap: heat,
    compare: { from: cFrom, to: cTo, totals: compare.totals, days: compare.days },
    soldOutComplete: soldOut.complete,
  };
}
