/**
 * Pass under plain `next start`, without server.ts: instrumentation.ts builds the runtime and the
 * App Router route handlers (app/api/events/[channel], app/events/[channel], app/v1/orders/live)
 * answer the streams on a web ReadableStream. The seeds/003 contract checks of
 * lib/realtime/realtime.test.ts, through those routes, against a real `next start` process.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { CONFIRMED_REF, HEAD, NEW_ORDER_ITEM, PRINTER_ITEM } from "../lib/testing/contract-fields";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";

import { logEvents, openSse, type SseConnection } from "../lib/testing/sse-client";
import { ROOT, cli, freePort } from "./support/processes";
import { type Menu, requiredModifiers } from "./support/fixtures";

const NEXT_BIN = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");

test.describe.configure({ mode: "serial" });

let child: ChildProcess;
let output = "";
let dataDir: string;
let base: string;
let operator: Record<string, string>;
let printer: Record<string, string>;
let menu: Menu;
const open: SseConnection[] = [];

test.beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pass-next-start-"));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  child = spawn(process.execPath, [NEXT_BIN, "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(port),
      DATA_DIR: dataDir,
      DATABASE_URL: "",
      REDIS_URL: "",
      PASS_ADMIN_PASSWORD: "next-start-admin",
      PASS_BENCH_ROUTES: "",
      HEALTH_TOKEN: "next-start-health-token",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`next start did not come up:\n${output}`);
    const ok = await fetch(`${base}/api/health`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const token = (role: string) => {
    const added = cli(dataDir, ["token", "add", "--partner", "demo", "--role", role, "--name", `next-start ${role}`]);
    expect(added.status, added.stderr).toBe(0);
    return { authorization: `Bearer ${added.stdout.trim().split("\n").at(-1)}` };
  };
  operator = token("operator");
  printer = token("printer");
  menu = (await (await fetch(`${base}/api/menu?partner=demo`)).json()) as Menu;
});

test.afterAll(async () => {
  for (const c of open) c.cut();
  if (child && child.exitCode === null) {
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
  }
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

async function sse(url: string, headers: Record<string, string> = {}) {
  const conn = await openSse(`${base}${url}`, { headers });
  open.push(conn);
  return conn;
}

async function place() {
  const res = await fetch(`${base}/api/orders`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      partner: "demo",
      table: "4",
      customer: "Grace",
      items: [{ foodId: menu.foods[0]!.id, quantity: 2, notes: "no salt", modifiers: requiredModifiers(menu, menu.foods[0]!.id) }],
    }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: number; trackingToken: string };
}

async function confirm(id: number) {
  const res = await fetch(`${base}/api/orders/${id}/confirm`, {
    method: "POST",
    headers: { "content-type": "application/json", ...operator },
    body: JSON.stringify({ paymentMethod: "CASH", cashRegisterId: "till-1" }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
}

const connected = (c: SseConnection) => c.waitFor((e) => e.some((x) => x.event === "connected"));

test("plain next start builds the runtime once, without server.ts", async () => {
  expect(output).not.toContain("pass: ready on");
  expect(output.match(/pass: live fan-out memory/g)).toHaveLength(1);
  expect(output).toContain("pass: created the demo restaurant 'demo'");
  expect(await (await fetch(`${base}/api/health`)).json()).toEqual({ status: "ok" });
  const health = await (await fetch(`${base}/api/health`, { headers: { authorization: "Bearer next-start-health-token" } })).json();
  expect(health).toMatchObject({ status: "ok", database: "sqlite", realtime: { fanOut: "memory" } });
});

test("admission through the route handlers: 401 without credentials, 403 for a printer on cashier", async () => {
  const anon = await sse("/api/events/cashier");
  expect(anon.status).toBe(401);
  expect(anon.headers["content-type"]).toContain("application/json");
  await anon.ended;
  expect(JSON.parse(anon.body).error.code).toBe("UNAUTHORIZED");

  const printerOnCashier = await sse("/events/cashier", printer);
  expect(printerOnCashier.status).toBe(403);
  await printerOnCashier.ended;
  expect(JSON.parse(printerOnCashier.body).error.code).toBe("FORBIDDEN");

  const printerOnPrinter = await sse("/events/printer", printer);
  expect(printerOnPrinter.status).toBe(200);
  printerOnPrinter.cut();
});

test("cashier, printer and display: headers, opening comment, connected, seeds/003 payloads, resume", async () => {
  const cashier = await sse("/api/events/cashier", { ...operator, "accept-encoding": "gzip, deflate, br" });
  const printerConn = await sse("/events/printer", printer);
  const display = await sse("/events/display", operator);
  for (const c of [cashier, printerConn, display]) {
    expect(c.status).toBe(200);
    expect(c.headers["content-type"]).toBe("text/event-stream; charset=utf-8");
    expect(c.headers["cache-control"]).toBe("no-cache, no-transform");
    expect(c.headers["content-encoding"]).toBeUndefined();
    await connected(c);
    expect(c.body.startsWith(":\n\n")).toBe(true);
    expect(c.events[0]!.event).toBe("connected");
    expect(c.events[0]!.json).toMatchObject({ lastEventId: expect.any(Number), epoch: expect.any(String) });
  }

  const created = await place();
  await confirm(created.id);

  const got = async (c: SseConnection, n: number) => logEvents(await c.waitFor((e) => logEvents(e).length >= n));
  const cash = await got(cashier, 2);
  expect(cash.map((e) => e.event)).toEqual(["new-order", "confirmed-order"]);
  expect(Object.keys(cash[0]!.json)).toEqual([...HEAD, "orderItems"]);
  expect(Object.keys(cash[0]!.json.orderItems[0])).toEqual(NEW_ORDER_ITEM);
  expect(cash[0]!.json).toMatchObject({ id: created.id, status: "PENDING", table: "4", customer: "Grace", ticketNumber: null });
  expect(Object.keys(cash[1]!.json)).toEqual(CONFIRMED_REF);
  expect(cash[1]!.json.id).toBe(created.id);

  const print = await got(printerConn, 1);
  expect(print.map((e) => e.event)).toEqual(["confirmed-order"]);
  expect(Object.keys(print[0]!.json)).toEqual([...HEAD, "orderItems"]);
  expect(Object.keys(print[0]!.json.orderItems[0])).toEqual(PRINTER_ITEM);
  expect(Object.keys(print[0]!.json.orderItems[0].food)).toEqual(["id", "name", "printerId"]);
  expect(print[0]!.json).toMatchObject({ id: created.id, status: "CONFIRMED", paymentMethod: "CASH", cashRegisterId: "till-1" });

  const disp = await got(display, 1);
  expect(disp.map((e) => e.event)).toEqual(["confirmed-order"]);
  expect(Object.keys(disp[0]!.json)).toEqual(CONFIRMED_REF);
  expect(disp[0]!.json.id).toBe(created.id);

  // Resume: the cashier goes away, two more orders come and are confirmed; a reference cashier
  // stays connected. Last-Event-ID replays exactly what the reference saw, bracketed.
  const lastSeen = cash[1]!.id!;
  cashier.cut();
  const seenBefore = logEvents(display.events).length;
  const reference = await sse("/api/events/cashier", operator);
  await connected(reference);
  for (let i = 0; i < 2; i++) await confirm((await place()).id);
  const missed = await got(reference, 4);
  await got(display, seenBefore + 2);

  const resumed = await sse("/api/events/cashier", { ...operator, "last-event-id": lastSeen });
  expect(resumed.status).toBe(200);
  const events = await resumed.waitFor((e) => e.some((x) => x.event === "replay-complete"));
  expect(events.map((e) => e.event)).toEqual([
    "connected",
    "replay-start",
    "new-order",
    "confirmed-order",
    "new-order",
    "confirmed-order",
    "replay-complete",
  ]);
  expect(events[1]!.json).toEqual({ missedEvents: 4, replayingFrom: lastSeen });
  expect(events[1]!.id).toBe(lastSeen);
  expect(events.slice(2, -1).map((e) => e.id)).toEqual(missed.map((e) => e.id));
  expect(events.slice(2, -1).map((e) => e.data)).toEqual(missed.map((e) => e.data));
  expect(events.at(-1)!.json).toEqual({ replayedEvents: 4, resumingLiveStream: true });

  // An id the log never had: replay-failed EVENT_ID_UNKNOWN, then a fresh start.
  const unknown = await sse("/events/cashier", { ...operator, "last-event-id": String(Number(missed.at(-1)!.id) + 100_000) });
  const failed = await unknown.waitFor((e) => e.some((x) => x.event === "connected"));
  expect(failed.map((e) => e.event)).toEqual(["replay-failed", "connected"]);
  expect(failed[0]!.json).toMatchObject({ reason: "EVENT_ID_UNKNOWN" });
  expect(failed[1]!.json.replayUnavailable).toBe(true);
});

test("/v1/orders/live follows an order with its tracking token through the route handler", async () => {
  const anon = await sse("/v1/orders/live");
  expect(anon.status).toBe(401);
  await anon.ended;
  expect(JSON.parse(anon.body).error.code).toBe("UNAUTHORIZED");

  const created = await place();
  const live = await sse(`/v1/orders/live?orderId=${created.id}&token=${created.trackingToken}`);
  expect(live.status).toBe(200);
  expect(live.headers["content-type"]).toBe("text/event-stream; charset=utf-8");
  expect(live.headers["cache-control"]).toBe("no-cache, no-transform");
  expect(live.headers["content-encoding"]).toBeUndefined();
  await connected(live);
  await confirm(created.id);
  const updated = await live.waitFor((e) => e.some((x) => x.event === "order-updated"));
  expect(updated.find((x) => x.event === "order-updated")!.json).toMatchObject({
    orderId: String(created.id),
    ticketNumber: expect.any(Number),
  });
});

test("malformed percent-encoding under plain next start: 400 JSON naming the path (proxy.ts), never a 500", async () => {
  const { default: http } = await import("node:http");
  /** A raw request line: the path reaches the server exactly as written. */
  const get = (rawPath: string) =>
    new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
      http
        .get(`${base}${rawPath}`, { headers: operator }, (res) => {
          let text = "";
          res.on("data", (d: Buffer) => (text += d.toString()));
          res.on("end", () => resolve({ status: res.statusCode!, type: String(res.headers["content-type"]), body: text }));
        })
        .on("error", reject);
    });
  for (const rawPath of [
    "/api/events/%E0%A4%A",
    "/events/%E0%A4%A",
    "/api/orders/%E0%A4%A",
    "/api/foods/%",
    "/v1/orders/%E0%A4%A/x",
    "/order/%E0%A4%A",
    "/track/%E0%A4%A",
    "/kitchen/%E0%A4%A",
    "/%E0%A4%A",
  ]) {
    const res = await get(rawPath);
    expect(res.status, rawPath).toBe(400);
    expect(res.type, rawPath).toContain("application/json");
    expect(JSON.parse(res.body).error, rawPath).toMatchObject({
      code: "VALIDATION_FAILED",
      message: expect.stringContaining("percent-encoding"),
      details: { field: "path" },
    });
  }
  expect(output).not.toMatch(/URIError|Internal Server Error/);
});
