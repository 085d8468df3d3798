// `npm run bench:storm`: a reconnect storm on one node. N clients (default 5,000) follow
// /api/events/cashier on one Pass node (SQLite); the node is stopped (SIGTERM) and started again
// on the same port and data; the moment it is healthy, orders are written; every client must come
// back by itself (EventSource rules: `retry:`, `Last-Event-ID`; a 503's `Retry-After`) and have
// every order exactly once. Figures from the node being healthy: all live, all complete; and
// the node's own event-loop delay and memory meanwhile (PASS_BENCH_LOOP_REPORT_MS).
//
// Two variants in the same run, same machine: "unpaced" (STREAM_ADMISSION_LIMIT=0,
// STREAM_RETRY_JITTER=0: every client told the same `retry:` and every request admitted at once,
// as before pacing) and "paced" (the defaults). Loopback only; bounded; exits by itself.
import { fork, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=")));
const N = Number(args.clients ?? 5000);
const TOKENS = Number(args.tokens ?? 10);
const BEFORE = 10; // orders every client has before the restart
const AFTER = Number(args.after ?? 20); // orders written the moment the node is healthy again
const WITHIN_MS = Number(args.within ?? 30_000);
// The stated bounds (docs/deploy.md#reconnect-storms): all live and complete, node RSS, event-loop delay.
const TARGET_MS = Number(args.target ?? 5_000);
const MAX_RSS_MIB = Number(args["max-rss-mib"] ?? 300);
const MAX_LOOP_MS = Number(args["max-loop-ms"] ?? 1_000);
const HARD_STOP_MS = 10 * 60_000;
const ADMIN_PASSWORD = "bench-admin-password";
const VARIANTS = [
  { label: "unpaced", env: { STREAM_ADMISSION_LIMIT: "0", STREAM_RETRY_JITTER: "0" } },
  { label: "paced (defaults)", env: {} },
].filter((v) => !args.only || v.label.startsWith(args.only));

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

/** CPU seconds (user + system) the process has used so far. */
function cpuS(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

function rssKiB(pid) {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))[1]);
  } catch {
    return 0;
  }
}

// Below the ephemeral range (32768+): 5,000 client sockets must not take the port the node listens on again.
let nextPort = 24000 + Math.floor(Math.random() * 4000);

/** One node: fresh data, tokens made before it starts; `restart()` keeps the port and the data. */
async function startNode(extraEnv) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pass-storm-"));
  const port = nextPort++;
  const env = {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(port),
    DATA_DIR: dataDir,
    DATABASE_URL: "",
    REDIS_URL: "",
    PASS_ADMIN_PASSWORD: ADMIN_PASSWORD,
    // Thousands of screens on a few tokens: far past a restaurant's limits.
    RATE_LIMIT_SCALE: "1000",
    NEXT_TELEMETRY_DISABLED: "1",
    PASS_BENCH_LOOP_REPORT_MS: "250",
    ...extraEnv,
  };
  const cli = (...a) => spawnSync(process.execPath, [path.join(root, "dist/pass.mjs"), ...a], { cwd: root, env, encoding: "utf8" });
  const token = (role, name) => {
    const out = cli("token", "add", "--partner", "demo", "--role", role, "--name", name);
    if (out.status !== 0) throw new Error(`token add failed: ${out.stderr}`);
    return out.stdout.trim().split("\n").at(-1);
  };
  const screens = Array.from({ length: TOKENS }, (_, i) => token("operator", `storm screens ${i}`));
  const publisher = token("integration", "storm publisher");
  const base = `http://127.0.0.1:${port}`;
  const node = { base, port, screens, child: null, loops: [], rssPeakKiB: 0 };
  node.start = async () => {
    // --prof=DIR: a CPU profile of each node process (node --cpu-prof), to see where a storm goes.
    const prof = args.prof ? ["--cpu-prof", `--cpu-prof-dir=${args.prof}`] : [];
    const child = spawn(process.execPath, [...prof, path.join(root, "dist/server.mjs")], {
      cwd: root,
      env,
      stdio: ["ignore", "pipe", "inherit"],
    });
    node.child = child;
    let buffered = "";
    child.stdout.on("data", (d) => {
      buffered += d;
      let end;
      while ((end = buffered.indexOf("\n")) !== -1) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 1);
        const m = /^pass-bench: loop p99=([\d.]+) max=([\d.]+) rss=(\d+)/.exec(line);
        if (m) node.loops.push({ at: Date.now(), p99: Number(m[1]), max: Number(m[2]), rss: Number(m[3]) });
      }
    });
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        if ((await request(`${base}/api/health`)).status === 200) return Date.now();
      } catch {
        // not up yet
      }
      if (Date.now() > deadline) throw new Error("the node did not come up");
      await sleep(20);
    }
  };
  node.stop = async () => {
    const child = node.child;
    if (!child || child.exitCode !== null) return;
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
  };
  node.remove = () => fs.rmSync(dataDir, { recursive: true, force: true });
  await node.start();
  const menu = JSON.parse((await request(`${base}/api/menu?partner=demo`)).text);
  const required = new Set((menu.modifierGroups ?? []).filter((g) => g.min > 0).map((g) => g.id));
  const food = menu.foods.find((f) => !(f.modifierGroupIds ?? []).some((id) => required.has(id)));
  const body = JSON.stringify({ partner: "demo", table: "12", items: [{ foodId: food.id, quantity: 1, notes: "storm" }] });
  node.publish = async () => {
    const res = await request(`${base}/api/orders`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${publisher}` },
      body,
    });
    if (res.status !== 201) throw new Error(`publish failed: ${res.status} ${res.text}`);
    return JSON.parse(res.text).id;
  };
  return node;
}

async function run({ label, env }) {
  const node = await startNode(env);
  const client = fork(
    path.join(root, "scripts/bench/storm-client.mjs"),
    [JSON.stringify({ url: `${node.base}/api/events/cashier`, n: N, tokens: node.screens, concurrency: 200 })],
    { stdio: ["ignore", "inherit", "inherit", "ipc"] },
  );
  const message = (type) =>
    new Promise((resolve) => {
      const on = (m) => {
        if (m.type !== type) return;
        client.off("message", on);
        resolve(m);
      };
      client.on("message", on);
    });
  const status = async (expected) => {
    const answer = message("status");
    client.send({ cmd: "status", expected });
    return answer;
  };
  try {
    await Promise.race([message("ready"), sleep(180_000).then(() => Promise.reject(new Error("clients did not connect")))]);
    const expected = [];
    for (let i = 0; i < BEFORE; i++) expected.push(await node.publish());
    for (const deadline = Date.now() + 60_000; (await status(expected)).complete < N; await sleep(200)) {
      if (Date.now() > deadline) throw new Error("the clients did not get the first orders");
    }
    const mark = message("mark");
    client.send({ cmd: "mark" });
    await mark;
    await node.stop();
    const healthyAt = await node.start();
    const cpuAtHealthy = cpuS(node.child.pid);
    for (let i = 0; i < AFTER; i++) expected.push(await node.publish());
    let rssPeak = 0;
    let done = false;
    for (const deadline = healthyAt + WITHIN_MS; Date.now() < deadline; await sleep(50)) {
      rssPeak = Math.max(rssPeak, rssKiB(node.child.pid));
      const s = await status(expected);
      if (s.live === N && s.complete === N) {
        done = true;
        break;
      }
    }
    const settledAt = Date.now();
    const stormCpuS = cpuS(node.child.pid) - cpuAtHealthy;
    await sleep(600); // the last loop report
    // The reports covering the storm: from the first after the node answered to the one after it settled.
    const loops = node.loops.filter((l) => l.at > healthyAt && l.at <= settledAt + 500);
    const reportMsg = message("report");
    client.send({ cmd: "report", expected, from: healthyAt });
    const report = await reportMsg;
    return {
      label,
      done,
      ...report,
      loopP99: Math.max(...loops.map((l) => l.p99)),
      loopMax: Math.max(...loops.map((l) => l.max)),
      rssPeakMiB: rssPeak / 1024,
      stormCpuS,
    };
  } finally {
    client.kill();
    await node.stop();
    node.remove();
  }
}

const fmt = (v, d = 0) => (v === null || v === undefined || !Number.isFinite(v) ? "—" : Number(v).toFixed(d));

async function main() {
  if (!fs.existsSync(path.join(root, "dist/server.mjs")) || !fs.existsSync(path.join(root, ".next/BUILD_ID"))) {
    console.error("bench: building first");
    if (spawnSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" }).status !== 0) process.exit(1);
  }
  console.error(`bench: reconnect storm, ${N} clients on ${TOKENS} tokens, ${BEFORE} orders before, ${AFTER} as the node is back`);
  const rows = [];
  for (const v of VARIANTS) {
    console.error(`bench: ${v.label}…`);
    rows.push(await run(v));
  }
  console.log(
    `\nReconnect storm: ${N} clients, SIGTERM + restart of one node (SQLite), ${os.cpus().length} cores, Node ${process.version}`,
  );
  console.log("Times from the restarted node answering /api/health.\n");
  console.log(
    "| variant | all live | live p50 / p99 / max ms | complete p50 / p99 / max ms | lost | dup | answers | refused | loop p99 / max ms | node RSS peak MiB | node CPU s |",
  );
  console.log("|---|---|---:|---:|---:|---:|---|---:|---:|---:|---:|");
  for (const r of rows) {
    const answers = Object.entries(r.statuses)
      .map(([s, c]) => `${s}×${c}`)
      .join(" ");
    console.log(
      `| ${r.label} | ${r.done ? "yes" : "NO"} | ${fmt(r.live.p50)} / ${fmt(r.live.p99)} / ${fmt(r.live.max)} | ${fmt(r.complete.p50)} / ${fmt(r.complete.p99)} / ${fmt(r.complete.max)} | ${r.lost} | ${r.dup} | ${answers} | ${r.refused} | ${fmt(r.loopP99, 1)} / ${fmt(r.loopMax, 1)} | ${fmt(r.rssPeakMiB)} | ${fmt(r.stormCpuS, 2)} |`,
    );
  }
  for (const r of rows)
    console.log(
      `${r.label}: request → connected p50 ${r.waited.p50} ms, p99 ${r.waited.p99} ms, max ${r.waited.max} ms; client CPU ${fmt(r.clientCpuS, 1)} s`,
    );
  console.log(
    "\nanswers: HTTP statuses the clients got over the whole run (the first connects included); refused: connects refused while the node was down.",
  );
  console.log(
    `node CPU s: the node's CPU from healthy until every client was live and complete. Client and server share the cores; load average now ${os.loadavg()[0].toFixed(1)}.`,
  );
  console.log(
    `\nBounds: all live and complete within ${TARGET_MS} ms of healthy, node RSS ≤ ${MAX_RSS_MIB} MiB, event-loop delay ≤ ${MAX_LOOP_MS} ms.`,
  );
  for (const r of rows) {
    const checks = [
      [`all live and complete within ${TARGET_MS} ms`, r.done && r.complete.max <= TARGET_MS && r.live.max <= TARGET_MS],
      ["nothing lost or doubled", r.lost === 0 && r.dup === 0],
      [`RSS ≤ ${MAX_RSS_MIB} MiB`, r.rssPeakMiB <= MAX_RSS_MIB],
      [`loop delay ≤ ${MAX_LOOP_MS} ms`, r.loopMax <= MAX_LOOP_MS],
    ];
    console.log(`  ${r.label}: ${checks.map(([what, ok]) => `${ok ? "ok" : "MISSED"} ${what}`).join("; ")}`);
  }
  process.exit(0);
}

main().catch((err) => {
  console.error("bench failed:", err);
  process.exit(1);
});
