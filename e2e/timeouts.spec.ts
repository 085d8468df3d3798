/**
 * Slow clients (issue "Security hardening"): a client that sends its headers slowly is dropped
 * after HEADERS_TIMEOUT_MS (10 s by default, 1.5 s here), one that sends its body slowly after
 * REQUEST_TIMEOUT_MS, each with one line in the log and no stack — while a live SSE stream stays
 * open well past both.
 */
import net from "node:net";
import { openSse } from "../lib/testing/sse-client";
import { expect, test } from "./support/fixtures";
import { startServer, type Started } from "./support/processes";

const PASSWORD = "timeouts-admin-pass";
let s: Started;

test.beforeAll(async () => {
  s = await startServer({ PASS_ADMIN_PASSWORD: PASSWORD, HEADERS_TIMEOUT_MS: "1500", REQUEST_TIMEOUT_MS: "3000", KEEPALIVE_MS: "500" });
});
test.afterAll(() => {
  s?.child.kill("SIGKILL");
});

/** Connects, runs `send`, and resolves with what the server answered and when it closed the socket. */
async function slowClient(send: (socket: net.Socket) => void): Promise<{ closedAfterMs: number; answer: string }> {
  const socket = net.connect(s.port, "127.0.0.1");
  await new Promise((r) => socket.once("connect", r));
  const started = Date.now();
  let answer = "";
  socket.on("data", (d) => (answer += d));
  socket.on("error", () => undefined);
  send(socket);
  await new Promise((r) => socket.once("close", r));
  return { closedAfterMs: Date.now() - started, answer };
}

test("a client that sends its headers slowly is dropped after HEADERS_TIMEOUT_MS", async () => {
  let timer: NodeJS.Timeout | undefined;
  const { closedAfterMs, answer } = await slowClient((socket) => {
    socket.write("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    let n = 0;
    // One header line every 300 ms, never the blank line that ends them.
    timer = setInterval(() => socket.writable && socket.write(`X-Slow-${n++}: 1\r\n`), 300);
  });
  clearInterval(timer);
  expect(closedAfterMs).toBeGreaterThanOrEqual(1_400);
  expect(closedAfterMs).toBeLessThan(4_000);
  expect(answer).toContain("408");
  expect(s.output()).toContain("request not received in time");
});

test("a client that sends its body slowly is dropped after REQUEST_TIMEOUT_MS, logged in one line", async () => {
  const { closedAfterMs } = await slowClient((socket) => {
    socket.write(
      "POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n" + '{"username":',
    );
  });
  expect(closedAfterMs).toBeGreaterThanOrEqual(2_900);
  expect(closedAfterMs).toBeLessThan(6_000);
  await expect.poll(() => s.output(), { timeout: 3_000 }).toMatch(/request not received in time|request body aborted/);
  expect(s.output()).not.toContain("unexpected error");
  expect(s.output()).not.toMatch(/^\s+at /m);
});

test("a live SSE stream stays open well past both timeouts", async () => {
  const login = await fetch(`http://127.0.0.1:${s.port}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password: PASSWORD }),
  });
  expect(login.status).toBe(200);
  const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
  const stream = await openSse(`http://127.0.0.1:${s.port}/api/events/kitchen`, { headers: { cookie } });
  expect(stream.status).toBe(200);
  await stream.waitFor((e) => e.some((x) => x.event === "connected"));
  await new Promise((r) => setTimeout(r, 5_000));
  expect(stream.isEnded()).toBe(false);
  // Keep-alives kept arriving the whole time.
  expect(stream.comments.length).toBeGreaterThanOrEqual(5);
  stream.cut();
});
