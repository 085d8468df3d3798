/**
 * The Node server that hosts Next (docs/architecture.md#transports). It opens the database, routes the realtime paths
 * to lib/realtime on Node's own req/res (App Router bodies cost ~4× the CPU per event), answers the
 * hot write routes with their own handlers (server-routes.ts), hands everything else to Next, and
 * owns listen errors and shutdown.
 */
import http from "node:http";
import type { Socket } from "node:net";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import next from "next";
import { ConfigError } from "./lib/config";
import crypto from "node:crypto";
import { CLIENT_ADDRESS_HEADER, CLIENT_ADDRESS_PROOF_HEADER, clientAddress } from "./lib/auth";
import { processSlot } from "./lib/process";
import { AppError, ERROR_HEADERS, ValidationError, errorBody } from "./lib/errors";
import { isDecodablePath } from "./lib/fields";
import { startProcessRuntime } from "./lib/process-runtime";
import { isSsePath } from "./lib/realtime";
import { isCustomerStreamPath } from "./lib/realtime/customer-stream";
import { createWsServer, isWsPath } from "./lib/realtime/ws";
import { routeMatcher, type RouteMatcher } from "./lib/http/route-patterns";
import { errorFields, log as logger, requestIdOf, withRequestId } from "./lib/log";
import type { PassMetrics } from "./lib/metrics";
import fs from "node:fs";
import { securityHeaders } from "./security-headers.mjs";
import { fastRoute, serveFast } from "./server-routes";

const SHUTDOWN_DEADLINE_MS = 4_500;
/** What streams are told on SIGTERM: come back after this many seconds (another node, or this one restarted). */
const RECONNECT_AFTER_S = 2;

async function main() {
  const dev = process.argv.includes("--dev");
  const withSecurityHeaders = securityHeadersSetter(dev);
  // Config, database, bus, hub and kitchen watch: built once, shared with Next's bundles.
  const { config, handle, realtime, watch, printing, demo, jobs, metrics } = await startProcessRuntime();
  const routeOf = appRoutes();
  const metricsToken = config.metricsToken ? crypto.createHash("sha256").update(config.metricsToken).digest() : null;

  // `npm run bench:fanout` only: `?via=next` sends a channel through app/api/events/[channel]/route.ts.
  const benchRoutes = process.env.PASS_BENCH_ROUTES === "1";
  // `npm run bench:storm` only: this process's own event-loop delay and memory, every N ms.
  if (process.env.PASS_BENCH_LOOP_REPORT_MS) reportLoop(Number(process.env.PASS_BENCH_LOOP_REPORT_MS));
  // Only this process knows it; a client sending its own address header cannot match it.
  const addressProof = crypto.randomBytes(24).toString("base64url");
  processSlot().clientAddressProof = addressProof;

  const app = next({ dev, dir: path.resolve(import.meta.dirname, "..") });
  const nextHandler = app.getRequestHandler();
  await app.prepare();

  let stopping = false;
  const server = http.createServer(serverOptions(config), (req, res) => {
    withSecurityHeaders(res);
    // A proxy's (or client's) request id, else a new one: in the answer, to Next, on every log line of the request.
    const reqId = requestIdOf(req.headers["x-request-id"]);
    req.headers["x-request-id"] = reqId;
    res.setHeader("x-request-id", reqId);
    // Streams are answered here on Node's req/res, never through Next (docs/architecture.md#transports).
    const [pathname, query = ""] = (req.url ?? "/").split("?", 2) as [string, string?];
    const stream = isSsePath(pathname) || isCustomerStreamPath(pathname);
    // Latency per route pattern (never the raw URL); a stream's life is not a latency: counted in pass_streams_open.
    if (!stream) timeRequest(metrics, routeOf, pathname, req, res, reqId);
    if (pathname === "/metrics") {
      void serveMetrics(metrics, metricsToken, req, res);
      return;
    }
    if (stopping) {
      // From SIGTERM on: every answer closes its connection, and a new stream is sent elsewhere
      // (a proxy's next upstream) or told when to come back, instead of opening on a dying node.
      res.shouldKeepAlive = false;
      if (stream) {
        const { status, body } = errorBody(new AppError(503, "SHUTTING_DOWN", "Pass is restarting; retry shortly"));
        res.writeHead(status, { ...ERROR_HEADERS, "retry-after": String(RECONNECT_AFTER_S), connection: "close" });
        res.end(JSON.stringify(body));
        return;
      }
    }
    // Next decodes the path to route it and answers malformed percent-encoding with a 500: refuse it here.
    if (!isDecodablePath(pathname)) {
      const { status, body } = errorBody(new ValidationError("path", "malformed percent-encoding"));
      res.writeHead(status, ERROR_HEADERS);
      res.end(JSON.stringify(body));
      return;
    }
    if (isSsePath(pathname) && !(benchRoutes && /(?:^|&)via=next(?:&|$)/.test(query))) {
      void realtime.handle(req, res);
      return;
    }
    if (isCustomerStreamPath(pathname)) {
      void realtime.handleCustomer(req, res);
      return;
    }
    // Route handlers cannot see the socket: hand them the client's address (never the client's own
    // claim), with this process's proof that server.ts wrote it (lib/http clientAddressOf).
    req.headers[CLIENT_ADDRESS_HEADER] = clientAddress({
      remoteAddress: req.socket.remoteAddress,
      forwardedFor: req.headers["x-forwarded-for"],
      trustProxy: config.trustProxy,
    });
    req.headers[CLIENT_ADDRESS_PROOF_HEADER] = addressProof;
    // The hot write routes: their own route handlers, without Next's per-request work (server-routes.ts).
    const fast = fastRoute(req.method, pathname);
    withRequestId(reqId, () =>
      (fast ? serveFast(fast, req, res) : nextHandler(req, res)).catch((err) => {
        logger().error(errorFields(err), "pass: request failed");
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
        res.end("internal error");
      }),
    );
  });

  // Upgraded sockets (Next's dev HMR, later /ws) are not closed by server.close(): track them.
  const upgraded = new Set<Socket>();
  const websockets = createWsServer({ hub: realtime.hub, proxy: config });
  server.on("upgrade", (req, socket, head) => {
    upgraded.add(socket as Socket);
    socket.on("close", () => upgraded.delete(socket as Socket));
    if (isWsPath((req.url ?? "/").split("?", 1)[0]!)) {
      websockets.handleUpgrade(req, socket, head);
      return;
    }
    const upgrade = app.getUpgradeHandler();
    upgrade(req, socket, head).catch(() => socket.destroy());
  });

  server.on("clientError", onClientError);

  server.on("error", (err: NodeJS.ErrnoException) => {
    const reason =
      err.code === "EADDRINUSE"
        ? `port ${config.port} is already in use`
        : err.code === "EADDRNOTAVAIL" || err.code === "ENOTFOUND"
          ? `HOST ${config.host} is not an address of this machine`
          : err.message;
    logger().error(`pass: cannot listen: ${reason}`);
    process.exit(1);
  });

  // HOST unset: every interface (IPv6 and IPv4), so tablets on the LAN reach the node directly.
  const listening = () => {
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : config.port;
    const where = config.host ? (config.host.includes(":") ? `[${config.host}]` : config.host) : "localhost";
    logger().info(`pass: ready on http://${where}:${port} (${dev ? "development" : "production"})`);
  };
  // A deep accept queue (the kernel caps it at net.core.somaxconn): thousands of clients coming
  // back at once after a restart wait in it instead of having their connections dropped.
  const backlog = 4096;
  if (config.host) server.listen({ port: config.port, host: config.host, backlog }, listening);
  else server.listen({ port: config.port, backlog }, listening);

  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger().info(`pass: ${signal} received, stopping`);
    const force = setTimeout(() => {
      logger().warn("pass: shutdown deadline reached, exiting");
      process.exit(0);
    }, SHUTDOWN_DEADLINE_MS);
    force.unref();
    clearInterval(watch);
    // A running demo service stops ordering (its token is revoked while the database is still open).
    void demo.stopAll().catch(() => undefined);
    websockets.close();
    for (const socket of upgraded) socket.destroy();
    // The job in hand finishes (or its lease runs out on another node); leases are released.
    const printed = printing.stop().catch(() => undefined);
    // Jobs in hand finish (their effects commit) before the database closes.
    const jobsStopped = jobs?.stop().catch((err) => logger().error(`pass: jobs did not stop cleanly: ${(err as Error).message}`));
    server.close(async () => {
      await printed;
      await jobsStopped;
      await handle.destroy().catch(() => undefined);
      process.exit(0);
    });
    // Keep-alive connections with no request in flight would hold close() open.
    server.closeIdleConnections();
    // Every stream is told to come back shortly (`retry:` as well), then ends; the connections
    // it leaves idle are closed at once rather than at the deadline.
    void realtime
      .stop({ reconnectAfter: RECONNECT_AFTER_S })
      .catch(() => undefined)
      .then(() => server.closeIdleConnections());
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

/** One stdout line per `everyMs`: event-loop delay (p99, max, in ms) and RSS since the previous line. */
function reportLoop(everyMs: number) {
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  setInterval(() => {
    const ms = (ns: number) => (ns / 1e6).toFixed(1);
    console.log(`pass-bench: loop p99=${ms(loop.percentile(99))} max=${ms(loop.max)} rss=${process.memoryUsage.rss()}`);
    loop.reset();
  }, everyMs).unref();
}

/** Route patterns of the built app (Next's manifest); without a build (`--dev` before its first compile) only server.ts's own. */
function appRoutes(): RouteMatcher {
  const own = ["/api/events/[channel]/route", "/events/[channel]/route", "/v1/orders/live/route", "/metrics/route"];
  let keys: string[] = [];
  try {
    const manifest = path.resolve(import.meta.dirname, "..", ".next", "server", "app-paths-manifest.json");
    keys = Object.keys(JSON.parse(fs.readFileSync(manifest, "utf8")));
  } catch {}
  return routeMatcher([...own, ...keys]);
}

function timeRequest(
  metrics: PassMetrics,
  routeOf: RouteMatcher,
  pathname: string,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  reqId: string,
) {
  const started = performance.now();
  res.once("finish", () => {
    const seconds = (performance.now() - started) / 1000;
    const route = routeOf(pathname);
    metrics.http(route, req.method ?? "GET", res.statusCode, seconds);
    // The access log, at LOG_LEVEL=debug (one line per request is too many for info).
    logger().debug({ reqId, method: req.method, route, status: res.statusCode, ms: Math.round(seconds * 1e4) / 10 }, "pass: request");
  });
}

/**
 * GET /metrics: the Prometheus exposition (docs/operations.md#metrics), for a bearer METRICS_TOKEN
 * only (401 without it); 404 when no METRICS_TOKEN is set.
 */
async function serveMetrics(metrics: PassMetrics, token: Buffer | null, req: http.IncomingMessage, res: http.ServerResponse) {
  const refuse = (err: AppError, headers: Record<string, string> = {}) => {
    const { status, body } = errorBody(err);
    res.writeHead(status, { ...ERROR_HEADERS, ...headers });
    res.end(JSON.stringify(body));
  };
  if (!token) return refuse(new AppError(404, "NOT_FOUND", "not found"));
  const authorization = req.headers.authorization ?? "";
  const given = authorization.startsWith("Bearer ") ? crypto.createHash("sha256").update(authorization.slice(7).trim()).digest() : null;
  if (!given || !crypto.timingSafeEqual(given, token))
    return refuse(new AppError(401, "UNAUTHORIZED", "a bearer METRICS_TOKEN is required"), {
      "www-authenticate": 'Bearer realm="metrics"',
    });
  if (req.method !== "GET" && req.method !== "HEAD")
    return refuse(new AppError(405, "METHOD_NOT_ALLOWED", "GET only"), { allow: "GET, HEAD" });
  try {
    const { contentType, body } = await metrics.render();
    res.writeHead(200, { "content-type": contentType, "cache-control": "no-store" });
    res.end(req.method === "HEAD" ? undefined : body);
  } catch (err) {
    refuse(err instanceof AppError ? err : new AppError(500, "INTERNAL", "metrics failed"));
    logger().error(errorFields(err), "pass: metrics failed");
  }
}

/**
 * The security headers (security-headers.mjs) on every answer this server writes itself — the
 * streams, /v1/orders/live, the 400s, 503s and 500s below — with the static CSP, which allows no
 * inline script; Next sets its own on its answers (next.config.mjs, and proxy.ts a nonce'd CSP on
 * pages), overwriting the ones set here.
 */
function securityHeadersSetter(dev: boolean): (res: http.ServerResponse) => void {
  const headers = Object.entries(securityHeaders({ dev }));
  return (res) => {
    for (const [name, value] of headers) res.setHeader(name, value);
  };
}

/**
 * Slow clients: request headers must arrive within HEADERS_TIMEOUT_MS (10 s) and the whole
 * request within REQUEST_TIMEOUT_MS (30 s). Node's requestTimeout covers only *receiving* the
 * request, so a stream — a GET whose request is complete once its headers are in — stays open
 * as long as it likes (SSE, /v1/orders/live; /ws leaves the HTTP server at the upgrade).
 * Node checks these every connectionsCheckingInterval (30 s by default): once a second here.
 */
function serverOptions(config: { headersTimeoutMs: number; requestTimeoutMs: number }): http.ServerOptions {
  return {
    headersTimeout: config.headersTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    connectionsCheckingInterval: Math.min(1_000, config.headersTimeoutMs),
  };
}

/**
 * A connection that sent garbage, was too slow, or went away mid-request: one line in the log
 * (no stack), a 408/400 if the socket can still take it, and the socket closed.
 */
function onClientError(err: NodeJS.ErrnoException, socket: import("node:stream").Duplex) {
  const code = err.code ?? "ERR";
  const timedOut = code === "ERR_HTTP_REQUEST_TIMEOUT";
  if (code !== "ECONNRESET" && code !== "EPIPE") {
    const from = (socket as Socket).remoteAddress ?? "?";
    logger().warn(`pass: dropped a client connection from ${from}: ${timedOut ? "request not received in time" : code}`);
  }
  if (socket.writable && (socket as Socket).bytesWritten === 0) {
    socket.write(`HTTP/1.1 ${timedOut ? "408 Request Timeout" : "400 Bad Request"}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  }
  socket.destroy();
}

main().catch((err) => {
  if (err instanceof ConfigError) logger().error(`pass: ${err.message}`);
  else logger().error(errorFields(err), `pass: failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
