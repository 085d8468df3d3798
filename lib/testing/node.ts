/** A real HTTP listener on 127.0.0.1 serving the realtime routes, as server.ts mounts them. */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Db } from "../db";
import type { EventBus } from "../realtime/bus";
import { isSsePath } from "../realtime/handler";
import { isCustomerStreamPath } from "../realtime/customer-stream";
import { createWsServer, isWsPath, type WsLimits } from "../realtime/ws";
import type { ProxySettings } from "../auth";
import { startRealtime, type Realtime } from "../realtime/runtime";

export type TestNode = { url: string; realtime: Realtime; server: http.Server; close(): Promise<void> };

export async function startTestNode({
  db,
  bus,
  redisUrl = null,
  redisPrefix = null,
  publishLocalCommits = true,
  keepaliveMs = 15_000,
  maxLifeMs = 600_000,
  maxQueueBytes,
  gapCheckMs,
  recentCapacity,
  replayMaxEvents,
  replayBudgetPerMinute,
  upstream = null,
  port = 0,
  wsLimits,
  wsPingMs,
  proxy,
  routes = [],
  pacing,
}: {
  db: Db;
  bus?: EventBus;
  redisUrl?: string | null;
  /** REDIS_PREFIX; null = derived from the log's epoch. */
  redisPrefix?: string | null;
  publishLocalCommits?: boolean;
  keepaliveMs?: number;
  maxLifeMs?: number;
  maxQueueBytes?: number;
  gapCheckMs?: number;
  recentCapacity?: number;
  replayMaxEvents?: number;
  replayBudgetPerMinute?: number;
  upstream?: { url: string; token: string | null } | null;
  /** 0 = any free port; a fixed port lets a test restart a node where clients expect it. */
  port?: number;
  wsLimits?: WsLimits;
  /** /ws protocol ping interval (default 30 s). */
  wsPingMs?: number;
  /** PUBLIC_URL, TRUST_PROXY, ALLOWED_ORIGINS as /ws sees them (default: none). */
  proxy?: ProxySettings;
  /** Next route handlers to serve too (GET only), for clients that mix REST and streams. */
  routes?: { pattern: RegExp; GET: (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response> }[];
  /** STREAM_ADMISSION_LIMIT and STREAM_RETRY_JITTER (lib/realtime/admission.ts); default theirs. */
  pacing?: { limit?: number; jitter?: number };
}): Promise<TestNode> {
  const realtime = await startRealtime({
    db,
    bus,
    publishLocalCommits,
    maxQueueBytes,
    gapCheckMs,
    recentCapacity,
    replayBudgetPerMinute,
    config: {
      replayMaxEvents,
      redisUrl,
      redisPrefix,
      keepaliveMs,
      streamMaxLifeMs: maxLifeMs,
      posUpstreamUrl: upstream?.url ?? null,
      posUpstreamToken: upstream?.token ?? null,
      trustProxy: proxy?.trustProxy ?? 0,
      streamAdmissionLimit: pacing?.limit,
      streamRetryJitter: pacing?.jitter,
    },
  });
  const server = http.createServer((req, res) => {
    const pathname = (req.url ?? "/").split("?")[0]!;
    if (isSsePath(pathname)) void realtime.handle(req, res);
    else if (isCustomerStreamPath(pathname)) void realtime.handleCustomer(req, res);
    else if (routes.some((r) => r.pattern.test(pathname)))
      void serveRoute(req, res, routes.find((r) => r.pattern.test(pathname))!, pathname);
    else {
      res.writeHead(404);
      res.end();
    }
  });
  const websockets = createWsServer({ hub: realtime.hub, limits: wsLimits, pingMs: wsPingMs, proxy });
  server.on("upgrade", (req, socket, head) => {
    if (isWsPath((req.url ?? "/").split("?")[0]!)) websockets.handleUpgrade(req, socket, head);
    else socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    realtime,
    server,
    async close() {
      websockets.close();
      await realtime.stop({ reconnectAfter: 0 });
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

async function serveRoute(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  route: { pattern: RegExp; GET: (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response> },
  pathname: string,
): Promise<void> {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
  const params = route.pattern.exec(pathname)?.groups ?? {};
  const response = await route.GET(new Request(`http://${req.headers.host}${req.url}`, { headers }), { params: Promise.resolve(params) });
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}
