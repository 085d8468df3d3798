/**
 * Pass behind Debian's nginx, configured with deploy/nginx.conf (the compose setup's), with real
 * third-party clients on /events/cashier: the `eventsource` package (bearer token, in this
 * process) and Chromium's own EventSource (session cookie, in a page on nginx's origin). A
 * rolling restart of two nodes — and a restart of a single node — leaves both live again with
 * every order exactly once and in order.
 */
import crypto from "node:crypto";
import type { APIRequestContext, Browser, Page } from "@playwright/test";
import { EventSource } from "eventsource";
import pg from "pg";
import { expect, fetchMenu, placeOrder, test, type Menu } from "./support/fixtures";
import { deployNginxConfig, nginxAvailable, siteConfig, startNginx, type Nginx } from "./support/nginx";
import { cli, startServer, type Started } from "./support/processes";

const DATABASE_URL = process.env.DATABASE_URL;
const REDIS_URL = process.env.REDIS_URL;
const required = process.env.REQUIRE_SERVICES === "1";
const ADMIN_PASSWORD = "nginx-admin-pass";

/** Every event the cashier channel sends, control frames included. */
const EVENTS = [
  "connected",
  "disconnecting",
  "replay-start",
  "replay-complete",
  "replay-failed",
  "heartbeat",
  "new-order",
  "confirmed-order",
  "order-status",
  "kitchen-seen",
  "kitchen-not-seen",
];

/** One thing a client saw: an event (its `lastEventId`), or `error` with the readyState after it. */
type Seen = { type: string; id: string; at: number; data: string };
/** `upstreams`: for each stream response, the node nginx took it from (the test's X-Pass-Upstream header). */
type Client = { name: string; seen: () => Promise<Seen[]>; upstreams: string[]; close: () => Promise<void> };

/** Test-only, beside deploy/nginx.conf: which node answered, on every proxied response. */
const UPSTREAM_HEADER = "add_header X-Pass-Upstream $upstream_addr always;";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The `eventsource` package as its README shows it, with a bearer token through `fetch`. */
function packageClient(url: string, token: string): Client {
  const seen: Seen[] = [];
  const upstreams: string[] = [];
  const es = new EventSource(url, {
    fetch: async (input, init) => {
      const res = await fetch(input, { ...init, headers: { ...init?.headers, authorization: `Bearer ${token}` } });
      upstreams.push(res.headers.get("x-pass-upstream") ?? "-");
      return res;
    },
  });
  for (const type of EVENTS) {
    es.addEventListener(type, (e) => seen.push({ type, id: e.lastEventId, at: Date.now(), data: e.data }));
  }
  es.onerror = () => seen.push({ type: "error", id: "", at: Date.now(), data: String(es.readyState) });
  return {
    name: "eventsource package",
    seen: async () => seen,
    upstreams,
    close: async () => es.close(),
  };
}

/** Chromium's native EventSource in a page on nginx's origin, signed in with the session cookie. */
async function browserClient(browser: Browser, origin: string): Promise<Client & { page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const upstreams: string[] = [];
  page.on("response", (res) => {
    if (new URL(res.url()).pathname === "/events/cashier") upstreams.push(res.headers()["x-pass-upstream"] ?? "-");
  });
  const login = await page.request.post(`${origin}/api/auth/login`, { data: { username: "admin", password: ADMIN_PASSWORD } });
  expect(login.status()).toBe(200);
  await page.goto(`${origin}/api/health`);
  await page.evaluate(
    ({ names }) => {
      const w = window as unknown as { seen: Seen[]; es: EventSource };
      w.seen = [];
      const es = new EventSource("/events/cashier");
      w.es = es;
      for (const type of names) {
        es.addEventListener(type, (e) =>
          w.seen.push({ type, id: (e as MessageEvent).lastEventId, at: Date.now(), data: (e as MessageEvent).data }),
        );
      }
      es.onerror = () => w.seen.push({ type: "error", id: "", at: Date.now(), data: String(es.readyState) });
    },
    { names: EVENTS },
  );
  return {
    name: "Chromium EventSource",
    page,
    seen: () => page.evaluate(() => (window as unknown as { seen: Seen[] }).seen),
    upstreams,
    close: async () => {
      await page.evaluate(() => (window as unknown as { es: EventSource }).es.close()).catch(() => undefined);
      await context.close();
    },
  };
}

const orders = (seen: Seen[]) => seen.filter((s) => s.type === "new-order").map((s) => JSON.parse(s.data).id as number);

/** Milliseconds from each `disconnecting` to the next `connected`. */
function reconnectTimes(seen: Seen[]): number[] {
  const times: number[] = [];
  seen.forEach((s, i) => {
    if (s.type !== "disconnecting") return;
    const back = seen.slice(i + 1).find((x) => x.type === "connected");
    times.push(back ? back.at - s.at : Number.NaN);
  });
  return times;
}

async function until(what: string, check: () => Promise<boolean>, ms: number, detail: () => Promise<string>) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}\n${await detail()}`);
    await sleep(50);
  }
}

test.describe("behind nginx (deploy/nginx.conf)", () => {
  test.skip(!required && (!DATABASE_URL || !REDIS_URL), "set DATABASE_URL and REDIS_URL to run the nginx test");
  // With REQUIRE_SERVICES (CI) a missing nginx fails the test instead of skipping it.
  test.skip(!required && !nginxAvailable(), "Debian's nginx is not installed (apt-get install nginx; .ci/run installs it)");

  let schema = "";
  let env: Record<string, string> = {};
  const nodes: { A?: Started; B?: Started } = {};
  let proxy: Nginx | undefined;
  let screenToken = "";
  let kioskToken = "";
  let menu: Menu;
  const clients: Client[] = [];

  test.beforeAll(async () => {
    if (!DATABASE_URL || !REDIS_URL) throw new Error("REQUIRE_SERVICES=1 needs DATABASE_URL and REDIS_URL");
    schema = `e2e_${crypto.randomBytes(5).toString("hex")}`;
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    const url = new URL(DATABASE_URL);
    url.searchParams.set("options", `-c search_path=${schema}`);
    env = {
      DATABASE_URL: url.toString(),
      REDIS_URL,
      SESSION_SECRET: crypto.randomBytes(32).toString("hex"),
      PASS_ADMIN_PASSWORD: ADMIN_PASSWORD,
    };
    // A first, alone: it seeds the demo partner and the admin; then B.
    nodes.A = await startServer(env);
    nodes.B = await startServer(env);
    const token = (role: string) => {
      const out = cli(nodes.A!.dataDir, ["token", "add", "--partner", "demo", "--role", role], env);
      expect(out.status, out.stderr).toBe(0);
      return out.stdout.trim().split("\n").at(-1)!;
    };
    screenToken = token("operator");
    kioskToken = token("integration");
  });

  test.afterEach(async () => {
    for (const c of clients.splice(0)) await c.close();
    await proxy?.stop();
    proxy = undefined;
  });

  test.afterAll(async () => {
    for (const s of [nodes.A, nodes.B]) s?.child.kill("SIGKILL");
    if (schema && DATABASE_URL) {
      const admin = new pg.Client({ connectionString: DATABASE_URL });
      await admin.connect();
      await admin.query(`drop schema ${schema} cascade`);
      // graphile-worker's queue beside it (lib/events/jobs.ts jobsSchemaFor).
      await admin.query(`drop schema if exists ${schema}_jobs cascade`);
      await admin.end();
    }
  });

  /** Places one order straight on `node` (not through nginx), as a kiosk with its token. */
  const place = async (request: APIRequestContext, node: Started) =>
    (await placeOrder(request, { base: `http://127.0.0.1:${node.port}`, as: { token: kioskToken }, items: [{ food: 1 }], menu })).id;

  /** Places orders one after another, every ~100 ms, on whichever node `on` names, until `stop`. */
  function writer(request: APIRequestContext, placed: number[]) {
    let target: Started | null = null;
    let running = true;
    let failure: unknown = null;
    let inFlight: Promise<unknown> = Promise.resolve();
    const loop = (async () => {
      while (running) {
        const node = target;
        if (node) {
          inFlight = place(request, node).then(
            (id) => placed.push(id),
            (e) => (failure ??= e),
          );
          await inFlight;
        }
        await sleep(100);
      }
    })();
    return {
      /** Writes go to `node` from now on; resolves once no write is in flight on the previous one. */
      on: async (node: Started | null) => {
        target = node;
        await inFlight;
      },
      stop: async () => {
        running = false;
        await loop;
        if (failure) throw failure;
      },
    };
  }

  const describeClients = async () =>
    (
      await Promise.all(
        clients.map(
          async (c) => `${c.name}: ${(await c.seen()).map((s) => `${s.id}:${s.type}${s.type === "error" ? `(${s.data})` : ""}`).join(" ")}`,
        ),
      )
    ).join("\n") + `\n${proxy?.logs() ?? ""}`;

  const allSee = (what: string, ids: number[], ms = 10_000) =>
    until(
      what,
      async () => {
        for (const c of clients) {
          const got = orders(await c.seen());
          if (!ids.every((id) => got.includes(id))) return false;
        }
        return true;
      },
      ms,
      describeClients,
    );

  /** Every client that saw a `disconnecting` has a `connected` after its last one. */
  const allBack = (ms = 10_000) =>
    until(
      "every client to reconnect",
      async () => {
        for (const c of clients) {
          const seen = await c.seen();
          const last = seen.findLastIndex((s) => s.type === "disconnecting");
          if (last >= 0 && !seen.slice(last).some((s) => s.type === "connected")) return false;
        }
        return true;
      },
      ms,
      describeClients,
    );

  /** SIGTERM `name` and wait for it to exit; returns how to start it again (same port, same env). */
  async function stop(name: "A" | "B") {
    const node = nodes[name]!;
    node.child.kill("SIGTERM");
    expect(await node.exited).toBe(0);
    return async () => {
      nodes[name] = await startServer({ ...env, PORT: String(node.port), DATA_DIR: node.dataDir });
    };
  }

  async function verify(placed: number[], { restarts, withinMs }: { restarts: number; withinMs: number }) {
    const report: string[] = [];
    for (const c of clients) {
      const seen = await c.seen();
      // Every order exactly once, in the order it was placed, in log order.
      expect(orders(seen), c.name).toEqual(placed);
      const logIds = seen.filter((s) => s.type === "new-order").map((s) => Number(s.id));
      expect(logIds, c.name).toEqual([...logIds].sort((x, y) => x - y));
      expect(new Set(logIds).size, c.name).toBe(logIds.length);
      expect(
        seen.filter((s) => s.type === "replay-failed"),
        c.name,
      ).toEqual([]);
      // Never closed for good (readyState 2 after an error).
      expect(
        seen.filter((s) => s.type === "error" && s.data === "2"),
        c.name,
      ).toEqual([]);
      const times = reconnectTimes(seen);
      expect(times.length, `${c.name} went through a restart`).toBeGreaterThanOrEqual(restarts);
      expect(seen.filter((s) => s.type === "connected").length, c.name).toBe(times.length + 1);
      for (const t of times) expect(t, `${c.name} reconnected`).toBeLessThan(withinMs);
      report.push(`${c.name}: reconnected after ${times.map((t) => `${t} ms`).join(", ")}`);
    }
    return report;
  }

  /** An order placed through nginx once everything is back: how long until both clients have it. */
  async function liveAgain(request: APIRequestContext, placed: number[]) {
    const started = Date.now();
    const order = await placeOrder(request, { base: proxy!.origin, as: { token: kioskToken }, items: [{ food: 2 }], menu });
    placed.push(order.id);
    await allSee("the order placed through nginx after the restart", [order.id], 3_000);
    return Date.now() - started;
  }

  test("two nodes, a rolling restart: both clients come back on the other node, nothing missed or doubled", async ({
    browser,
    request,
  }) => {
    const snippet = deployNginxConfig();
    proxy = await startNginx(
      (listen) => `${siteConfig(snippet, { ...listen, nodes: [nodes.A!.port, nodes.B!.port] })}\n${UPSTREAM_HEADER}`,
    );
    menu = await fetchMenu(request, { base: proxy.origin });
    clients.push(packageClient(`${proxy.origin}/events/cashier`, screenToken), await browserClient(browser, proxy.origin));
    await until(
      "both clients to connect",
      async () => (await Promise.all(clients.map(async (c) => (await c.seen()).some((s) => s.type === "connected")))).every(Boolean),
      10_000,
      describeClients,
    );

    const placed: number[] = [];
    for (const node of [nodes.A!, nodes.B!, nodes.A!]) placed.push(await place(request, node));
    await allSee("the first orders", placed);

    // Which node each stream is on, from nginx's $upstream_addr: "A", or "A, B" when nginx
    // tried A and went on to B.
    const named = (addr: string) =>
      addr
        .split(", ")
        .map((a) => (a.endsWith(`:${nodes.A!.port}`) ? "A" : a.endsWith(`:${nodes.B!.port}`) ? "B" : a))
        .join(", ");
    const on = (c: Client) =>
      named(c.upstreams.at(-1) ?? "-")
        .split(", ")
        .at(-1)!;

    // Orders keep coming throughout, on whichever node is up. First the node the eventsource
    // client is on stops, then the other: every client goes through at least one restart,
    // and after each one every stream is on the node that stayed up.
    const first = on(clients[0]!) as "A" | "B";
    const second = first === "A" ? "B" : "A";
    const w = writer(request, placed);
    for (const [victim, survivor] of [
      [first, second],
      [second, first],
    ] as const) {
      await w.on(nodes[survivor]!);
      const start = await stop(victim);
      // The victim stays down until every client is back: a reconnect can only have gone to
      // the survivor (proxy_next_upstream past the refused node).
      await allBack();
      for (const c of clients) expect(on(c), `${c.name} after ${victim} stopped`).toBe(survivor);
      await start();
      await w.on(nodes[victim]!);
      await sleep(300);
      await allSee(`every order so far, after ${victim}'s restart`, [...placed]);
    }
    await w.stop();
    const liveMs = await liveAgain(request, placed);

    const report = await verify(placed, { restarts: 1, withinMs: 5_000 });
    for (const c of clients) report.push(`${c.name}: streams from ${c.upstreams.map((u) => `[${named(u)}]`).join(" → ")}`);
    report.push(`an order placed through nginx afterwards reached both in ${liveMs} ms; ${placed.length} orders in all`);
    console.log(`nginx, two nodes, rolling restart:\n  ${report.join("\n  ")}`);
    test.info().annotations.push({ type: "reconnect", description: report.join("; ") });
  });

  test("one node: the @stream_retry fallback keeps a plain EventSource retrying until the node is back", async ({ browser, request }) => {
    const snippet = deployNginxConfig();
    proxy = await startNginx((listen) => siteConfig(snippet, { ...listen, nodes: [nodes.A!.port] }));
    menu ??= await fetchMenu(request, { base: proxy.origin });
    clients.push(packageClient(`${proxy.origin}/events/cashier`, screenToken), await browserClient(browser, proxy.origin));
    await until(
      "both clients to connect",
      async () => (await Promise.all(clients.map(async (c) => (await c.seen()).some((s) => s.type === "connected")))).every(Boolean),
      10_000,
      describeClients,
    );
    const placed = [await place(request, nodes.A!)];
    await allSee("the first order", placed);

    // A is down for a few seconds; meanwhile B (not behind this nginx) takes orders: the
    // clients get them on resume.
    const start = await stop("A");
    for (let i = 0; i < 3; i++) placed.push(await place(request, nodes.B!));
    await sleep(3_000);
    await start();
    await allBack();
    await allSee("the orders placed while A was down", [...placed]);
    const liveMs = await liveAgain(request, placed);

    const report = await verify(placed, { restarts: 1, withinMs: 15_000 });
    report.push(`an order placed through nginx afterwards reached both in ${liveMs} ms`);
    console.log(`nginx, one node, down ~4 s:\n  ${report.join("\n  ")}`);
    // nginx answered some of the reconnects itself (502 from no upstream → 200 with retry:).
    expect(proxy.logs()).toMatch(/"GET \/events\/cashier HTTP\/1\.1" 200 upstream=\S*\/50[23]/);
  });
  test("one node without the fallback: the reconnect meets a 502 and a plain EventSource closes for good", async ({ browser }) => {
    const snippet = deployNginxConfig();
    const withoutFallback = snippet.replace(/^\s*error_page .* @stream_retry;\n/m, "");
    expect(withoutFallback).not.toBe(snippet);
    proxy = await startNginx((listen) => siteConfig(withoutFallback, { ...listen, nodes: [nodes.A!.port] }));
    clients.push(packageClient(`${proxy.origin}/events/cashier`, screenToken), await browserClient(browser, proxy.origin));
    await until(
      "both clients to connect",
      async () => (await Promise.all(clients.map(async (c) => (await c.seen()).some((s) => s.type === "connected")))).every(Boolean),
      10_000,
      describeClients,
    );
    const start = await stop("A");
    const closed = async () =>
      (await Promise.all(clients.map(async (c) => (await c.seen()).some((s) => s.type === "error" && s.data === "2")))).every(Boolean);
    await until("both clients to give up", closed, 6_000, describeClients);
    await start();
    await sleep(2_500);
    for (const c of clients) {
      const seen = await c.seen();
      // Gave up after `disconnecting`, and never came back although A is up again.
      expect(seen.filter((s) => s.type === "connected").length, c.name).toBe(1);
      expect(
        seen.some((s) => s.type === "disconnecting"),
        c.name,
      ).toBe(true);
    }
    expect(proxy.logs()).toMatch(/"GET \/events\/cashier HTTP\/1\.1" 502 /);
  });
});
