// `npm run bench:jobs`: what the job runner costs and delivers, per node (issue "Jobs and
// notifications" item 5). On PostgreSQL (DATABASE_URL, a schema of its own, dropped after) and on
// SQLite (a temporary DATA_DIR), with this node's runtime settings (lib/jobs):
//   1. throughput: N jobs queued, one node drains them — no-op jobs (the engine alone) and
//      order:auto_confirm jobs (a whole confirm transaction each): jobs per second;
//   2. due → done: orders auto-confirmed 1 s after they are placed, one every 100 ms; the time
//      from the moment each was due to its confirmedAt (p50 / p95 / max);
//   3. idle: the runner started, no jobs, for IDLE seconds: this process's CPU.
// Options: --jobs=2000 --latency=40 --idle=20 --only=postgres|sqlite
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { generateVapidKeys, setConfig, type Config } from "../../lib/config";
import { migrateToLatest, openDatabase, setDbHandle, type DbHandle } from "../../lib/db";
import { JOB_TASKS, enqueueJob } from "../../lib/events/jobs";
import { createJobRunner, notificationChannels, passTasks, type JobRunner, type TaskList } from "../../lib/jobs";
import { installJobQueue } from "../../lib/jobs/graphile";
import { createPartner } from "../../lib/menu";
import { createOrder } from "../../lib/orders";
import { withSearchPath } from "../../lib/testing/db";

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=")));
const JOBS = Number(args.jobs ?? 2000);
const LATENCY = Number(args.latency ?? 40);
const IDLE_S = Number(args.idle ?? 20);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
setTimeout(() => {
  console.error("bench: hard stop");
  process.exit(2);
}, 15 * 60_000).unref();

function configFor(dataDir: string, databaseUrl: string | null): Config {
  return {
    port: 0,
    host: null,
    dataDir,
    databaseUrl,
    redisUrl: null,
    sessionSecret: crypto.randomBytes(32).toString("hex"),
    posUpstreamUrl: null,
    posUpstreamToken: null,
    keepaliveMs: 15_000,
    streamMaxLifeMs: 600_000,
    streamAdmissionLimit: 256,
    streamRetryJitter: 0.25,
    kitchenAckSeconds: 60,
    adminPassword: null,
    redisPrefix: null,
    replayMaxEvents: 10_000,
    rateLimitScale: 1,
    publicUrl: null,
    trustProxy: 0,
    allowedOrigins: [],
    headersTimeoutMs: 10_000,
    requestTimeoutMs: 30_000,
    healthToken: null,
    vapid: generateVapidKeys(),
    vapidSubject: "mailto:bench@pass.test",
    smsGatewayUrl: null,
    smsGatewayToken: null,
    webhookAllowPrivate: true,
    jobsConcurrency: 4,
  };
}

async function until(probe: () => Promise<boolean>, timeoutMs = 600_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error("bench: timed out");
    await sleep(20);
  }
}

async function bench(label: string, handle: DbHandle, config: Config) {
  const { db } = handle;
  const partner = await createPartner({
    db,
    slug: "bench",
    name: "Bench",
    foods: [{ name: "Fries", price: 450, category: "Sides", station: "fryer" }],
  });
  const food = await db.selectFrom("foods").select("id").where("partnerId", "=", partner.id).executeTakeFirstOrThrow();
  const items = [{ foodId: food.id, quantity: 1 }];
  const real = passTasks({ db, channels: notificationChannels(config) });
  let noops = 0;
  const tasks: TaskList = { ...real, [JOB_TASKS.autoCancel]: async () => void noops++ };
  const results: Record<string, string> = {};

  // 1a. the engine alone: no-op jobs.
  for (let i = 0; i < JOBS; i++) await enqueueJob(db, { task: JOB_TASKS.autoCancel, payload: { i } });
  let runner: JobRunner = createJobRunner({ handle, config, tasks, recurring: [] });
  let t0 = performance.now();
  await runner.start();
  await until(async () => noops >= JOBS);
  results["no-op jobs/s"] = (JOBS / ((performance.now() - t0) / 1000)).toFixed(0);
  await runner.stop();

  // 1b. auto-confirm jobs: each a confirm transaction with its ticket number and event.
  await db
    .updateTable("partners")
    .set({ autoConfirmSources: JSON.stringify(["kiosk"]), autoConfirmSeconds: null })
    .where("id", "=", partner.id)
    .execute();
  for (let i = 0; i < JOBS; i++) await createOrder({ db, principal: null, input: { partner: "bench", source: "kiosk", items } });
  runner = createJobRunner({ handle, config, tasks, recurring: [] });
  t0 = performance.now();
  await runner.start();
  const confirmedCount = async () =>
    Number(
      (
        await db
          .selectFrom("orders")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("status", "=", "CONFIRMED")
          .executeTakeFirstOrThrow()
      ).n,
    );
  await until(async () => (await confirmedCount()) >= JOBS);
  results["auto-confirm jobs/s"] = (JOBS / ((performance.now() - t0) / 1000)).toFixed(0);

  // 2. due → done, the runner already running.
  await db.updateTable("partners").set({ autoConfirmSeconds: 1 }).where("id", "=", partner.id).execute();
  const ids: number[] = [];
  for (let i = 0; i < LATENCY; i++) {
    ids.push((await createOrder({ db, principal: null, input: { partner: "bench", source: "kiosk", items } })).order.id);
    await sleep(100);
  }
  await until(async () => (await confirmedCount()) >= JOBS + LATENCY);
  const rows = await db.selectFrom("orders").select(["createdAt", "confirmedAt"]).where("id", "in", ids).execute();
  const lat = rows.map((r) => Date.parse(r.confirmedAt!) - (Date.parse(r.createdAt) + 1000)).sort((a, b) => a - b);
  results["due→done p50 ms"] = String(pct(lat, 0.5));
  results["due→done p95 ms"] = String(pct(lat, 0.95));
  results["due→done max ms"] = String(lat.at(-1));

  // 3. idle.
  await sleep(2_000);
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  await sleep(IDLE_S * 1000);
  const c = process.cpuUsage(c0);
  const wall = (performance.now() - w0) * 1000;
  results["idle CPU % of a core"] = ((100 * (c.user + c.system)) / wall).toFixed(2);
  results["idle CPU ms/min"] = (((c.user + c.system) / 1000 / (wall / 1e6)) * 60).toFixed(0);
  await runner.stop();
  console.log(`\n${label} (${runner.engine}, concurrency ${config.jobsConcurrency}, ${JOBS} jobs)`);
  for (const [k, v] of Object.entries(results)) console.log(`  ${k.padEnd(24)} ${v}`);
}

async function main() {
  const only = args.only as string | undefined;
  if (only !== "sqlite") {
    const base = process.env.DATABASE_URL;
    if (!base) console.log("bench: DATABASE_URL not set, PostgreSQL skipped");
    else {
      const schema = `bench_${crypto.randomBytes(4).toString("hex")}`;
      const admin = new pg.Client({ connectionString: base });
      await admin.connect();
      await admin.query(`create schema ${schema}`);
      const url = withSearchPath(base, schema);
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pass-bench-jobs-"));
      const config = configFor(dataDir, url);
      setConfig(config);
      const handle = openDatabase({ databaseUrl: url, dataDir });
      setDbHandle(handle);
      try {
        await migrateToLatest({ ...handle, schema });
        await installJobQueue({ db: handle.db, databaseUrl: url });
        await bench("PostgreSQL", handle, config);
      } finally {
        await handle.destroy();
        await admin.query(`drop schema ${schema} cascade`);
        await admin.query(`drop schema if exists ${schema}_jobs cascade`);
        await admin.end();
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    }
  }
  if (only !== "postgres") {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pass-bench-jobs-"));
    const config = configFor(dataDir, null);
    setConfig(config);
    const handle = openDatabase({ databaseUrl: null, dataDir });
    setDbHandle(handle);
    try {
      await migrateToLatest(handle);
      await bench("SQLite", handle, config);
    } finally {
      await handle.destroy();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
  process.exit(0);
}

await main();
