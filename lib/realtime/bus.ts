import "server-only";
import { Redis } from "ioredis";
import type { LoggedEvent } from "../events/log";

/**
 * How committed events travel between nodes. The log stays the truth: a bus only has to be
 * fast, not reliable — the hub repairs any gap it notices from the log.
 */
export interface EventBus {
  readonly kind: "memory" | "redis";
  publish(events: readonly LoggedEvent[]): void;
  /**
   * `onEvents` gets events as they arrive (any order); `onResync` when messages may have been
   * lost. Resolves once the subscription is active.
   */
  subscribe(handlers: { onEvents(events: LoggedEvent[]): void; onResync(): void }): Promise<void>;
  close(): Promise<void>;
}

/** One node: publish hands events straight to the subscribers of this process. */
export class MemoryBus implements EventBus {
  readonly kind = "memory";
  #handlers: { onEvents(events: LoggedEvent[]): void }[] = [];

  publish(events: readonly LoggedEvent[]): void {
    const copy = [...events];
    queueMicrotask(() => {
      for (const h of this.#handlers) h.onEvents(copy);
    });
  }

  async subscribe(handlers: { onEvents(events: LoggedEvent[]): void; onResync(): void }): Promise<void> {
    this.#handlers.push(handlers);
  }

  async close(): Promise<void> {
    this.#handlers = [];
  }
}

/** docs/contracts.md#seeds-004: one Redis pub/sub channel per tenant. */
export const tenantChannel = (partnerId: string) => `tenant:${partnerId}:events`;
const TENANT_PATTERN = "tenant:*:events";

/**
 * Several nodes: every node publishes its commits to `tenant:{partnerId}:events` and listens to
 * all tenants. Pub/sub drops messages while a subscriber is disconnected, so every reconnect
 * asks the hub to resync from the log.
 */
export class RedisBus implements EventBus {
  readonly kind = "redis";
  readonly #pub: Redis;
  readonly #sub: Redis;
  /** Lets a test lose messages on purpose, to prove that gap repair recovers them. */
  readonly #dropIncoming: ((event: LoggedEvent) => boolean) | undefined;

  constructor({ url, dropIncoming }: { url: string; dropIncoming?: (event: LoggedEvent) => boolean }) {
    const options = { maxRetriesPerRequest: null, enableAutoPipelining: true, lazyConnect: false } as const;
    this.#pub = new Redis(url, options);
    this.#sub = new Redis(url, options);
    this.#dropIncoming = dropIncoming;
    for (const client of [this.#pub, this.#sub]) {
      client.on("error", (err) => console.error(`pass: redis: ${err.message}`));
    }
  }

  publish(events: readonly LoggedEvent[]): void {
    for (const event of events) {
      this.#pub.publish(tenantChannel(event.partnerId), JSON.stringify(event)).catch((err: Error) => {
        // The other nodes will find this event in the log at their next gap check.
        console.error(`pass: redis publish failed: ${err.message}`);
      });
    }
  }

  async subscribe(handlers: { onEvents(events: LoggedEvent[]): void; onResync(): void }): Promise<void> {
    this.#sub.on("pmessage", (_pattern: string, _channel: string, message: string) => {
      let event: LoggedEvent;
      try {
        event = JSON.parse(message) as LoggedEvent;
      } catch {
        return;
      }
      if (this.#dropIncoming?.(event)) return;
      handlers.onEvents([event]);
    });
    // ioredis re-subscribes after a reconnect; whatever was published meanwhile is in the log.
    this.#sub.on("ready", () => handlers.onResync());
    await this.#sub.psubscribe(TENANT_PATTERN);
  }

  async close(): Promise<void> {
    this.#sub.disconnect();
    this.#pub.disconnect();
  }
}
