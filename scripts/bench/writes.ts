// `npm run bench:writes`: commits per second of the write path on PostgreSQL with writers of many
// partners at once (issue 18 item 1). 16 writers, each placing orders (lib/orders createOrder:
// the whole transaction, its events, outbox and jobs) for a partner drawn at random from 50.
//
// Two ways to take an event's position, on the same database, in the same run, alternating:
//   - "global lock" (PASS_EVENT_ORDER=global-lock): the old path, the position taken inside the
//     transaction under the one logMeta row lock — every restaurant commits one at a time;
//   - "sequenced": the current path (lib/events/log.ts) — no lock across partners in the
//     transaction, positions stamped right after the commit.
// Scenarios: "createOrder" (the real transaction, database on this machine) and "held 5 ms"
// (a mutate that appends one event and then keeps its transaction open 5 ms, standing for a
// transaction with more work or a database a few round trips away).
// After each scenario the log is checked: dense positions 1..N, none left unstamped.
// Options: --seconds=5 --writers=16 --partners=50 --rounds=2
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { generateVapidKeys, setConfig, type Config } from "../../lib/config";
import { migrateToLatest, setDbHandle, type Database } from "../../lib/db";
import { mutate } from "../../lib/events";
import { installJobQueue } from "../../lib/jobs/graphile";
import { createPartner } from "../../lib/menu";
import { createOrder } from "../../lib/orders";
import { withSearchPath } from "../../lib/testing/db";

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=")));
const SECONDS = Number(args.seconds ?? 5);
const WRITERS = Number(args.writers ?? 16);
const PARTNERS = Number(args.partners ?? 50);
const ROUNDS = Number(args.rounds ?? 2);
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
    streamAdmissionLimit: 256,
    streamRetryJitter: 0.25,
  };
}

type Mode = "global lock" | "sequenced";

function setMode(mode: Mode) {
  if (mode === "global lock") process.env.PASS_EVENT_ORDER = "global-lock";
  else delete process.env.PASS_EVENT_ORDER;
}

async function run(mode: Mode, work: (partner: number) => Promise<void>): Promise<number> {
  setMode(mode);
  let commits = 0;
  const until = performance.now() + SECONDS * 1000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      while (performance.now() < until) {
        await work(Math.floor(Math.random() * PARTNERS));
        commits++;
      }
    }),
  );
  return commits / ((performance.now() - t0) / 1000);
}

async function checkLog(db: Kysely<Database>) {
  const row = await db
    .selectFrom("events")
    .select((eb) => [
      eb.fn.countAll<number>().as("n"),
      eb.fn.max("id").as("top"),
      eb.fn.count<number>("id").as("stamped"),
      sql<number>`count(distinct id)`.as("distinct"),
    ])
    .executeTakeFirstOrThrow();
  const meta = await db.selectFrom("logMeta").select("lastEventId").where("id", "=", 1).executeTakeFirstOrThrow();
  const [n, top, stamped, distinct] = [Number(row.n), Number(row.top), Number(row.stamped), Number(row.distinct)];
  const ok = n === top && n === stamped && n === distinct && Number(meta.lastEventId) === top;
  if (!ok) throw new Error(`bench: the log is not dense: ${JSON.stringify({ n, top, stamped, distinct, meta })}`);
  return n;
}

async function main() {
  const base = process.env.DATABASE_URL;
  if (!base) {
    console.log("bench: set DATABASE_URL (PostgreSQL) — the lock this measures is PostgreSQL's");
    process.exit(1);
  }
  const schema = `bench_${crypto.randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const url = withSearchPath(base, schema);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pass-bench-writes-"));
  setConfig(configFor(dataDir, url));
  // A pool as large as the writers (the server's is 10): the bench measures the database side.
  const pool = new pg.Pool({ connectionString: url, max: WRITERS + 4 });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  setDbHandle({ db, dialect: "postgres", location: "bench", destroy: () => db.destroy() });
  try {
    await migrateToLatest({ db, dialect: "postgres", schema });
    await installJobQueue({ db, databaseUrl: url });
    const partners: { id: string; slug: string; items: { foodId: string; quantity: number }[] }[] = [];
    for (let i = 0; i < PARTNERS; i++) {
      const p = await createPartner({
        db,
        slug: `bench-${i}`,
        name: `Bench ${i}`,
        foods: [{ name: "Fries", price: 450, category: "Sides", station: "fryer" }],
      });
      const food = await db.selectFrom("foods").select("id").where("partnerId", "=", p.id).executeTakeFirstOrThrow();
      partners.push({ id: p.id, slug: `bench-${i}`, items: [{ foodId: food.id, quantity: 1 }] });
    }
    const scenarios: [string, (i: number) => Promise<void>][] = [
      [
        "createOrder",
        async (i) => {
          await createOrder({ db, principal: null, input: { partner: partners[i]!.slug, source: "kiosk", items: partners[i]!.items } });
        },
      ],
      [
        "held 5 ms",
        async (i) => {
          await mutate(db, async (trx, emit) => {
            await emit({ partnerId: partners[i]!.id, type: "order.status", orderId: null, version: 1, payload: { bench: true } });
            await sql`select pg_sleep(0.005)`.execute(trx);
          });
        },
      ],
    ];
    console.log(
      `bench:writes — PostgreSQL, ${WRITERS} writers over ${PARTNERS} partners, ${SECONDS} s a run, ${ROUNDS} rounds alternating`,
    );
    const table: Record<string, Record<string, string>> = {};
    for (const [name, work] of scenarios) {
      await run("sequenced", work); // warm-up (plans, caches), not counted
      const rates: Record<Mode, number[]> = { "global lock": [], sequenced: [] };
      for (let r = 0; r < ROUNDS; r++) {
        for (const mode of (r % 2 ? ["sequenced", "global lock"] : ["global lock", "sequenced"]) as Mode[]) {
          rates[mode].push(await run(mode, work));
        }
      }
      const events = await checkLog(db);
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      const before = mean(rates["global lock"]);
      const after = mean(rates.sequenced);
      table[name] = {
        "global lock (before) commits/s": before.toFixed(0),
        "sequenced (after) commits/s": after.toFixed(0),
        "after / before": `${(after / before).toFixed(2)}×`,
        runs: `${rates["global lock"].map((x) => x.toFixed(0)).join(" ")} | ${rates.sequenced.map((x) => x.toFixed(0)).join(" ")}`,
        "log after (dense, all stamped)": `${events} events`,
      };
    }
    console.table(table);
  } finally {
    setMode("sequenced");
    await db.destroy();
    await admin.query(`drop schema ${schema} cascade`);
    await admin.query(`drop schema if exists ${schema}_jobs cascade`);
    await admin.end();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  process.exit(0);
}

await main();
