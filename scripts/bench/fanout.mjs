// `npm run bench:fanout`: SSE fan-out of Pass against a raw node:http broadcaster, same client,
// same machine, same run. Loopback only; every phase is bounded and the script exits by itself.
//
// For each N (default 100, 1000, 5000): a fresh server, N clients in a child process, a warm-up,
// then EVENTS events at RATE/s (POSTed over one keep-alive connection), a drain, and the figures:
// publish → receive latency p50/p99/max, lost and duplicate deliveries, server RSS per connection
// and server CPU per delivery (net of the publish cost, measured with no clients).
// Pass is measured through its real path: bearer auth, channel checks, the event log (SQLite),
// the hub and the channel handler in server.ts. Once, at N=1000, the same channel goes through
// the real App Router route (app/api/events/[channel]/route.ts, the path plain `next start`
// serves): PASS_BENCH_ROUTES=1 lets server.ts hand `?via=next` requests to Next. It shows why
// streams live in server.ts.
import { spawn, spawnSync, fork } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=")));
const SIZES = (args.clients ?? "100,1000,5000").split(",").map(Number);
const RATE = Number(args.rate ?? 20);
const SECONDS = Number(args.seconds ?? 10);
const EVENTS = RATE * SECONDS;
const WARMUP = 20;
const DRAIN_MS = Number(args.drain ?? 5000);
const ROUTE_AT = Number(args["route-at"] ?? 1000);
const HARD_STOP_MS = 20 * 60_000;
const ADMIN_PASSWORD = "bench-admin-password";

setTimeout(() => {
  console.error("bench: hard stop reached");
  process.exit(2);
}, HARD_STOP_MS).unref();

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });

function request(url, { method = "GET", headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent: keepAlive }, (res) => {
      let text = "";
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode, text }));
    });
    req.on("error", reject);
    req.setTimeout(10_000, () => req.destroy(new Error("timeout")));
    if (body) req.write(body);
    req.end();
  });
}

function procStat(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))[1]);
  return { cpuS: ticks / 100, rssKiB };
}

async function waitFor(url, timeoutMs = 60_000) {
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

// Below Linux's ephemeral range (32768–60999): the clients' own sockets of an earlier phase cannot hold it.
let nextPort = 21000 + Math.floor(Math.random() * 1000);

/** A ~1 KB order body: five items with notes, as a kitchen sends them. */
function orderBody(foods) {
  return JSON.stringify({
    partner: "demo",
    table: "12",
    customer: "Bench Customer",
    items: foods
      .slice(0, 5)
      .map((f, i) => ({ foodId: f.id, quantity: 1 + (i % 3), notes: `note ${i}: no onions, extra sauce on the side` })),
  });
}

async function startPass({ benchRoutes = false } = {}) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pass-bench-"));
  const port = nextPort++;
  const env = {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(port),
    DATA_DIR: dataDir,
    DATABASE_URL: "",
    REDIS_URL: "",
    PASS_ADMIN_PASSWORD: ADMIN_PASSWORD,
    PASS_BENCH_ROUTES: benchRoutes ? "1" : "",
    // N screens on one token and orders at 20/s from one address: far past a restaurant's limits.
    RATE_LIMIT_SCALE: "1000",
    NEXT_TELEMETRY_DISABLED: "1",
  };
  const cli = (...a) => spawnSync(process.execPath, [path.join(root, "dist/pass.mjs"), ...a], { cwd: root, env, encoding: "utf8" });
  const sub = cli("token", "add", "--partner", "demo", "--role", "operator", "--name", "bench screens");
  const pub = cli("token", "add", "--partner", "demo", "--role", "integration", "--name", "bench publisher");
  if (sub.status !== 0 || pub.status !== 0) throw new Error(`token add failed: ${sub.stderr}${pub.stderr}`);
  const child = spawn(process.execPath, [path.join(root, "dist/server.mjs")], { cwd: root, env, stdio: ["ignore", "ignore", "inherit"] });
  const base = `http://127.0.0.1:${port}`;
  await waitFor(`${base}/api/health`);
  const menu = JSON.parse((await request(`${base}/api/menu?partner=demo`)).text);
  // Dishes without a required modifier group (the demo's burgers need a "Doneness").
  const required = new Set((menu.modifierGroups ?? []).filter((g) => g.min > 0).map((g) => g.id));
  const body = orderBody(menu.foods.filter((f) => !(f.modifierGroupIds ?? []).some((id) => required.has(id))));
  const pubToken = pub.stdout.trim().split("\n").at(-1);
  return {
    pid: child.pid,
    streamUrl: `${base}/api/events/cashier${benchRoutes ? "?via=next" : ""}`,
    subHeaders: { authorization: `Bearer ${sub.stdout.trim().split("\n").at(-1)}` },
    publish: async () => {
      const res = await request(`${base}/api/orders`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${pubToken}` },
        body,
      });
      if (res.status !== 201) throw new Error(`publish failed: ${res.status} ${res.text}`);
      return JSON.parse(res.text).id;
    },
    stop: async () => {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function startRaw() {
  const port = nextPort++;
  const child = spawn(process.execPath, [path.join(root, "scripts/bench/raw-broadcaster.mjs")], {
    env: { ...process.env, PORT: String(port) },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const base = `http://127.0.0.1:${port}`;
  await waitFor(`${base}/health`);
  // The same ~1 KB body Pass gets, with stand-in food ids.
  const body = orderBody(Array.from({ length: 5 }, (_, i) => ({ id: `food-${i}-xxxxxxxxxxxxxxxxxx` })));
  return {
    pid: child.pid,
    streamUrl: `${base}/events`,
    subHeaders: {},
    publish: async () =>
      JSON.parse((await request(`${base}/publish`, { method: "POST", headers: { "content-type": "application/json" }, body })).text).id,
    stop: async () => {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    },
  };
}

async function publishAtRate(server, count) {
  const ids = [];
  const start = Date.now();
  for (let i = 0; i < count; i++) {
    const due = start + (i * 1000) / RATE;
    const wait = due - Date.now();
    if (wait > 0) await sleep(wait);
    ids.push(await server.publish());
  }
  return ids;
}

/** Server CPU spent per published event with no clients: the publish path, not the fan-out. */
async function publishCost(start) {
  const server = await start();
  try {
    await publishAtRate(server, WARMUP);
    const before = procStat(server.pid);
    await publishAtRate(server, EVENTS);
    await sleep(500);
    return (procStat(server.pid).cpuS - before.cpuS) / EVENTS;
  } finally {
    await server.stop();
  }
}

async function measure({ label, start, n, publishCpuPerEvent }) {
  const server = await start();
  try {
    const idle = procStat(server.pid);
    const client = fork(
      path.join(root, "scripts/bench/client.mjs"),
      [JSON.stringify({ url: server.streamUrl, n, headers: server.subHeaders, concurrency: 100 })],
      {
        stdio: ["ignore", "inherit", "inherit", "ipc"],
      },
    );
    const message = (type) => new Promise((resolve) => client.on("message", (m) => m.type === type && resolve(m)));
    const ready = await Promise.race([message("ready"), sleep(120_000).then(() => ({ failed: n, timeout: true }))]);
    await sleep(1000);
    const connected = procStat(server.pid);
    await publishAtRate(server, WARMUP);
    await sleep(1000);
    client.send({ cmd: "reset" });
    await message("reset");
    const before = procStat(server.pid);
    const ids = await publishAtRate(server, EVENTS);
    await sleep(DRAIN_MS);
    const after = procStat(server.pid);
    client.send({ cmd: "report", expected: ids });
    const report = await Promise.race([message("report"), sleep(30_000).then(() => null)]);
    client.kill();
    const deliveries = n * EVENTS;
    const cpuS = after.cpuS - before.cpuS;
    return {
      label,
      n,
      connectFailed: ready.failed,
      p50: report?.p50,
      p99: report?.p99,
      max: report?.max,
      lost: report?.lost ?? deliveries,
      dup: report?.dup ?? 0,
      kibPerConn: (connected.rssKiB - idle.rssKiB) / n,
      rssMiB: connected.rssKiB / 1024,
      cpuS,
      usPerDelivery: (cpuS * 1e6) / deliveries,
      netUsPerDelivery: ((cpuS - publishCpuPerEvent * EVENTS) * 1e6) / deliveries,
      clientCpuS: report?.clientCpuS,
    };
  } finally {
    await server.stop();
  }
}

const fmt = (v, d = 1) => (v === null || v === undefined || Number.isNaN(v) ? "—" : Number(v).toFixed(d));

async function main() {
  if (!fs.existsSync(path.join(root, "dist/server.mjs")) || !fs.existsSync(path.join(root, ".next/BUILD_ID"))) {
    console.error("bench: building first");
    if (spawnSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" }).status !== 0) process.exit(1);
  }
  console.error(`bench: ${SIZES.join(", ")} clients, ${RATE}/s for ${SECONDS} s, ~1 KB events, loopback`);
  const publishCpu = { raw: await publishCost(startRaw), pass: await publishCost(() => startPass()) };
  console.error(
    `bench: publish cost per event, no clients: raw ${fmt(publishCpu.raw * 1e6, 0)} µs, pass ${fmt(publishCpu.pass * 1e6, 0)} µs`,
  );
  const rows = [];
  for (const n of SIZES) {
    for (const [label, start, cost] of [
      ["raw node:http", startRaw, publishCpu.raw],
      ["pass (server.ts)", () => startPass(), publishCpu.pass],
    ]) {
      console.error(`bench: ${label}, N=${n}…`);
      rows.push(await measure({ label, start, n, publishCpuPerEvent: cost }));
    }
    if (n === ROUTE_AT) {
      console.error(`bench: pass via App Router route.ts, N=${n}…`);
      rows.push(
        await measure({
          label: "pass via route.ts",
          start: () => startPass({ benchRoutes: true }),
          n,
          publishCpuPerEvent: publishCpu.pass,
        }),
      );
    }
  }

  console.log(`\nSSE fan-out, ${RATE} events/s × ${SECONDS} s, ~1 KB events, ${os.cpus().length} cores, Node ${process.version}\n`);
  console.log(
    "| server | N | p50 ms | p99 ms | max ms | lost | dup | KiB/conn | server CPU s | µs/delivery | net µs/delivery | client CPU s |",
  );
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const r of rows) {
    console.log(
      `| ${r.label} | ${r.n} | ${fmt(r.p50, 0)} | ${fmt(r.p99, 0)} | ${fmt(r.max, 0)} | ${r.lost} | ${r.dup} | ${fmt(r.kibPerConn)} | ${fmt(r.cpuS, 2)} | ${fmt(r.usPerDelivery)} | ${fmt(r.netUsPerDelivery)} | ${fmt(r.clientCpuS, 1)} |`,
    );
  }
  console.log("\nRatios, Pass ÷ raw node:http at the same N:");
  for (const n of SIZES) {
    const raw = rows.find((r) => r.n === n && r.label.startsWith("raw"));
    for (const r of rows.filter((x) => x.n === n && !x.label.startsWith("raw"))) {
      console.log(
        `  N=${n} ${r.label}: net CPU/delivery ×${fmt(r.netUsPerDelivery / raw.netUsPerDelivery, 2)}, KiB/conn ×${fmt(r.kibPerConn / raw.kibPerConn, 2)}, p99 ×${fmt(r.p99 / raw.p99, 2)}, lost ${r.lost} (raw ${raw.lost})`,
      );
    }
  }
  console.log("\nnet µs/delivery = (server CPU − publish cost measured with no clients) ÷ deliveries. Client and server share the cores.");
  process.exit(0);
}

main().catch((err) => {
  console.error("bench failed:", err);
  process.exit(1);
});
