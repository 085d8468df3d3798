/**
 * server.ts as an operator meets it: first start on an empty folder, the CLI beside a running
 * server, SIGTERM, a taken port and bad configuration. Real processes, real sockets.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { openSse } from "../lib/testing/sse-client";
import { expect, placeOrder, test } from "./support/fixtures";
import { ROOT, SERVER, cli, startServer } from "./support/processes";

test("first start seeds the demo restaurant and prints a random admin password once", async () => {
  const s = await startServer();
  try {
    const file = path.join(s.dataDir, "admin-password");
    const password = fs.readFileSync(file, "utf8").trim();
    expect(password.length).toBeGreaterThanOrEqual(12);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(s.output()).toContain(`password ${password}`);
    // instrumentation.ts runs inside server.ts's Next too: it must find server.ts's runtime.
    expect(s.output().match(/pass: live fan-out/g)).toHaveLength(1);
    const menu = await (await fetch(`http://127.0.0.1:${s.port}/api/menu?partner=demo`)).json();
    expect(menu.partner.name).toBe("Demo Diner");
    expect(menu.foods.length).toBeGreaterThanOrEqual(12);
    expect(new Set(menu.foods.map((f: { station: string }) => f.station))).toEqual(new Set(["grill", "fryer", "bar", "cold"]));
    const login = await fetch(`http://127.0.0.1:${s.port}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "admin", password }),
    });
    expect(login.status).toBe(200);
    // The admin has signed in: the password file is gone, and the console says so.
    expect(fs.existsSync(file)).toBe(false);
    await expect.poll(() => s.output()).toContain("deleted the first-start password file");
    for (const name of ["pass.sqlite", "pass.sqlite-wal", "pass.sqlite-shm", "session-secret"]) {
      expect(fs.statSync(path.join(s.dataDir, name)).mode & 0o777, name).toBe(0o600);
    }
  } finally {
    s.child.kill("SIGKILL");
  }
  // A second start on the same folder does not print a password again.
  const again = await startServer({ DATA_DIR: s.dataDir });
  try {
    expect(again.output()).not.toContain("password");
  } finally {
    again.child.kill("SIGKILL");
  }
});

test("the running server sees what the CLI writes, without a restart", async () => {
  const s = await startServer();
  try {
    const partner = cli(s.dataDir, ["partner", "add", "--slug", "corner", "--name", "Corner Café"]);
    expect(partner.status, partner.stderr).toBe(0);
    const added = cli(s.dataDir, ["token", "add", "--partner", "corner", "--role", "integration", "--name", "kiosk"]);
    expect(added.status, added.stderr).toBe(0);
    const token = added.stdout.trim().split("\n").at(-1)!;
    expect(token).toMatch(/^pass_[\w-]{40,}$/);
    const tokenId = /token (\S+) \(/.exec(added.stdout)![1]!;

    const menu = await (await fetch(`http://127.0.0.1:${s.port}/api/menu?partner=corner`)).json();
    expect(menu.partner.name).toBe("Corner Café");
    const list = await fetch(`http://127.0.0.1:${s.port}/api/orders`, { headers: { authorization: `Bearer ${token}` } });
    expect(list.status).toBe(200);

    const revoked = cli(s.dataDir, ["token", "revoke", "--id", tokenId]);
    expect(revoked.status, revoked.stderr).toBe(0);
    const refused = await fetch(`http://127.0.0.1:${s.port}/api/orders`, { headers: { authorization: `Bearer ${token}` } });
    expect(refused.status).toBe(401);

    const user = cli(s.dataDir, [
      "user",
      "add",
      "--partner",
      "corner",
      "--role",
      "kitchen",
      "--username",
      "chef",
      "--password",
      "chef-password",
    ]);
    expect(user.status, user.stderr).toBe(0);
    const login = await fetch(`http://127.0.0.1:${s.port}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "chef", password: "chef-password" }),
    });
    expect(login.status).toBe(200);

    const bad = cli(s.dataDir, ["token", "add", "--partner", "nowhere", "--role", "printer"]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("no partner 'nowhere'");
    // Values the API would refuse: one line naming the option, exit 1 (scripts/cli.test.ts has the whole list).
    const long = cli(s.dataDir, ["partner", "add", "--slug", "long", "--name", "x".repeat(101)]);
    expect(long.status).toBe(1);
    expect(long.stderr.trim().split("\n")).toEqual(["pass: --name: at most 100 characters"]);
    const usage = cli(s.dataDir, ["frobnicate"]);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain("usage: npm run pass");
  } finally {
    s.child.kill("SIGKILL");
  }
});

test("SIGTERM tells every stream to come back, and stops the server within 5 s", async () => {
  const s = await startServer({ PASS_ADMIN_PASSWORD: "sigterm-admin-pass" });
  // An open keep-alive connection must not hold the shutdown.
  const agentSocket = net.connect(s.port, "127.0.0.1");
  await new Promise((r) => agentSocket.once("connect", r));
  agentSocket.write(`GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n`);
  await new Promise((r) => agentSocket.once("data", r));
  // Nor may live streams: they are told SERVER_MAINTENANCE first.
  const login = await fetch(`http://127.0.0.1:${s.port}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password: "sigterm-admin-pass" }),
  });
  const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
  const streams = await Promise.all(
    ["kitchen", "cashier", "display"].map((c) => openSse(`http://127.0.0.1:${s.port}/api/events/${c}`, { headers: { cookie } })),
  );
  await Promise.all(streams.map((st) => st.waitFor((e) => e.some((x) => x.event === "connected"))));

  const started = Date.now();
  s.child.kill("SIGTERM");
  const code = await s.exited;
  const took = Date.now() - started;
  agentSocket.destroy();
  expect(code).toBe(0);
  expect(took).toBeLessThan(5_000);
  expect(s.output()).toContain("SIGTERM received");
  for (const st of streams) {
    await st.ended;
    expect(st.events.at(-1)).toMatchObject({ event: "disconnecting", json: { reason: "SERVER_MAINTENANCE", reconnectAfter: 2 } });
  }
});

test("SIGTERM: disconnecting carries retry ≈ reconnectAfter (jittered), a stream asked for meanwhile gets 503 and Connection: close, exit well inside the deadline", async () => {
  const s = await startServer({ PASS_ADMIN_PASSWORD: "sigterm-admin-pass" });
  const login = await fetch(`http://127.0.0.1:${s.port}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password: "sigterm-admin-pass" }),
  });
  const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
  const raw = async () => {
    const socket = net.connect(s.port, "127.0.0.1");
    await new Promise((r) => socket.once("connect", r));
    const state = { received: "", closed: new Promise<void>((r) => socket.once("close", () => r())) };
    socket.setEncoding("utf8");
    socket.on("data", (d: string) => {
      state.received += d;
    });
    return { socket, state };
  };
  // A live stream on a kept-alive connection.
  const live = await raw();
  live.socket.write(
    `GET /api/events/kitchen HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${cookie}\r\nAccept: text/event-stream\r\nConnection: keep-alive\r\n\r\n`,
  );
  // A client in the middle of asking for a stream when SIGTERM arrives: half its request is in.
  const late = await raw();
  late.socket.write("GET /api/events/cashier HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  const deadline = Date.now() + 5_000;
  while (!live.state.received.includes("event: connected") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  expect(live.state.received).toContain("event: connected");

  const started = Date.now();
  s.child.kill("SIGTERM");
  await new Promise((r) => setTimeout(r, 150));
  late.socket.write(`Cookie: ${cookie}\r\nAccept: text/event-stream\r\nConnection: keep-alive\r\n\r\n`);
  const code = await s.exited;
  const took = Date.now() - started;
  await Promise.all([live.state.closed, late.state.closed]);
  expect(code).toBe(0);
  // Nothing waits for the 4.5 s deadline.
  expect(took).toBeLessThan(2_500);
  expect(live.state.received).toMatch(/^HTTP\/1\.1 200/);
  const notice = live.state.received.match(
    /id: \d+\nevent: disconnecting\nretry: (\d+)\ndata: \{"reason":"SERVER_MAINTENANCE","reconnectAfter":2/,
  );
  expect(notice).not.toBeNull();
  // reconnectAfter in ms, jittered ±25 % (STREAM_RETRY_JITTER, lib/realtime/admission.ts) so a
  // node's clients do not all come back in the same instant.
  expect(Number(notice![1])).toBeGreaterThanOrEqual(1500);
  expect(Number(notice![1])).toBeLessThanOrEqual(2500);
  // The dying node opens no new stream: 503, when to come back, and the connection closes.
  const answer = late.state.received;
  expect(answer).toMatch(/^HTTP\/1\.1 503/);
  expect(answer.toLowerCase()).toContain("retry-after: 2");
  expect(answer.toLowerCase()).toContain("connection: close");
  expect(answer).toContain('"code":"SHUTTING_DOWN"');
});

test("a port already in use exits non-zero with a clear error", async () => {
  const s = await startServer();
  try {
    const second = spawnSync(process.execPath, [SERVER], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: "production", PORT: String(s.port), DATA_DIR: s.dataDir, DATABASE_URL: "", REDIS_URL: "" },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(second.status).toBe(1);
    expect(second.stderr).toContain(`pass: cannot listen: port ${s.port} is already in use`);
  } finally {
    s.child.kill("SIGKILL");
  }
});

test("invalid configuration fails at start with one clear line", () => {
  const res = spawnSync(process.execPath, [SERVER], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: "production", PORT: "3000", KEEPALIVE_MS: "soon", DATA_DIR: os.tmpdir() },
    encoding: "utf8",
    timeout: 30_000,
  });
  expect(res.status).toBe(1);
  const lines = res.stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  // One JSON log line (docs/operations.md#logs).
  expect(JSON.parse(lines[0]!)).toMatchObject({
    level: "error",
    msg: expect.stringMatching(/^pass: invalid configuration: KEEPALIVE_MS /),
  });
});

test("streams through the built server are neither compressed nor buffered", async () => {
  const s = await startServer({ PASS_ADMIN_PASSWORD: "stream-admin-pass", KEEPALIVE_MS: "200" });
  try {
    const login = await fetch(`http://127.0.0.1:${s.port}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "admin", password: "stream-admin-pass" }),
    });
    const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
    const started = Date.now();
    const res = await fetch(`http://127.0.0.1:${s.port}/api/events/cashier`, { headers: { cookie, "accept-encoding": "gzip, br" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-encoding")).toBeNull();
    expect(res.headers.get("cache-control")).toBe("no-cache, no-transform");
    expect(res.headers.get("x-accel-buffering")).toBe("no");
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first.startsWith(":")).toBe(true);
    expect(Date.now() - started).toBeLessThan(2_000);
    // Keep-alives arrive on time, one small frame at a time.
    let text = "";
    while (!text.includes(": keep-alive")) text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
  } finally {
    s.child.kill("SIGKILL");
  }
});

test("the built server answers /ws (seeds/001) and /v1/orders/live (seeds/002) itself", async ({ request }) => {
  const { default: WebSocket } = await import("ws");
  const s = await startServer({ PASS_ADMIN_PASSWORD: "ws-admin-pass" });
  try {
    const base = `http://127.0.0.1:${s.port}`;
    const anonymous = new WebSocket(`ws://127.0.0.1:${s.port}/ws`);
    expect(await new Promise((r) => anonymous.on("close", (code) => r(code)))).toBe(1008);

    const login = await fetch(`${base}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "admin", password: "ws-admin-pass" }),
    });
    const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
    const ws = new WebSocket(`ws://127.0.0.1:${s.port}/ws`, { headers: { cookie } });
    const messages: { type?: string; event?: string; data?: { id: number } }[] = [];
    ws.on("message", (d) => messages.push(JSON.parse(d.toString())));
    await new Promise((r) => ws.once("open", r));
    ws.send(JSON.stringify({ type: "subscribe", channel: "order_changes" }));
    await expect.poll(() => messages.some((m) => m.type === "subscribed")).toBe(true);

    const created = await placeOrder(request, { base });
    await expect.poll(() => messages.find((m) => m.event === "order:created")?.data?.id).toBe(created.id);

    // Abuse: malformed and unknown messages, thousands of subscribe / unsubscribe cycles, an
    // oversized frame. Every message is answered, the server stays up and its memory stays flat.
    const rss = () => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${s.child.pid}/status`, "utf8"))![1]) / 1024;
    const round = async () => {
      const before = messages.length;
      for (let i = 0; i < 1000; i++) {
        ws.send(JSON.stringify({ type: "subscribe", channel: "product_changes" }));
        ws.send(JSON.stringify({ type: "unsubscribe", channel: "product_changes" }));
      }
      for (let i = 0; i < 200; i++) ws.send(i % 2 ? "{not json" : JSON.stringify({ type: "teleport" }));
      await expect.poll(() => messages.length - before, { timeout: 20_000 }).toBe(2200);
    };
    await round(); // warm up
    const rssBefore = rss();
    for (let i = 0; i < 3; i++) await round();
    const growthMiB = rss() - rssBefore;
    console.log(`ws abuse: RSS ${rssBefore.toFixed(1)} MiB → ${(rssBefore + growthMiB).toFixed(1)} MiB after 6,600 more messages`);
    expect(growthMiB).toBeLessThan(20);
    ws.send("x".repeat(64 * 1024));
    expect(await new Promise((r) => ws.once("close", (code) => r(code)))).toBe(1009);
    expect((await fetch(`${base}/api/health`)).status).toBe(200);

    const live = await openSse(`${base}/v1/orders/live?orderId=${created.id}&token=${created.trackingToken}`);
    expect(live.status).toBe(200);
    await live.waitFor((e) => e.some((x) => x.event === "connected"));
    live.cut();
  } finally {
    s.child.kill("SIGKILL");
  }
});

/** A raw HTTP request (fetch will not send a chosen Host). */
function rawRequest(
  port: number,
  {
    method = "GET",
    path: p = "/",
    headers = {},
    body,
  }: { method?: string; path?: string; headers?: Record<string, string>; body?: string },
) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }>((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, method, path: p, headers }, (res) => {
      let text = "";
      res.on("data", (d) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

test("behind a proxy: HOST chooses the listen address, PUBLIC_URL lets the cookie login through nginx's Host $host, /ws refuses foreign origins and bad bearers", async () => {
  const { default: WebSocket } = await import("ws");
  const s = await startServer({
    PASS_ADMIN_PASSWORD: "proxy-admin-pass",
    HOST: "127.0.0.1",
    PUBLIC_URL: "https://pass.example.com:8443",
    TRUST_PROXY: "1",
  });
  try {
    expect(s.output()).toContain(`pass: ready on http://127.0.0.1:${s.port}`);
    // Only the chosen address listens.
    const v6 = await new Promise<boolean>((resolve) => {
      const sock = net.connect({ host: "::1", port: s.port }, () => {
        sock.destroy();
        resolve(true);
      });
      sock.on("error", () => resolve(false));
    });
    expect(v6).toBe(false);

    const login = (origin: string) =>
      rawRequest(s.port, {
        method: "POST",
        path: "/api/auth/login",
        headers: { host: "pass.example.com", origin, "content-type": "application/json", "x-forwarded-proto": "https" },
        body: JSON.stringify({ username: "admin", password: "proxy-admin-pass" }),
      });
    const evil = await login("https://evil.example");
    expect(evil.status).toBe(403);
    const ok = await login("https://pass.example.com:8443");
    expect(ok.status).toBe(200);
    const setCookie = String(ok.headers["set-cookie"]);
    expect(setCookie).toContain("Secure");
    const cookie = setCookie.split(";")[0]!;

    const refused = (headers: Record<string, string>) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const ws = new WebSocket(`ws://127.0.0.1:${s.port}/ws`, { headers });
        ws.on("open", () => reject(new Error("accepted")));
        ws.on("error", () => undefined);
        ws.on("unexpected-response", (_req, res) => {
          let body = "";
          res.on("data", (d: Buffer) => (body += d));
          res.on("end", () => resolve({ status: res.statusCode!, body }));
        });
      });
    const foreign = await refused({ cookie, origin: "https://evil.example" });
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body).error.code).toBe("FORBIDDEN");
    expect((await refused({ authorization: "Bearer pass_nope" })).status).toBe(401);
    const ws = new WebSocket(`ws://127.0.0.1:${s.port}/ws`, {
      headers: { cookie, host: "pass.example.com", origin: "https://pass.example.com:8443" },
    });
    const first = await new Promise<{ type: string }>((resolve, reject) => {
      ws.once("message", (d) => resolve(JSON.parse(d.toString())));
      ws.once("error", reject);
    });
    expect(first.type).toBe("connected");
    ws.close();
  } finally {
    s.child.kill("SIGKILL");
  }
});

test("a HOST that is not an address of this machine exits with one clear line", () => {
  const res = spawnSync(process.execPath, [SERVER], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: "0",
      HOST: "192.0.2.1",
      DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "pass-host-")),
      DATABASE_URL: "",
      REDIS_URL: "",
    },
    encoding: "utf8",
    timeout: 60_000,
  });
  expect(res.status).toBe(1);
  expect(res.stderr).toContain("pass: cannot listen: HOST 192.0.2.1 is not an address of this machine");
});

test("malformed percent-encoding and out-of-range input through the built server: 4xx JSON, never a 5xx", async () => {
  const s = await startServer();
  try {
    /** A raw request line: fetch would leave these paths alone too, http.get certainly does. */
    const get = (rawPath: string) =>
      new Promise<{ status: number; body: { error?: { code: string; details?: { field?: string } } } }>((resolve, reject) => {
        http
          .get({ host: "127.0.0.1", port: s.port, path: rawPath }, (res) => {
            let text = "";
            res.on("data", (d: Buffer) => (text += d.toString()));
            res.on("end", () => resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : {} }));
          })
          .on("error", reject);
      });
    for (const rawPath of ["/api/orders/%E0%A4%A", "/api/events/%E0%A4%A", "/%E0%A4%A", "/api/foods/%", "/v1/orders/%E0%A4%A/x"]) {
      const res = await get(rawPath);
      expect(res.status, rawPath).toBe(400);
      expect(res.body.error, rawPath).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "path" } });
    }
    for (const [rawPath, field] of [
      ["/api/menu?partner=%00", "partner"],
      ["/v1/orders/live?orderId=2147483648", "orderId"],
      ["/v1/orders/live?customerId=%00", "customerId"],
    ] as const) {
      const res = await get(rawPath);
      expect(res.status, rawPath).toBe(400);
      expect(res.body.error?.details?.field, rawPath).toBe(field);
    }
    const huge = await get("/api/orders/2147483648?token=trk_x");
    expect(huge.status).toBe(404);
  } finally {
    s.child.kill("SIGKILL");
  }
});
