// A year of one busy restaurant, for the reports' benchmark (issue "Reports and end of day"):
// `generateYear` writes N orders (default 200,000) over the last D business days of one partner —
// lunch and dinner rushes, a late service past midnight, weekends busier — with their lines,
// station parts (fired → done times around each dish's target, a few late, a few recalled),
// payments (cash, card, other, some split), discounts, cancellations with reasons (some after
// payment: refunds) and the menu's sold-out ("86") events. Deterministic (a seeded PRNG), written
// in batches straight into the tables the app writes (lib/db/schema.ts), so a year takes seconds
// to a minute, not the hours the API would.
//
// Standalone: DATA_DIR=/tmp/x [DATABASE_URL=…] node --conditions=react-server --import tsx scripts/bench/reports-data.ts [--orders=200000] [--days=365]
import type { Db } from "../../lib/db";
import { newId } from "../../lib/db";
import { createPartner, type FoodSeed } from "../../lib/menu";
import { businessDay, displayCode } from "../../lib/orders/business-day";
import { addDays, dayStart } from "../../lib/reports/days";

const STATIONS = ["grill", "fryer", "bar", "cold", "oven"] as const;
const MENU: FoodSeed[] = Array.from({ length: 30 }, (_, i) => ({
  name: `Dish ${String(i + 1).padStart(2, "0")}`,
  price: 350 + ((i * 137) % 1900),
  surcharge: i % 7 === 0 ? 50 : 0,
  category: `Category ${i % 6}`,
  station: STATIONS[i % STATIONS.length]!,
}));
const REASONS = ["Guest left", "Out of stock", "Wrong order", "Kitchen closed", "Duplicate"];

/** mulberry32: a small, fast, seeded PRNG. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Generated = { partnerId: string; slug: string; from: string; to: string; orders: number; lines: number; parts: number };

async function insertBatches(
  db: Db,
  table: "orders" | "orderItems" | "lineParts" | "payments" | "events",
  rows: Record<string, unknown>[],
) {
  const size = table === "orders" ? 400 : 1000;
  for (let i = 0; i < rows.length; i += size) {
    await db
      .insertInto(table)
      .values(rows.slice(i, i + size) as any)
      .execute();
  }
}

export async function generateYear(
  db: Db,
  {
    orders = 200_000,
    days = 365,
    slug = "busy",
    seed = 17,
    now = new Date(),
  }: { orders?: number; days?: number; slug?: string; seed?: number; now?: Date } = {},
): Promise<Generated> {
  const rand = prng(seed);
  const timezone = "Europe/Paris";
  const cutoverHour = 4;
  const clock = { timezone, cutoverHour };
  const partner = await createPartner({
    db,
    slug,
    name: "Busy Brasserie",
    timezone,
    cutoverHour,
    currency: "EUR",
    locale: "fr-FR",
    foods: MENU,
  });
  const foods = await db
    .selectFrom("foods")
    .select(["id", "name", "price", "surcharge", "station"])
    .where("partnerId", "=", partner.id)
    .execute();
  // Through today: a range that includes today reads today's orders live, the ended days from their stored groups.
  const to = businessDay({ at: now, ...clock });
  const from = addDays(to, -(days - 1));
  await db
    .updateTable("partners")
    .set({ createdAt: dayStart(from, clock).toISOString() })
    .where("id", "=", partner.id)
    .execute();
  // Orders per day: weekends × 1.4, scaled so the year adds up to `orders` exactly.
  const weights = Array.from({ length: days }, (_, i) => {
    const w = new Date(`${addDays(from, i)}T00:00:00Z`).getUTCDay();
    return w === 5 || w === 6 ? 1.4 : w === 0 ? 1.2 : 1;
  });
  const sum = weights.reduce((a, b) => a + b, 0);
  const perDay = weights.map((w) => Math.floor((w / sum) * orders));
  perDay[days - 1]! += orders - perDay.reduce((a, b) => a + b, 0);

  let orderId = 1;
  let lines = 0;
  let partsCount = 0;
  let lastEvent = Number((await db.selectFrom("logMeta").select("lastEventId").executeTakeFirst())?.lastEventId ?? 0);
  for (let d = 0; d < days; d++) {
    const day = addDays(from, d);
    const start = dayStart(day, clock).getTime();
    const orderRows: Record<string, unknown>[] = [];
    const itemRows: Record<string, unknown>[] = [];
    const partRows: Record<string, unknown>[] = [];
    const paymentRows: Record<string, unknown>[] = [];
    const eventRows: Record<string, unknown>[] = [];
    for (let n = 1; n <= perDay[d]!; n++) {
      // Local hour since the 04:00 cut-over: lunch (11–14), dinner (18–23), a late tail to 01:30.
      const r = rand();
      const hour = r < 0.42 ? 11 + rand() * 3 : r < 0.93 ? 18 + rand() * 5 : 23 + rand() * 2.5;
      const created = start + (hour - cutoverHour) * 3_600_000 + Math.floor(rand() * 60_000);
      const confirmedAt = created + 20_000 + Math.floor(rand() * 100_000);
      const fate = rand();
      const status = fate < 0.02 ? "CANCELLED" : "PICKED_UP";
      const paidThenCancelled = status === "CANCELLED" && rand() < 0.5;
      const count = 1 + Math.floor(rand() * 4);
      let subTotal = 0;
      let surcharge = 0;
      let lastDone = confirmedAt;
      for (let p = 0; p < count; p++) {
        const food = foods[Math.floor(rand() * foods.length)]!;
        const quantity = 1 + Math.floor(rand() * rand() * 3);
        const itemId = newId();
        subTotal += Number(food.price) * quantity;
        surcharge += Number(food.surcharge) * quantity;
        itemRows.push({
          id: itemId,
          orderId,
          position: p,
          foodId: food.id,
          name: food.name,
          station: food.station,
          quantity,
          unitPrice: Number(food.price),
          unitSurcharge: Number(food.surcharge),
          total: (Number(food.price) + Number(food.surcharge)) * quantity,
          notes: null,
        });
        const cooked = status !== "CANCELLED" || paidThenCancelled;
        // 3–25 minutes, most around 8: a few beyond the 15-minute late line (10 min target × 150 %).
        const seconds = Math.round(180 + 300 * -Math.log(1 - rand() * 0.98) + rand() * 120);
        const done = confirmedAt + seconds * 1000;
        lastDone = Math.max(lastDone, done);
        partRows.push({
          id: newId(),
          orderId,
          orderItemId: itemId,
          station: food.station,
          course: 1,
          position: p,
          state: cooked && status !== "CANCELLED" ? "DONE" : "QUEUED",
          firedAt: new Date(confirmedAt).toISOString(),
          startedAt: cooked && status !== "CANCELLED" ? new Date(confirmedAt + 30_000).toISOString() : null,
          startedBy: null,
          doneAt: cooked && status !== "CANCELLED" ? new Date(done).toISOString() : null,
          doneBy: null,
          targetMinutes: 10,
          recalls: rand() < 0.01 ? 1 : 0,
        });
      }
      lines += count;
      partsCount += count;
      const discount = rand() < 0.05 ? Math.round((subTotal + surcharge) * 0.1) : 0;
      const total = subTotal + surcharge - discount;
      const confirmed = status !== "CANCELLED" || paidThenCancelled;
      const pm = rand();
      const method = pm < 0.35 ? "CASH" : pm < 0.95 ? "CARD" : "OTHER";
      if (confirmed) {
        if (rand() < 0.03 && total > 1) {
          const half = Math.floor(total / 2);
          paymentRows.push({
            orderId,
            position: 0,
            method: "CASH",
            amount: half,
            tendered: null,
            change: null,
            createdAt: new Date(confirmedAt).toISOString(),
          });
          paymentRows.push({
            orderId,
            position: 1,
            method: "CARD",
            amount: total - half,
            tendered: null,
            change: null,
            createdAt: new Date(confirmedAt).toISOString(),
          });
        } else {
          paymentRows.push({
            orderId,
            position: 0,
            method,
            amount: total,
            tendered: null,
            change: null,
            createdAt: new Date(confirmedAt).toISOString(),
          });
        }
      }
      const changed = status === "CANCELLED" ? confirmedAt + 60_000 : lastDone + 60_000;
      orderRows.push({
        id: orderId,
        partnerId: partner.id,
        businessDay: day,
        dayOrdinal: n,
        displayCode: displayCode(n),
        ticketNumber: confirmed ? n : null,
        table: rand() < 0.5 ? String(1 + Math.floor(rand() * 30)) : null,
        customer: null,
        source: ["counter", "kiosk", "qr", "delivery"][Math.floor(rand() * 4)],
        priority: "NORMAL",
        status,
        paymentMethod: confirmed ? method : null,
        subTotal,
        discount,
        surcharge,
        total,
        createdAt: new Date(created).toISOString(),
        confirmedAt: confirmed ? new Date(confirmedAt).toISOString() : null,
        statusChangedAt: new Date(changed).toISOString(),
        userId: null,
        cashRegisterId: null,
        courierName: null,
        cancelReason: status === "CANCELLED" ? REASONS[Math.floor(rand() * REASONS.length)] : null,
        trackingTokenHash: null,
      });
      orderId++;
    }
    // About twice a week a dish runs out at dinner and comes back the next day.
    if (rand() < 0.3) {
      const food = foods[Math.floor(rand() * foods.length)]!;
      const out = start + (20 - cutoverHour) * 3_600_000;
      for (const [available, at] of [
        [false, out],
        [true, out + Math.floor(rand() * 4 * 3_600_000)],
      ] as const) {
        lastEvent++;
        eventRows.push({
          id: lastEvent,
          partnerId: partner.id,
          type: "food.updated",
          orderId: null,
          payloadVersion: 2,
          payload: JSON.stringify({ food: { id: food.id, name: food.name, available }, changed: { available } }),
          createdAt: new Date(at).toISOString(),
        });
      }
    }
    await db.transaction().execute(async (trx) => {
      await insertBatches(trx, "orders", orderRows);
      await insertBatches(trx, "orderItems", itemRows);
      await insertBatches(trx, "lineParts", partRows);
      await insertBatches(trx, "payments", paymentRows);
      if (eventRows.length) await insertBatches(trx, "events", eventRows);
    });
  }
  await db.updateTable("logMeta").set({ lastEventId: lastEvent }).where("id", "=", 1).execute();
  return { partnerId: partner.id, slug, from, to, orders: orderId - 1, lines, parts: partsCount };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { loadConfig, setConfig } = await import("../../lib/config");
  const { migrateToLatest, openDatabase } = await import("../../lib/db");
  const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=")));
  const config = loadConfig();
  setConfig(config);
  const handle = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await migrateToLatest(handle);
  const t0 = performance.now();
  const g = await generateYear(handle.db, {
    orders: Number(args.orders ?? 200_000),
    days: Number(args.days ?? 365),
    slug: args.slug ?? "busy",
  });
  console.log(
    `generated ${g.orders} orders, ${g.lines} lines on '${g.slug}' ${g.from} … ${g.to} in ${Math.round(performance.now() - t0)} ms`,
  );
  await handle.destroy();
}
