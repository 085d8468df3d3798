/**
 * The report's figures against a hand-computed fixture (issue "Reports and end of day", done when):
 * a Paris restaurant with a 04:00 cut-over, business day Saturday 2026-03-28 — the night the
 * clocks go forward (Sunday 02:00 CET → 03:00 CEST), so the day runs 23 hours, 03:00Z → 02:00Z.
 * Its orders are placed, paid, cooked, recalled and cancelled through the real lib/orders code at
 * chosen instants, one after midnight and one after the clock change, both still Saturday's.
 * Every expected number below is worked out by hand in the comments. On SQLite and PostgreSQL.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "../auth";
import { setAvailability } from "../menu/availability";
import { changeStatus, confirmOrder, stationAction } from "../orders";
import { describeEachDatabase } from "../testing/each-database";
import { makePartner, makeUser, placeOrder, type TestPartner } from "../testing/fixtures";
import { addDays, dayStart, percentileOf, rangeBounds } from "./days";
import { toCsv } from "./csv";
import { reportSummary } from "./service";

const PARIS = { timezone: "Europe/Paris", cutoverHour: 4 };
const at = (iso: string) => new Date(iso);
const plus = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000);

describe("business days in the partner's zone", () => {
  it("a DST night's day is 23 hours, from one local 04:00 to the next", () => {
    const { start, end } = rangeBounds("2026-03-28", "2026-03-28", PARIS);
    expect(start.toISOString()).toBe("2026-03-28T03:00:00.000Z"); // 04:00 CET
    expect(end.toISOString()).toBe("2026-03-29T02:00:00.000Z"); // 04:00 CEST
    // The autumn night (25 October 2026, 03:00 CEST → 02:00 CET) makes a 25-hour day.
    const autumn = rangeBounds("2026-10-24", "2026-10-24", PARIS);
    expect(autumn.end.getTime() - autumn.start.getTime()).toBe(25 * 3_600_000);
    expect(dayStart("2026-01-15", { timezone: "America/New_York", cutoverHour: 0 }).toISOString()).toBe("2026-01-15T05:00:00.000Z");
    expect(addDays("2026-03-01", -7)).toBe("2026-02-22");
  });

  it("percentiles are nearest-rank over whole seconds", () => {
    expect(
      percentileOf(
        new Map([
          [240, 1],
          [960, 1],
        ]),
        0.5,
      ),
    ).toBe(240);
    expect(
      percentileOf(
        new Map([
          [240, 1],
          [960, 1],
        ]),
        0.9,
      ),
    ).toBe(960);
    expect(
      percentileOf(
        [
          [10, 9],
          [100, 1],
        ],
        0.9,
      ),
    ).toBe(10);
    expect(
      percentileOf(
        [
          [10, 8],
          [100, 2],
        ],
        0.9,
      ),
    ).toBe(100);
    expect(percentileOf(new Map(), 0.5)).toBeNull();
  });
});

describeEachDatabase("report figures", (ctx) => {
  let rep: TestPartner;
  let operator: Principal;
  let admin: Principal;
  let otherOperator: Principal;
  let pendingG = 0;

  /** Places, confirms and (optionally) bumps at chosen instants; returns the order id. */
  async function sale(opts: {
    created: string;
    items: { food: string; quantity?: number }[];
    confirm?: { at: string; input: Parameters<typeof confirmOrder>[0]["input"] };
  }): Promise<number> {
    const { order } = await placeOrder(ctx.db, rep, { items: opts.items, now: at(opts.created) });
    if (opts.confirm)
      await confirmOrder({ db: ctx.db, principal: operator, id: order.id, input: opts.confirm.input, now: at(opts.confirm.at) });
    return order.id;
  }
  const act = (id: number, station: string, action: "bump" | "recall", when: Date) =>
    stationAction({ db: ctx.db, principal: operator, id, station, action, now: when });
  async function soldOut(food: string, available: boolean, when: string) {
    await setAvailability({ db: ctx.db, principal: operator, target: { kind: "food", id: rep.food(food).id }, available });
    // The log stamps its own clock; the fixture moves the event to the instant it stands for.
    const last = await ctx.db.selectFrom("events").select("id").orderBy("id", "desc").limit(1).executeTakeFirstOrThrow();
    await ctx.db.updateTable("events").set({ createdAt: when }).where("id", "=", last.id).execute();
  }

  beforeAll(async () => {
    rep = await makePartner(ctx.db, "rep", PARIS);
    await makePartner(ctx.db, "other");
    ({ principal: operator } = await makeUser(ctx.db, { partnerId: rep.partner.id, role: "operator", username: "rep-op" }));
    ({ principal: admin } = await makeUser(ctx.db, { partnerId: null, role: "admin", username: "rep-admin" }));
    const other = await ctx.db.selectFrom("partners").select("id").where("slug", "=", "other").executeTakeFirstOrThrow();
    ({ principal: otherOperator } = await makeUser(ctx.db, { partnerId: other.id, role: "operator", username: "other-op" }));

    // A — Saturday 12:30 CET: Margherita (12.50 + 0.50 surcharge) + Fries 4.50 = 17.50, cash.
    // Fired at the confirm 11:31:00Z; the oven bumps 630 s later, the fryer 240 s later.
    const a = await sale({
      created: "2026-03-28T11:30:00Z",
      items: [{ food: "Margherita" }, { food: "Fries" }],
      confirm: { at: "2026-03-28T11:31:00Z", input: { paymentMethod: "CASH" } },
    });
    await act(a, "fryer", "bump", plus("2026-03-28T11:31:00Z", 240));
    await act(a, "oven", "bump", plus("2026-03-28T11:31:00Z", 630));

    // B — Sunday 00:30 CET (after midnight, before the cut-over): 2 Lemonade 7.00 − 1.00 = 6.00, card; bar 120 s.
    const b = await sale({
      created: "2026-03-28T23:30:00Z",
      items: [{ food: "Lemonade", quantity: 2 }],
      confirm: { at: "2026-03-28T23:30:30Z", input: { paymentMethod: "CARD", discount: "1.00" } },
    });
    await act(b, "bar", "bump", plus("2026-03-28T23:30:30Z", 120));

    // C — Sunday 03:30 CEST (after the clocks went forward, still before 04:00): Fries 4.50 split
    // 2.00 cash + 2.50 card. Bumped at 300 s, recalled, bumped again at 960 s: late (> 10 min × 150 % = 900 s), 1 recall.
    const c = await sale({
      created: "2026-03-29T01:30:00Z",
      items: [{ food: "Fries" }],
      confirm: {
        at: "2026-03-29T01:31:00Z",
        input: {
          payments: [
            { method: "CASH", amount: "2.00" },
            { method: "CARD", amount: "2.50" },
          ],
        },
      },
    });
    await act(c, "fryer", "bump", plus("2026-03-29T01:31:00Z", 300));
    await act(c, "fryer", "recall", plus("2026-03-29T01:31:00Z", 310));
    await act(c, "fryer", "bump", plus("2026-03-29T01:31:00Z", 960));

    // D — Sunday 04:30 CEST: the next business day (2026-03-29), Margherita 13.00.
    await sale({
      created: "2026-03-29T02:30:00Z",
      items: [{ food: "Margherita" }],
      confirm: { at: "2026-03-29T02:31:00Z", input: { paymentMethod: "CARD" } },
    });

    // E — paid then cancelled ("Guest left"): a refund of 3.50. F — cancelled while pending ("Out of stock") 4.50.
    const e = await sale({
      created: "2026-03-28T12:00:00Z",
      items: [{ food: "Lemonade" }],
      confirm: { at: "2026-03-28T12:01:00Z", input: { paymentMethod: "CASH" } },
    });
    await changeStatus({
      db: ctx.db,
      principal: operator,
      id: e,
      status: "CANCELLED",
      reason: "Guest left",
      now: at("2026-03-28T12:05:00Z"),
    });
    const f = await sale({ created: "2026-03-28T12:10:00Z", items: [{ food: "Fries" }] });
    await changeStatus({
      db: ctx.db,
      principal: operator,
      id: f,
      status: "CANCELLED",
      reason: "Out of stock",
      now: at("2026-03-28T12:11:00Z"),
    });
    // G — still pending: not counted anywhere.
    pendingG = await sale({ created: "2026-03-28T12:20:00Z", items: [{ food: "Margherita", quantity: 3 }] });

    // The Saturday before (2026-03-21): one Margherita, 13.00, card.
    await sale({
      created: "2026-03-21T12:00:00Z",
      items: [{ food: "Margherita" }],
      confirm: { at: "2026-03-21T12:01:00Z", input: { paymentMethod: "CARD" } },
    });

    // 86: Lemonade out 15:00–15:45 CET (45 min); Fries out from 03:00 CEST to the end of the day (60 min).
    await soldOut("Lemonade", false, "2026-03-28T14:00:00.000Z");
    await soldOut("Lemonade", true, "2026-03-28T14:45:00.000Z");
    await soldOut("Fries", false, "2026-03-29T01:00:00.000Z");
  }, 60_000);

  it("totals, payment split, cancellations and refunds of the DST day", async () => {
    const f = await reportSummary({
      db: ctx.db,
      principal: operator,
      query: { from: "2026-03-28", to: "2026-03-28" },
      now: at("2026-04-01T00:00:00Z"),
    });
    expect(f.start).toBe("2026-03-28T03:00:00.000Z");
    expect(f.end).toBe("2026-03-29T02:00:00.000Z");
    // Sold: A 1750 + B 600 + C 450 = 2800 over 3 orders → 933.33 → 933.
    expect(f.totals).toEqual({
      orders: 3,
      revenue: 2800,
      averageTicket: 933,
      subTotal: 1250 + 450 + 700 + 450,
      discounts: 100,
      discountedOrders: 1,
      surcharges: 50,
      cancelled: 2,
      cancelledAmount: 350 + 450,
      refunds: 1,
      refundAmount: 350,
    });
    expect(f.days).toEqual([{ businessDay: "2026-03-28", orders: 3, revenue: 2800, averageTicket: 933 }]);
    // Cash: A 1750 + C 200; card: B 600 + C 250. E's cash is not a sale.
    expect(f.payments).toEqual([
      { method: "CASH", orders: 2, amount: 1950 },
      { method: "CARD", orders: 2, amount: 850 },
    ]);
    expect(f.cancellations).toEqual([
      { reason: "Guest left", orders: 1, amount: 350, refunds: 1, refundAmount: 350 },
      { reason: "Out of stock", orders: 1, amount: 450, refunds: 0, refundAmount: 0 },
    ]);
    expect(f.compare).toEqual({
      from: "2026-03-21",
      to: "2026-03-21",
      totals: expect.objectContaining({ orders: 1, revenue: 1300, averageTicket: 1300 }),
      days: [{ businessDay: "2026-03-21", orders: 1, revenue: 1300, averageTicket: 1300 }],
    });
  });

  it("item sales with 86 time, speed of service per station and item, the heat map", async () => {
    const f = await reportSummary({
      db: ctx.db,
      principal: operator,
      query: { from: "2026-03-28", to: "2026-03-28" },
      now: at("2026-04-01T00:00:00Z"),
    });
    // Line totals before the order's discount; Fries: A 1 + C 1.
    expect(f.items.map(({ name, quantity, revenue, soldOutMinutes }) => ({ name, quantity, revenue, soldOutMinutes }))).toEqual([
      { name: "Fries", quantity: 2, revenue: 900, soldOutMinutes: 60 },
      { name: "Lemonade", quantity: 2, revenue: 700, soldOutMinutes: 45 },
      { name: "Margherita", quantity: 1, revenue: 1300, soldOutMinutes: 0 },
    ]);
    expect(f.soldOutComplete).toBe(true);
    // fryer: 240 s and 960 s → median (rank 1) 240, p90 (rank 2) 960; 960 > 900 is late; C's recall.
    expect(f.stations).toEqual([
      { station: "bar", parts: 1, medianSeconds: 120, p90Seconds: 120, late: 0, recalls: 0 },
      { station: "fryer", parts: 2, medianSeconds: 240, p90Seconds: 960, late: 1, recalls: 1 },
      { station: "oven", parts: 1, medianSeconds: 630, p90Seconds: 630, late: 0, recalls: 0 },
    ]);
    expect(
      f.itemSpeed.map(({ name, station, parts, medianSeconds, p90Seconds, late, recalls }) => [
        name,
        station,
        parts,
        medianSeconds,
        p90Seconds,
        late,
        recalls,
      ]),
    ).toEqual([
      ["Fries", "fryer", 2, 240, 960, 1, 1],
      ["Margherita", "oven", 1, 630, 630, 0, 0],
      ["Lemonade", "bar", 1, 120, 120, 0, 0],
    ]);
    // A Saturday 12:30 CET; B Sunday 00:30 CET; C Sunday 03:30 CEST (the hour 02 does not exist that night).
    expect(f.heatmap).toEqual([
      { weekday: 6, hour: 12, orders: 1, revenue: 1750 },
      { weekday: 7, hour: 0, orders: 1, revenue: 600 },
      { weekday: 7, hour: 3, orders: 1, revenue: 450 },
    ]);
  });

  it("a range of two days adds the next business day's order; CSV has every table", async () => {
    const f = await reportSummary({ db: ctx.db, principal: admin, query: { partner: "rep", from: "2026-03-28", to: "2026-03-29" } });
    expect(f.totals.orders).toBe(4);
    expect(f.totals.revenue).toBe(4100);
    expect(f.days.map((d) => [d.businessDay, d.orders, d.revenue])).toEqual([
      ["2026-03-28", 3, 2800],
      ["2026-03-29", 1, 1300],
    ]);
    expect(f.compare.from).toBe("2026-03-21");
    expect(f.compare.to).toBe("2026-03-22");
    const csv = toCsv(f, "payments");
    expect(csv).toBe("method,orders,amount\r\nCARD,3,21.50\r\nCASH,2,19.50\r\n");
    const all = toCsv(f);
    for (const table of ["days", "payments", "cancellations", "items", "stations", "itemSpeed", "heatmap", "compare"])
      expect(all).toContain(`# ${table}\r\n`);
    expect(all).toContain("Guest left,1,3.50,1,3.50");
  });

  it("an operator sees only their partner (another is 404); bad ranges name the field", async () => {
    await expect(
      reportSummary({ db: ctx.db, principal: otherOperator, query: { partner: "rep", from: "2026-03-28", to: "2026-03-28" } }),
    ).rejects.toMatchObject({
      status: 404,
    });
    const other = await reportSummary({ db: ctx.db, principal: otherOperator, query: { from: "2026-03-28", to: "2026-03-28" } });
    expect(other.partner.slug).toBe("other");
    expect(other.totals.orders).toBe(0);
    const bad = (query: { partner?: string; from: string; to: string }, field: string) =>
      expect(reportSummary({ db: ctx.db, principal: admin, query })).rejects.toMatchObject({ status: 400, details: { field } });
    await bad({ from: "2026-03-28", to: "2026-03-28" }, "partner");
    await bad({ partner: "rep", from: "2026-02-30", to: "2026-03-28" }, "from");
    await bad({ partner: "rep", from: "2026-03-28", to: "2026-03-27" }, "to");
    await bad({ partner: "rep", from: "2025-01-01", to: "2026-03-28" }, "to");
  });

  it("a whole ended month is one stored unit that keeps its days' rows, and the same figures", async () => {
    const query = { from: "2026-02-20", to: "2026-04-02" };
    const first = await reportSummary({ db: ctx.db, principal: operator, query });
    const month = await ctx.db
      .selectFrom("reportDays")
      .select("groups")
      .where("partnerId", "=", rep.partner.id)
      .where("businessDay", "=", "2026-03")
      .executeTakeFirst();
    expect(month).toBeDefined();
    const again = await reportSummary({ db: ctx.db, principal: operator, query });
    expect(again).toEqual(first);
    // 21 March 13.00, 28 March 28.00, 29 March 13.00.
    expect(first.days.map((d) => [d.businessDay, d.orders, d.revenue])).toEqual([
      ["2026-03-21", 1, 1300],
      ["2026-03-28", 3, 2800],
      ["2026-03-29", 1, 1300],
    ]);
    expect(first.totals).toMatchObject({ orders: 5, revenue: 5400, cancelled: 2, refunds: 1 });
    expect(first.stations.find((x) => x.station === "fryer")).toEqual({
      station: "fryer",
      parts: 2,
      medianSeconds: 240,
      p90Seconds: 960,
      late: 1,
      recalls: 1,
    });
    // The same range computed day by day (nothing stored) agrees.
    await ctx.db.deleteFrom("reportDays").execute();
    const fresh = await reportSummary({ db: ctx.db, principal: operator, query });
    expect(fresh).toEqual(first);
  });

  it("an ended day's groups are stored and reused while its orders are unchanged, recomputed after a change", async () => {
    const query = { from: "2026-03-28", to: "2026-03-28" };
    await reportSummary({ db: ctx.db, principal: operator, query });
    const stored = await ctx.db
      .selectFrom("reportDays")
      .selectAll()
      .where("partnerId", "=", rep.partner.id)
      .where("businessDay", "=", "2026-03-28")
      .executeTakeFirstOrThrow();
    // Read back from the stored row: a marked copy shows through while the stamp matches.
    const marked = JSON.parse(stored.groups);
    marked.sums.orders = 99;
    await ctx.db
      .updateTable("reportDays")
      .set({ groups: JSON.stringify(marked) })
      .where("partnerId", "=", rep.partner.id)
      .where("businessDay", "=", "2026-03-28")
      .execute();
    expect((await reportSummary({ db: ctx.db, principal: operator, query })).totals.orders).toBe(99);
    // G is cancelled: the day's orders changed, so the day is computed again from them.
    await changeStatus({
      db: ctx.db,
      principal: operator,
      id: pendingG,
      status: "CANCELLED",
      reason: "Guest left",
      now: at("2026-03-28T12:30:00Z"),
    });
    const f = await reportSummary({ db: ctx.db, principal: operator, query });
    expect(f.totals.orders).toBe(3);
    expect(f.totals.cancelled).toBe(3);
    expect(f.cancellations[0]).toEqual({ reason: "Guest left", orders: 2, amount: 350 + 3900, refunds: 1, refundAmount: 350 });
  });
});
