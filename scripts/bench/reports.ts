// `npm run bench:reports`: every report of /reports over a year of one busy restaurant (issue
// "Reports and end of day": 200,000 orders answer any report in ≤ 500 ms on SQLite and
// PostgreSQL). It generates the year (scripts/bench/reports-data.ts) into a temporary SQLite
// DATA_DIR and a PostgreSQL schema of its own (DATABASE_URL; dropped after), then times each
// report — and the whole summary, the Z report's figures and the CSV export — over one day, a
// week, a month and the year: the median and the worst of RUNS runs after one warm-up. The
// same-run baseline: the year's summary again with migration 0020's report indexes dropped.
// A bench, not a test: it prints figures and marks each ≤ 500 ms or over.
// Options: --orders=200000 --days=365 --runs=5 --only=sqlite|postgres --no-baseline
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import pg from "pg";
import { migrateToLatest, openDatabase, type Db, type DbHandle } from "../../lib/db";
import { addDays } from "../../lib/reports/days";
import { computeDayGroups, type ReportPartner, reportFigures } from "../../lib/reports/figures";
import { toCsv } from "../../lib/reports/csv";
import { renderZReportPdf } from "../../lib/reports/pdf";
import { withSearchPath } from "../../lib/testing/db";
import { generateYear } from "./reports-data";

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=")));
const ORDERS = Number(args.orders ?? 200_000);
const DAYS = Number(args.days ?? 365);
const RUNS = Number(args.runs ?? 5);
const BUDGET_MS = 500;
const REPORT_INDEXES = ["orders_partner_day", "events_partner_type_created"];
setTimeout(() => {
  console.error("bench: hard stop");
  process.exit(2);
}, 30 * 60_000).unref();

type Report = { name: string; run: (db: Db, p: ReportPartner, from: string, to: string) => Promise<unknown> };
const summary = (db: Db, partner: ReportPartner, from: string, to: string) => reportFigures({ db, partner, from, to });
const REPORTS: Report[] = [
  // What GET /api/reports/summary answers: every table at once, JSON.
  { name: "summary (JSON)", run: async (db, p, f, t) => JSON.stringify(await summary(db, p, f, t)) },
  { name: "summary (CSV)", run: async (db, p, f, t) => toCsv(await summary(db, p, f, t)) },
  { name: "one table (CSV)", run: async (db, p, f, t) => toCsv(await summary(db, p, f, t), "itemSpeed") },
];

async function time(fn: () => Promise<unknown>): Promise<{ median: number; max: number }> {
  await fn();
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { median: ms[Math.floor(ms.length / 2)]!, max: ms[ms.length - 1]! };
}

const fmt = (ms: number) => `${ms.toFixed(1).padStart(7)} ms`;

async function bench(label: string, handle: DbHandle): Promise<{ over: number; worst: number }> {
  const { db } = handle;
  const t0 = performance.now();
  const g = await generateYear(db, { orders: ORDERS, days: DAYS });
  // The statistics (and on PostgreSQL the visibility map index-only scans need) a running database
  // has from its autovacuum; a freshly bulk-loaded one has neither.
  if (handle.dialect === "postgres") await sql`vacuum analyze`.execute(db);
  else await sql`analyze`.execute(db);
  console.log(
    `\n${label}: generated ${g.orders} orders, ${g.lines} lines, ${g.parts} parts over ${g.from} … ${g.to} in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const row = await db.selectFrom("partners").selectAll().where("id", "=", g.partnerId).executeTakeFirstOrThrow();
  const partner: ReportPartner = {
    id: row.id,
    slug: row.slug,
    name: row.name,
    currency: row.currency,
    locale: row.locale,
    timezone: row.timezone,
    cutoverHour: Number(row.cutoverHour),
  };
  const ranges = [
    { name: "1 day", from: g.to, to: g.to },
    { name: "7 days", from: addDays(g.to, -6), to: g.to },
    { name: "30 days", from: addDays(g.to, -29), to: g.to },
    { name: `${DAYS} days`, from: g.from, to: g.to },
  ];
  // Cold: nothing stored yet — every table computed from the orders (what the first report of a
  // range costs before the Z job has stored its days). Warm: every ended day stored, as the Z job
  // leaves them at each cut-over — the steady state every report below runs in.
  console.log(`${"".padEnd(18)}${ranges.map((r) => `${r.name} (median / max)`.padStart(32)).join("")}`);
  const cold: string[] = [];
  for (const r of ranges) {
    const { median, max } = await time(() => computeDayGroups(db, { partnerId: partner.id, from: r.from, to: r.to }));
    cold.push(`${fmt(median)} / ${fmt(max)}  `.padStart(32));
  }
  console.log(`${"cold: from orders".padEnd(18)}${cold.join("")}`);
  const t1 = performance.now();
  await summary(db, partner, g.from, g.to);
  console.log(`storing every ended day's groups (what the Z jobs did over the year): ${((performance.now() - t1) / 1000).toFixed(1)} s`);
  let over = 0;
  let worst = 0;
  for (const report of REPORTS) {
    const cells: string[] = [];
    for (const r of ranges) {
      const { median, max } = await time(() => report.run(db, partner, r.from, r.to));
      worst = Math.max(worst, max);
      if (max > BUDGET_MS) over++;
      cells.push(`${fmt(median)} / ${fmt(max)}${max > BUDGET_MS ? " !" : "  "}`.padStart(32));
    }
    console.log(`${report.name.padEnd(18)}${cells.join("")}`);
  }
  // The Z report: one day's figures and its PDF, as the job at the cut-over writes them.
  const z = await time(async () => renderZReportPdf(await summary(db, partner, g.to, g.to), { writtenAt: new Date().toISOString() }));
  console.log(`${"Z report + PDF".padEnd(18)}${`${fmt(z.median)} / ${fmt(z.max)}`.padStart(32)}`);
  if (args["no-baseline"] === undefined) {
    const year = { partnerId: partner.id, from: g.from, to: g.to };
    const withIndexes = await time(() => computeDayGroups(db, year));
    for (const name of REPORT_INDEXES) await sql`drop index ${sql.id(name)}`.execute(db);
    await sql`analyze`.execute(db);
    const without = await time(() => computeDayGroups(db, year));
    console.log(
      `baseline (same run): the year computed from its orders ${fmt(withIndexes.median)} with migration 0020's indexes, ${fmt(without.median)} without them; the year's summary from stored days: see the table above`,
    );
  }
  console.log(
    `${label}: ${over === 0 ? `every report ≤ ${BUDGET_MS} ms` : `${over} report×range over ${BUDGET_MS} ms`} (worst ${worst.toFixed(1)} ms)`,
  );
  return { over, worst };
}

const only = args.only as string | undefined;
if (only !== "postgres") {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pass-bench-reports-"));
  const handle = openDatabase({ databaseUrl: null, dataDir });
  await migrateToLatest(handle);
  try {
    await bench("SQLite", handle);
  } finally {
    await handle.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
if (only !== "sqlite") {
  const base = process.env.DATABASE_URL;
  if (!base) console.log("\nPostgreSQL: skipped (DATABASE_URL is not set)");
  else {
    const schema = `bench_reports_${process.pid}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    const handle = openDatabase({ databaseUrl: withSearchPath(base, schema), dataDir: os.tmpdir() });
    try {
      await migrateToLatest({ ...handle, schema });
      await bench("PostgreSQL", handle);
    } finally {
      await handle.destroy();
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    }
  }
}
