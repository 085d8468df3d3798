import client from "prom-client";
import type { PassMetrics } from ".";

/** What the registry reads from the hub at scrape time (lib/realtime/hub.ts). */
export type HubReadings = {
  /** Open streams per hub channel (`cashier`, `pass:kitchen`, `customer`, `ws` …). */
  streamsOpen(): Iterable<[string, number]>;
  /** Deliveries per channel since start: an event rendered for a channel, written to each of its N streams, counts N. */
  deliveries(): Iterable<[string, number]>;
  /** Events delivered in order since start, and those of them read back from the log (a gap repaired). */
  stats(): { delivered: number; repaired: number };
};

/** HTTP latency buckets (seconds): a fast route answers in a few ms, a slow page in a second or two. */
const HTTP_BUCKETS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const REPLAY_BUCKETS = [0, 1, 10, 50, 100, 500, 1_000, 5_000, 10_000];

/**
 * The Prometheus registry of one process (prom-client 15): Node's default metrics (CPU, memory,
 * event-loop lag, GC), prefixed `pass_`, and Pass's own (docs/operations.md#metrics).
 */
export function createMetrics({ hub }: { hub: () => HubReadings | undefined }): PassMetrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: "pass_" });

  const httpDuration = new client.Histogram({
    name: "pass_http_request_duration_seconds",
    help: "HTTP requests by route pattern (app/ route, or the stream paths), method and status",
    labelNames: ["route", "method", "status"] as const,
    buckets: HTTP_BUCKETS,
    registers: [registry],
  });
  const replaySize = new client.Histogram({
    name: "pass_replay_events",
    help: "Events replayed to a resuming stream, per replay",
    labelNames: ["channel"] as const,
    buckets: REPLAY_BUCKETS,
    registers: [registry],
  });
  const slow = new client.Counter({
    name: "pass_slow_consumer_disconnects_total",
    help: "Streams and sockets dropped because the client did not read (queue over its bound); they resume by id",
    labelNames: ["transport"] as const,
    registers: [registry],
  });
  const jobs = new client.Counter({
    name: "pass_job_attempts_total",
    help: "Background job attempts by task and outcome (error = retried with backoff until its last attempt)",
    labelNames: ["task", "outcome"] as const,
    registers: [registry],
  });
  const prints = new client.Counter({
    name: "pass_print_jobs_total",
    help: "Network print job outcomes: printed (the printer confirmed), retry, moved (to the backup), unconfirmed",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });
  const notifications = new client.Counter({
    name: "pass_notifications_total",
    help: "Outbound notifications (webhook, push, sms) by outcome",
    labelNames: ["channel", "outcome"] as const,
    registers: [registry],
  });

  new client.Gauge({
    name: "pass_streams_open",
    help: "Live streams open on this node per channel (SSE channels, /v1/orders/live, /ws)",
    labelNames: ["channel"] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [channel, n] of hub()?.streamsOpen() ?? []) this.set({ channel }, n);
    },
  });
  new client.Counter({
    name: "pass_deliveries_total",
    help: "Frames written to live streams per channel",
    labelNames: ["channel"] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [channel, n] of hub()?.deliveries() ?? []) this.inc({ channel }, n);
    },
  });
  new client.Counter({
    name: "pass_events_delivered_total",
    help: "Log events the hub delivered in order",
    registers: [registry],
    collect() {
      this.reset();
      this.inc(hub()?.stats().delivered ?? 0);
    },
  });
  new client.Counter({
    name: "pass_log_repairs_total",
    help: "Events the hub read back from the log because the bus did not bring them (a gap, another node's commit)",
    registers: [registry],
    collect() {
      this.reset();
      this.inc(hub()?.stats().repaired ?? 0);
    },
  });

  return {
    http: (route, method, status, seconds) => httpDuration.observe({ route, method, status: String(status) }, seconds),
    replay: (channel, events) => replaySize.observe({ channel }, events),
    slowConsumer: (transport) => slow.inc({ transport }),
    job: (task, outcome) => jobs.inc({ task, outcome }),
    print: (outcome) => prints.inc({ outcome }),
    notification: (channel, outcome) => notifications.inc({ channel, outcome }),
    render: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  };
}
