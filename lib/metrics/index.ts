import { processSlot } from "../process";

/**
 * What Pass counts for `/metrics` (docs/operations.md#metrics). The registry (lib/metrics/registry.ts,
 * prom-client) is built once in the runtime (lib/process-runtime.ts) and kept in the process slot;
 * code anywhere — server.ts, a Next route bundle, the hub — records through `metrics()`, which is
 * undefined in tests and the CLI (nothing is recorded there).
 *
 * The fan-out hot path records nothing here: the hub keeps plain per-channel integers (one
 * addition per channel per event, whatever the number of streams) and the registry reads them,
 * with the open streams per channel, when /metrics is scraped.
 */
export type ReplayTransport = "sse" | "ws";
export type PrintOutcome = "printed" | "retry" | "moved" | "unconfirmed";
export type NotificationOutcome = "sent" | "dropped" | "error";

export interface PassMetrics {
  /** One answered HTTP request: its route pattern (never the raw URL), method, status and duration. */
  http(route: string, method: string, status: number, seconds: number): void;
  /** A replay's size in events, per channel. */
  replay(channel: string, events: number): void;
  /** A stream or socket dropped because its client does not read (its queue passed the bound). */
  slowConsumer(transport: ReplayTransport): void;
  /** One job attempt: done, or an error (retried with backoff until its last attempt). */
  job(task: string, outcome: "done" | "error"): void;
  print(outcome: PrintOutcome): void;
  notification(channel: string, outcome: NotificationOutcome): void;
  /** The Prometheus text exposition. */
  render(): Promise<{ contentType: string; body: string }>;
}

export function setMetrics(m: PassMetrics | undefined): void {
  processSlot().metrics = m;
}

export function metrics(): PassMetrics | undefined {
  return processSlot().metrics as PassMetrics | undefined;
}
