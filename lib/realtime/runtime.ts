import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Config } from "../config";
import type { Db } from "../db";
import { MemoryBus, RedisBus, type EventBus } from "./bus";
import { serveChannel } from "./handler";
import { serveCustomerStream } from "./customer-stream";
import { Hub } from "./hub";
import { DEFAULT_PACING } from "./admission";
import { NodeTransport, type StreamTransport, WebTransport } from "./transport";
import type { LoggedEvent } from "../events/log";
import { logPosition } from "../events/log";
import { committedEvents } from "../events/notify";

export type Realtime = {
  hub: Hub;
  bus: EventBus;
  /** GET /events/{channel} and /api/events/{channel} (docs/contracts.md#seeds-003) on Node's req/res (server.ts). */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** GET /v1/orders/live (docs/contracts.md#seeds-002) on Node's req/res (server.ts). */
  handleCustomer(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /**
   * The same two for the App Router route handlers, on a web `ReadableStream` (WebTransport).
   * The transport is built here, not in the route bundle: every bundle loads its own copy of
   * lib/, and the stream code, its error classes and the hub must all be this runtime's.
   */
  respondChannel(request: Request): Promise<Response>;
  respondCustomer(request: Request): Promise<Response>;
  /** SIGTERM: `disconnecting` to every stream, then stop the hub and the bus. */
  stop(options?: { reconnectAfter?: number }): Promise<void>;
};

/**
 * The realtime side of one node: the bus (Redis with REDIS_URL, else in-process), the hub, and
 * the stream handler server.ts mounts. Commits made in this process are published on the bus.
 */
export async function startRealtime({
  db,
  config,
  bus: givenBus,
  publishLocalCommits = true,
  maxLifeMs = config.streamMaxLifeMs,
  maxQueueBytes,
  gapCheckMs,
  recentCapacity,
  replayBudgetPerMinute,
}: {
  db: Db;
  config: Pick<Config, "redisUrl" | "keepaliveMs" | "posUpstreamUrl" | "posUpstreamToken" | "streamMaxLifeMs"> &
    Partial<Pick<Config, "redisPrefix" | "replayMaxEvents" | "trustProxy" | "streamAdmissionLimit" | "streamRetryJitter">>;
  bus?: EventBus;
  publishLocalCommits?: boolean;
  maxLifeMs?: number;
  maxQueueBytes?: number;
  gapCheckMs?: number;
  recentCapacity?: number;
  replayBudgetPerMinute?: number;
}): Promise<Realtime> {
  // Redis channels carry this log's epoch and, by default, a prefix derived from it.
  const { epoch } = await logPosition({ db });
  const bus =
    givenBus ??
    (config.redisUrl ? new RedisBus({ url: config.redisUrl, epoch, prefix: config.redisPrefix ?? undefined }) : new MemoryBus());
  const hub = new Hub({
    db,
    bus,
    keepaliveMs: config.keepaliveMs,
    gapCheckMs,
    recentCapacity,
    maxReplayEvents: config.replayMaxEvents,
    replayBudgetPerMinute,
    pacing: {
      limit: config.streamAdmissionLimit ?? DEFAULT_PACING.limit,
      jitter: config.streamRetryJitter ?? DEFAULT_PACING.jitter,
    },
  });
  await hub.start();
  // This node's own log only: another database in this process is another deployment.
  const publish = (events: LoggedEvent[], from: Db) => {
    if (from === db) bus.publish(events);
  };
  if (publishLocalCommits) committedEvents().on("committed", publish);
  const upstream = config.posUpstreamUrl ? { url: config.posUpstreamUrl, token: config.posUpstreamToken } : null;
  const channel = (transport: StreamTransport) =>
    serveChannel(transport, { hub, keepaliveMs: config.keepaliveMs, maxLifeMs, maxQueueBytes, upstream, trustProxy: config.trustProxy });
  const customer = (transport: StreamTransport) => serveCustomerStream(transport, { hub, maxLifeMs });
  return {
    hub,
    bus,
    handle: (req, res) => channel(new NodeTransport(req, res)),
    handleCustomer: (req, res) => customer(new NodeTransport(req, res)),
    respondChannel: (request) => {
      const transport = new WebTransport(request);
      void channel(transport);
      return transport.response;
    },
    respondCustomer: (request) => {
      const transport = new WebTransport(request);
      void customer(transport);
      return transport.response;
    },
    async stop({ reconnectAfter = 2 } = {}) {
      committedEvents().off("committed", publish);
      hub.shutdown({ reconnectAfter });
      await hub.stop();
      await bus.close();
    },
  };
}
