/**
 * Operations through the built server (docs/operations.md): `/metrics` behind METRICS_TOKEN on
 * server.ts's fast path, JSON logs carrying the request id, and a backup taken under write load
 * then restored — every order acknowledged (201) before the backup began is back, and a stream
 * that followed the newer log is told EPOCH_CHANGED and reloads.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openSse } from "../lib/testing/sse-client";
import { expect, fetchMenu, placeOrder, signIn as signInBrowser, test } from "./support/fixtures";
import { CLI, ROOT, cli, startServer, type Started } from "./support/processes";

const TOKEN = "metrics-token-0123456789";
const PASSWORD = "ops-admin-password";

async function signIn(base: string): Promise<string> {
  const login = await fetch(`${base}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: base },
    body: JSON.stringify({ username: "admin", password: PASSWORD }),
  });
  expect(login.status).toBe(200);
  return login.headers.get("set-cookie")!.split(";")[0]!;
}

async function stop(s: Started) {
  if (s.child.exitCode === null) {
    s.child.kill("SIGTERM");
    await s.exited;
  }
}

test("/metrics: 401 without the token, Prometheus text with it; logs are JSON with the request id", async ({ request }) => {
  const s = await startServer({ METRICS_TOKEN: TOKEN, LOG_LEVEL: "debug", PASS_ADMIN_PASSWORD: PASSWORD });
  const base = `http://127.0.0.1:${s.port}`;
  try {
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    expect((await fetch(`${base}/metrics`, { headers: { authorization: "Bearer wrong-token-0123456789" } })).status).toBe(401);

    const cookie = await signIn(base);
    const stream = await openSse(`${base}/api/events/cashier`, { headers: { cookie } });
    await stream.waitFor((e) => e.some((x) => x.event === "connected"));
    const order = await placeOrder(request, { base });
    await stream.waitFor((e) => e.some((x) => x.event === "new-order"));
    const got = await fetch(`${base}/api/orders/${order.id}`, { headers: { cookie, "x-request-id": "e2e-ops-42" } });
    expect(got.status).toBe(200);
    expect(got.headers.get("x-request-id")).toBe("e2e-ops-42");
    // None given (or a junk one): a fresh id.
    const fresh = await fetch(`${base}/api/menu?partner=demo`, { headers: { "x-request-id": "bad id with spaces" } });
    expect(fresh.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);

    const res = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const text = await res.text();
    const value = (re: RegExp) => Number(text.match(re)?.[1] ?? Number.NaN);
    expect(value(/^pass_streams_open\{channel="cashier"\} (\d+)$/m)).toBe(1);
    expect(value(/^pass_deliveries_total\{channel="cashier"\} (\d+)$/m)).toBeGreaterThanOrEqual(1);
    expect(value(/^pass_events_delivered_total (\d+)$/m)).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/^pass_log_repairs_total \d+$/m);
    expect(text).toMatch(/^pass_process_cpu_seconds_total /m);
    // Latency by route pattern, never by raw URL.
    expect(text).toMatch(/^pass_http_request_duration_seconds_count\{route="\/api\/orders",method="POST",status="201"\} 1$/m);
    expect(text).toMatch(/^pass_http_request_duration_seconds_count\{route="\/api\/orders\/\[id\]",method="GET",status="200"\} 1$/m);
    expect(text).not.toContain(`/api/orders/${order.id}`);

    // Pass's lines are one JSON object each (Next's own banner lines are not Pass's); the request's carry its id.
    const lines = s
      .output()
      .split("\n")
      .filter((l) => l.trim());
    expect(lines.filter((l) => !l.startsWith("{") && l.includes("pass: "))).toEqual([]);
    const entries = lines
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as { level: string; msg: string; reqId?: string; route?: string });
    expect(entries.find((e) => e.msg.startsWith("pass: ready on"))?.level).toBe("info");
    expect(entries.find((e) => e.reqId === "e2e-ops-42" && e.msg === "pass: request")?.route).toBe("/api/orders/[id]");
    stream.cut();
  } finally {
    await stop(s);
  }

  // Without METRICS_TOKEN there is no /metrics at all.
  const plain = await startServer({ DATA_DIR: s.dataDir });
  try {
    expect((await fetch(`http://127.0.0.1:${plain.port}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
  } finally {
    await stop(plain);
  }
});

test("backup under write load, restore: every acknowledged order is back, an open screen and stream reset", async ({
  request,
  page,
  context,
}) => {
  test.setTimeout(120_000);
  const s = await startServer({ PASS_ADMIN_PASSWORD: PASSWORD });
  const base = `http://127.0.0.1:${s.port}`;
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pass-backup-e2e-")), "pass.backup");
  let restarted: Started | undefined;
  try {
    // A cashier screen open the whole time (signed in before the backup: its session is in it).
    await signInBrowser(context.request, { base, password: PASSWORD });
    await page.goto(`${base}/cashier`);
    const badge = page.getByTestId("connection-badge");
    await expect(badge).toHaveAttribute("data-status", "live");
    const menu = await fetchMenu(request, { base, partner: "demo" });
    const acknowledged: number[] = [];
    let writing = true;
    const writer = async () => {
      while (writing) acknowledged.push((await placeOrder(request, { base, menu })).id);
    };
    const writers = [writer(), writer(), writer(), writer()];
    await expect.poll(() => acknowledged.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(20);

    // The backup runs in its own process while the writers keep going.
    const before = [...acknowledged];
    const backup = spawn(process.execPath, [CLI, "backup", file], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: s.dataDir, DATABASE_URL: "", REDIS_URL: "" },
    });
    let backupOut = "";
    backup.stdout.on("data", (d) => (backupOut += d));
    backup.stderr.on("data", (d) => (backupOut += d));
    const code = await new Promise<number | null>((r) => backup.on("exit", r));
    expect(code, backupOut).toBe(0);
    const during = acknowledged.length;
    await expect.poll(() => acknowledged.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(during + 10);
    writing = false;
    await Promise.all(writers);
    expect(during).toBeGreaterThan(before.length); // orders kept being acknowledged while the backup ran
    expect(backupOut).toMatch(/backup of the sqlite database written to .*pass\.backup/);
    await expect(page.getByTestId("pending-count")).toHaveAttribute("data-count", String(acknowledged.length), { timeout: 30_000 });

    // A screen follows the live log: its position and epoch.
    const cookie = await signIn(base);
    const live = await openSse(`${base}/api/events/cashier`, { headers: { cookie } });
    const connected = (await live.waitFor((e) => e.some((x) => x.event === "connected"))).find((x) => x.event === "connected")!;
    const { epoch, lastEventId } = connected.json as { epoch: string; lastEventId: number };
    live.cut();

    // Refused while the server runs; refused for a file that is not a backup; nothing changed.
    const refused = cli(s.dataDir, ["restore", file]);
    expect(refused.status).toBe(1);
    expect(refused.stderr.trim()).toMatch(
      new RegExp(`^pass: a Pass server \\(pid ${s.child.pid}, since .*\\) is running on .*: stop it first`),
    );
    const junk = path.join(path.dirname(file), "junk.txt");
    fs.writeFileSync(junk, "hello\n");
    // The screen stays away until the restored log has grown past the position it holds.
    await page.route("**/api/events/**", (route) => route.abort());
    await stop(s);
    const notBackup = cli(s.dataDir, ["restore", junk]);
    expect(notBackup.status).toBe(1);
    expect(notBackup.stderr.trim()).toBe(`pass: ${junk} is not a Pass backup; nothing was changed`);

    const restored = cli(s.dataDir, ["restore", file]);
    expect(restored.status, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(/new epoch \d{4}-\d{2}-\d{2}-[0-9a-f]{8}/);

    restarted = await startServer({ DATA_DIR: s.dataDir, PORT: String(s.port), PASS_ADMIN_PASSWORD: PASSWORD });
    const cookie2 = await signIn(base);
    const list = await fetch(`${base}/api/orders?partner=demo`, { headers: { cookie: cookie2 } });
    expect(list.status).toBe(200);
    const body = (await list.json()) as { orders?: { id: number }[] } | { id: number }[];
    const ids = new Set((Array.isArray(body) ? body : (body.orders ?? [])).map((o) => o.id));
    expect(before.filter((id) => !ids.has(id))).toEqual([]);
    expect(acknowledged.slice(during).filter((id) => ids.has(id))).toEqual([]);
    // New orders on the restored log: its ids now pass the ones the screen and the stream saw
    // from the newer log, so only the epoch tells them apart.
    const extra = acknowledged.length - ids.size + 3;
    for (let i = 0; i < extra; i++) await placeOrder(request, { base, menu });
    const top = (await (await fetch(`${base}/api/orders?partner=demo`, { headers: { cookie: cookie2 } })).json()) as {
      lastEventId: number;
    };
    expect(top.lastEventId).toBeGreaterThan(lastEventId);
    // The screen comes back: told EPOCH_CHANGED, it reloaded its list — exactly the restored log's orders.
    await page.unroute("**/api/events/**");
    await expect(badge).toHaveAttribute("data-status", "live", { timeout: 30_000 });
    await expect(page.getByTestId("pending-count")).toHaveAttribute("data-count", String(ids.size + extra), { timeout: 30_000 });

    // The screen resumes from the newer log: told to reload, with the restored log's epoch.
    const resumed = await openSse(`${base}/api/events/cashier?lastEventId=${lastEventId}&epoch=${encodeURIComponent(epoch)}`, {
      headers: { cookie: cookie2 },
    });
    const events = await resumed.waitFor((e) => e.some((x) => x.event === "connected"));
    expect(events.find((x) => x.event === "replay-failed")?.json.reason).toBe("EPOCH_CHANGED");
    expect(events.find((x) => x.event === "connected")?.json.epoch).not.toBe(epoch);
    resumed.cut();
  } finally {
    await stop(s);
    if (restarted) await stop(restarted);
  }
});
