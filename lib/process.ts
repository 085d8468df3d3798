/**
 * The one process-wide slot (docs/architecture.md, "Runtime"). server.ts, every Next route
 * bundle and instrumentation.ts each load their own copy of lib/, so the runtime built at start
 * (lib/process-runtime.ts) is reachable from all of them through this single `globalThis` key;
 * each layer reads its own part (config, database, hub, commit notifier) and nothing here is
 * created lazily except the empty slot itself. Tests install their parts the same way.
 */
const KEY = Symbol.for("pass.process");

export type ProcessSlot = {
  config?: unknown;
  db?: unknown;
  hub?: unknown;
  commits?: unknown;
  runtime?: unknown;
  limits?: unknown;
  /** The demo service's runs (lib/demo/runner.ts). */
  demo?: unknown;
  /** Prometheus metrics (lib/metrics). */
  metrics?: unknown;
  /** The process's structured logger (lib/log.ts). */
  logger?: unknown;
  /** lib/log.ts `log()` (the logger, scoped to the request being handled), for modules that browser bundles also load (lib/errors.ts). */
  log?: () => { error(fields: object, message: string): void; error(message: string): void };
  /**
   * Set by server.ts only: the secret it sends with the client address it hands route handlers
   * (lib/http clientAddressOf), so an address header a client sends itself is never believed.
   */
  clientAddressProof?: string;
};

export function processSlot(): ProcessSlot {
  const g = globalThis as { [KEY]?: ProcessSlot };
  g[KEY] ??= {};
  return g[KEY];
}
