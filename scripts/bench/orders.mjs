// `npm run bench:orders`: server CPU per request of the write path against a trivial route on the
// same server, same run (issue 18 item 2). A fresh built server (dist/server.mjs) on SQLite, and
// on PostgreSQL when DATABASE_URL is set (a schema of its own, dropped after); for each route a
// warm-up, then ROUNDS rounds of BATCH requests a route over keep-alive connections (CONCURRENCY
// at a time), the routes taking turns within each round so a slow spell of this shared machine
// falls on all of them alike:
//   - GET /api/health          the trivial route (one query, a small JSON answer)
//   - POST /api/orders         a ~1 KB order of five lines, operator token
//   - POST /api/orders/:id/confirm   {paymentMethod: "CASH"} on the orders just placed
//   - POST /api/orders/:id/status    {status: "PREPARING"} on the orders just confirmed
// CPU is the server process's on-CPU time summed over its threads (/proc/PID/task/*/schedstat,
// nanoseconds: the main thread, libuv's pool, V8's helpers), per route the total over all rounds
// divided by its requests; the spread is the lowest and highest round's ratio. "fresh": the
// trivial route measured alone on the same server before any order, and each route against it.
// Options: --batch=100 --rounds=10 --concurrency=4 --only=sqlite|postgres --warmup=600
//   --profile=DIR   the server runs with --cpu-prof into DIR (one .cpuprofile per database)
import { spawn, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=")));
const BATCH = Number(args.batch ?? 100);
const CONCURRENCY = Number(args.concurrency ?? 4);
// V8 needs thousands of requests before a route's CPU settles (a trivial route: 3.7 → 2.4 → 1.7 ms
// over its first 5,000 on this machine): warm every route well, then measure in ROUNDS that
// alternate the routes, so no route is measured colder than another.
const WARMUP = Number(args.warmup ?? 600);
const ROUNDS = Number(args.rounds ?? 10);
setTimeout(() => {
  console.error("bench: hard stop reached");
  process.exit(2);
}, 15 * 60_000).unref();

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function request(url, { method = "GET", headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent }, (res) => {
      let text = "";
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode, text }));
    });
    req.on("error", reject);
    req.setTimeout(30_000, () => req.destroy(new Error("timeout")));
    if (body) req.write(body);
    req.end();
  });
}

/** The process's on-CPU time in ms, all its threads (schedstat's first field is nanoseconds). */
function cpuMs(pid) {
  let ns = 0;
  for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(fs.readFileSync(`/proc/${pid}/task/${task}/schedstat`, "utf8").split(" ")[0]);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return ns / 1e6;
}

async function waitFor(url, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await request(url)).status === 200) return;
    } catch {
      // not up yet
    }
    await sleep(100);
  }
  throw new Error(`${url} did not come up`);
}

async function startPass(databaseUrl) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pass-bench-orders-"));
  const port = 22000 + Math.floor(Math.random() * 1000); // below the ephemeral range
  const env = {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(port),
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl ?? "",
    REDIS_URL: "",
    PASS_ADMIN_PASSWORD: "bench-admin-password",
    RATE_LIMIT_SCALE: "1000",
    // No unseen-ticket alarm within the run: each would be a mutation of its own, 60 s after its
    // order, landing on whichever route is being measured then.
    KITCHEN_ACK_SECONDS: "3600",
    NEXT_TELEMETRY_DISABLED: "1",
  };
  const cli = (...a) => spawnSync(process.execPath, [path.join(root, "dist/pass.mjs"), ...a], { cwd: root, env, encoding: "utf8" });
  const tok = cli("token", "add", "--partner", "demo", "--role", "operator", "--name", "bench orders");
  if (tok.status !== 0) throw new Error(`token add failed: ${tok.stderr}`);
  const token = tok.stdout.trim().split("\n").at(-1);
  const profile = args.profile ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(args.profile)}`] : [];
  const child = spawn(process.execPath, [...profile, path.join(root, "dist/server.mjs")], {
    cwd: root,
    env,
    stdio: ["ignore", "ignore", "inherit"],
  });
  const base = `http://127.0.0.1:${port}`;
  await waitFor(`${base}/api/health`);
  const menu = JSON.parse((await request(`${base}/api/menu?partner=demo`)).text);
  // Dishes without a required modifier group (the demo's burgers need a "Doneness").
  const required = new Set((menu.modifierGroups ?? []).filter((g) => g.min > 0).map((g) => g.id));
  const foods = menu.foods.filter((f) => !(f.modifierGroupIds ?? []).some((id) => required.has(id)));
  const orderBody = JSON.stringify({
    partner: "demo",
    table: "12",
    customer: "Bench Customer",
    items: foods
      .slice(0, 5)
      .map((f, i) => ({ foodId: f.id, quantity: 1 + (i % 3), notes: `note ${i}: no onions, extra sauce on the side` })),
  });
  return {
    pid: child.pid,
    base,
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    orderBody,
    stop: async () => {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs `count` calls of `one(i)`, CONCURRENCY at a time; the server's CPU for them, in ms. */
async function measure(pass, count, one) {
  let next = 0;
  const before = cpuMs(pass.pid);
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) await one(next++);
    }),
  );
  await sleep(100); // what the requests left behind (the hub's delivery, print planning) is theirs too
  return cpuMs(pass.pid) - before;
}

async function benchOne(label, databaseUrl) {
  const pass = await startPass(databaseUrl);
  try {
    const expect = (res, status, what) => {
      if (res.status !== status) throw new Error(`${what}: ${res.status} ${res.text.slice(0, 300)}`);
      return JSON.parse(res.text);
    };
    const health = () => request(`${pass.base}/api/health`).then((r) => expect(r, 200, "health"));
    const create = () =>
      request(`${pass.base}/api/orders`, { method: "POST", headers: pass.headers, body: pass.orderBody }).then(
        (r) => expect(r, 201, "create").id,
      );
    const confirm = (id) =>
      request(`${pass.base}/api/orders/${id}/confirm`, { method: "POST", headers: pass.headers, body: '{"paymentMethod":"CASH"}' }).then(
        (r) => expect(r, 200, "confirm"),
      );
    const status = (id) =>
      request(`${pass.base}/api/orders/${id}/status`, { method: "POST", headers: pass.headers, body: '{"status":"PREPARING"}' }).then((r) =>
        expect(r, 200, "status"),
      );
    // The trivial route on the fresh server too, before any order (warmed alone, 5,000 requests:
    // it is still settling after 3,000): the floor the same-run figure is read against — that one
    // also carries the GC of a heap the orders grew.
    for (let i = 0; i < 5000; i++) await health();
    const fresh = (await measure(pass, 5 * BATCH, () => health())) / (5 * BATCH);
    // Warm-up: every route compiled, its plans cached and its code optimised.
    const warm = [];
    for (let i = 0; i < WARMUP; i++) {
      await health();
      await health();
      warm.push(await create());
    }
    for (const id of warm) await confirm(id);
    for (const id of warm) await status(id);
    const routes = ["trivial GET /api/health", "POST /api/orders", "POST …/confirm", "POST …/status"];
    const total = Object.fromEntries(routes.map((k) => [k, 0]));
    const ratios = Object.fromEntries(routes.map((k) => [k, []]));
    for (let round = 0; round < ROUNDS; round++) {
      const ids = [];
      const ms = [
        await measure(pass, BATCH, () => health()),
        await measure(pass, BATCH, async () => ids.push(await create())),
        await measure(pass, BATCH, (i) => confirm(ids[i])),
        await measure(pass, BATCH, (i) => status(ids[i])),
      ];
      routes.forEach((k, i) => {
        total[k] += ms[i];
        ratios[k].push(ms[i] / ms[0]);
      });
    }
    const per = (k) => total[k] / (ROUNDS * BATCH);
    const trivial = per(routes[0]);
    const out = { "trivial, fresh server": `${fresh.toFixed(2)} ms` };
    for (const k of routes) {
      const v = per(k);
      if (k === routes[0]) out[k] = `${v.toFixed(2)} ms`;
      else {
        const lo = Math.min(...ratios[k]).toFixed(2);
        const hi = Math.max(...ratios[k]).toFixed(2);
        out[k] = `${v.toFixed(2)} ms (${(v / trivial).toFixed(2)}×, ${lo}–${hi}; ${(v / fresh).toFixed(2)}× fresh)`;
      }
    }
    return { [label]: out };
  } finally {
    await pass.stop();
  }
}

async function main() {
  if (!fs.existsSync(path.join(root, "dist/server.mjs")) || !fs.existsSync(path.join(root, ".next/BUILD_ID"))) {
    console.error("bench: building first");
    if (spawnSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" }).status !== 0) process.exit(1);
  }
  console.log(
    `bench:orders — server CPU per request over ${ROUNDS} rounds of ${BATCH} requests a route (taking turns) after ${WARMUP} warm-up orders, ${CONCURRENCY} at a time, loopback; (ratio to the trivial route, lowest–highest round)`,
  );
  const table = {};
  if (args.only !== "postgres") Object.assign(table, await benchOne("SQLite", null));
  const base = process.env.DATABASE_URL;
  if (args.only !== "sqlite" && base) {
    const schema = `bench_${crypto.randomBytes(4).toString("hex")}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    const u = new URL(base);
    u.searchParams.set("options", `-c search_path=${schema}`);
    try {
      Object.assign(table, await benchOne("PostgreSQL", u.toString()));
    } finally {
      await admin.query(`drop schema ${schema} cascade`);
      await admin.query(`drop schema if exists ${schema}_jobs cascade`);
      await admin.end();
    }
  } else if (!base) console.log("bench: DATABASE_URL not set, PostgreSQL skipped");
  console.table(table);
  process.exit(0);
}

await main();
