import "server-only";
import crypto from "node:crypto";
import { Redis } from "ioredis";
import type { LoggedEvent } from "../events/log";
import { log as logger } from "../log";

/**
 * How committed events travel between nodes. The log stays the truth: a bus only has to be
 * fast, not reliable — the hub repairs any gap it notices from the log.
 */
export interface EventBus {
  readonly kind: "memory" | "redis";
  publish(events: readonly LoggedEvent[]): void;
  /**
   * `onEvents` gets events committed in this process (trusted, any order); `onHint` the id of an
   * event another node committed — only a hint: the hub reads the log up to it, so a message
   * can never make a hub deliver (or advance past) anything the log does not have; `onResync`
   * when messages may have been lost. Resolves once the subscription is active.
   */
  subscribe(handlers: BusHandlers): Promise<void>;
  close(): Promise<void>;
}

export type BusHandlers = { onEvents(events: LoggedEvent[]): void; onHint(id: number): void; onResync(): void };

/** One node: publish hands events straight to the subscribers of this process. */
export class MemoryBus implements EventBus {
  readonly kind = "memory";
  #handlers: BusHandlers[] = [];

  publish(events: readonly LoggedEvent[]): void {
    const copy = [...events];
    queueMicrotask(() => {
      for (const h of this.#handlers) h.onEvents(copy);
    });
  }

  async subscribe(handlers: BusHandlers): Promise<void> {
    this.#handlers.push(handlers);
  }

  async close(): Promise<void> {
    this.#handlers = [];
  }
}

/**
 * One Redis pub/sub channel per tenant (docs/contracts.md#seeds-004), under this deployment's
 * prefix: pub/sub ignores the database number, so two deployments on one Redis would otherwise
 * hear each other. The default prefix is derived from the log's epoch (REDIS_PREFIX overrides).
 */
export const tenantChannel = (prefix: string, partnerId: string) => `${prefix}tenant:${partnerId}:events`;
export const defaultRedisPrefix = (epoch: string) => `pass:${epoch}:`;

/** What travels on Redis: a pointer into the log, never the event itself. */
type Hint = { epoch: string; node: string; id: number; partnerId: string };

/**
 * Several nodes: every node publishes its commits as hints on `{prefix}tenant:{partnerId}:events`
 * and listens to all tenants under its prefix. A hint of another epoch (another deployment) or of
 * this node is ignored; any other makes the hub read the log up to that id. Pub/sub drops messages
 * while a subscriber is disconnected, so every reconnect asks the hub to resync from the log.
 */
export class RedisBus implements EventBus {
  readonly kind = "redis";
  readonly #pub: Redis;
  readonly #sub: Redis;
  readonly #prefix: string;
  readonly #epoch: string;
  readonly #node = crypto.randomUUID();
  #local: BusHandlers[] = [];
  /** Lets a test lose messages on purpose, to prove that gap repair recovers them. */
  readonly #dropIncoming: ((hint: { id: number }) => boolean) | undefined;

  constructor({
    url,
    epoch,
    prefix = defaultRedisPrefix(epoch),
    dropIncoming,
  }: {
    url: string;
    /** The log's epoch: hints of another log are not this deployment's. */
    epoch: string;
    prefix?: string;
    dropIncoming?: (hint: { id: number }) => boolean;
  }) {
    const options = { maxRetriesPerRequest: null, enableAutoPipelining: true, lazyConnect: false } as const;
    this.#pub = new Redis(url, options);
    this.#sub = new Redis(url, options);
    this.#prefix = prefix;
    this.#epoch = epoch;
    this.#dropIncoming = dropIncoming;
    for (const client of [this.#pub, this.#sub]) {
      client.on("error", (err) => logger().error(`pass: redis: ${err.message}`));
    }
  }

  get prefix(): string {
    return this.#prefix;
  }

  publish(events: readonly LoggedEvent[]): void {
    // This node's own commits go straight to its hub, as on one node.
    const copy = [...events];
    queueMicrotask(() => {
      for (const h of this.#local) h.onEvents(copy);
    });
    for (const event of events) {
      const hint: Hint = { epoch: this.#epoch, node: this.#node, id: event.id, partnerId: event.partnerId };
      this.#pub.publish(tenantChannel(this.#prefix, event.partnerId), JSON.stringify(hint)).catch((err: Error) => {
        // The other nodes will find this event in the log at their next gap check.
        logger().error(`pass: redis publish failed: ${err.message}`);
      });
    }
  }

  async subscribe(handlers: BusHandlers): Promise<void> {
    this.#local.push(handlers);
    this.#sub.on("pmessage", (_pattern: string, _channel: string, message: string) => {
      let hint: Hint;
      try {
        hint = JSON.parse(message) as Hint;
      } catch {
        return;
      }
      if (!hint || hint.epoch !== this.#epoch || hint.node === this.#node || !Number.isSafeInteger(hint.id) || hint.id <= 0) return;
      if (this.#dropIncoming?.(hint)) return;
      handlers.onHint(hint.id);
    });
    // ioredis re-subscribes after a reconnect; whatever was published meanwhile is in the log.
    this.#sub.on("ready", () => handlers.onResync());
    await this.#sub.psubscribe(tenantChannel(this.#prefix, "*"));
  }

  async close(): Promise<void> {
    this.#local = [];
    this.#sub.disconnect();
    this.#pub.disconnect();
  }
}
