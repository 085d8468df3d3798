import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Config } from "../config";
import type { Db } from "../db";
import { MemoryBus, RedisBus, type EventBus } from "./bus";
import { handleSse } from "./handler";
import { handleCustomerSse } from "./customer-stream";
import { Hub } from "./hub";
import type { LoggedEvent } from "../events/log";
import { committedEvents } from "../events/notify";

export type Realtime = {
  hub: Hub;
  bus: EventBus;
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** GET /v1/orders/live (seeds/002). */
  handleCustomer(req: IncomingMessage, res: ServerResponse): Promise<void>;
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
}: {
  db: Db;
  config: Pick<Config, "redisUrl" | "keepaliveMs" | "posUpstreamUrl" | "posUpstreamToken" | "streamMaxLifeMs">;
  bus?: EventBus;
  publishLocalCommits?: boolean;
  maxLifeMs?: number;
  maxQueueBytes?: number;
  gapCheckMs?: number;
}): Promise<Realtime> {
  const bus = givenBus ?? (config.redisUrl ? new RedisBus({ url: config.redisUrl }) : new MemoryBus());
  const hub = new Hub({ db, bus, keepaliveMs: config.keepaliveMs, gapCheckMs });
  await hub.start();
  const publish = (events: LoggedEvent[]) => bus.publish(events);
  if (publishLocalCommits) committedEvents().on("committed", publish);
  const upstream = config.posUpstreamUrl ? { url: config.posUpstreamUrl, token: config.posUpstreamToken } : null;
  return {
    hub,
    bus,
    handle: (req, res) => handleSse(req, res, { hub, keepaliveMs: config.keepaliveMs, maxLifeMs, maxQueueBytes, upstream }),
    handleCustomer: (req, res) => handleCustomerSse(req, res, { hub, maxLifeMs }),
    async stop({ reconnectAfter = 2 } = {}) {
      committedEvents().off("committed", publish);
      hub.shutdown({ reconnectAfter });
      await hub.stop();
      await bus.close();
    },
  };
}
