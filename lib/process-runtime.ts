import "server-only";
import { type Config, loadConfig, setConfig } from "./config";
import { type DbHandle, setDbHandle } from "./db";
import { openAndPrepare } from "./bootstrap";
import { setHub } from "./realtime/hub";
import { type Realtime, startRealtime } from "./realtime/runtime";
import { flagUnacknowledged } from "./orders/screens";
import { restoreDue86 } from "./menu/availability";
import { fireDue } from "./orders/stations";
import { expireCarts } from "./orders/carts";
import { Redis } from "ioredis";
import { createLimits, scaledRules, setLimits } from "./limits";
import { processSlot } from "./process";
import { PrintDispatcher } from "./printing/dispatcher";
import { defaultRedisPrefix } from "./realtime/bus";
import { DemoRunner, ownBaseUrl, setDemoRunner } from "./demo/runner";
import { createJobRunner, type JobRunner } from "./jobs";
import { markServerRunning } from "./backup";
import { createLogger, log as logger, setLogger, type Logger } from "./log";
import { setMetrics, type PassMetrics } from "./metrics";
import { createMetrics } from "./metrics/registry";

/**
 * One Pass node's runtime, built once per process: configuration, the database (migrated, and
 * seeded on first start), the bus and hub with this process's commits published on the bus,
 * and the kitchen watch. server.ts builds it before Next; under plain `next start` / `next dev`
 * instrumentation.ts builds it in `register()`. Inside server.ts, Next also runs register():
 * the promise lives in the process slot (lib/process.ts: every bundle loads its own copy), so that
 * call gets server.ts's runtime and never starts a second one.
 */
export type ProcessRuntime = {
  config: Config;
  handle: DbHandle;
  realtime: Realtime;
  /** Tickets no kitchen screen showed in time: alarm and fallback print. */
  watch: NodeJS.Timeout;
  /** Network printers: follows the log and prints (lib/printing/dispatcher.ts). */
  printing: PrintDispatcher;
  /** The demo service's runs (POST /api/demo): ordering over HTTP to this server's own port. */
  demo: DemoRunner;
  /** Background jobs (lib/jobs): auto-confirm, auto-cancel, notifications; null with JOBS_CONCURRENCY=0. */
  jobs: JobRunner | null;
  /** The process's one structured logger (lib/log.ts, pino): every module logs through it. */
  logger: Logger;
  /** Prometheus metrics (lib/metrics), served by server.ts at /metrics. */
  metrics: PassMetrics;
};

export function startProcessRuntime({
  log = (line: string) => logger().info(line),
}: {
  log?: (line: string) => void;
} = {}): Promise<ProcessRuntime> {
  const slot = processSlot();
  slot.runtime ??= build(log);
  return slot.runtime as Promise<ProcessRuntime>;
}

/** The runtime if this process started one (server.ts or instrumentation), else undefined. */
export function processRuntime(): Promise<ProcessRuntime> | undefined {
  return processSlot().runtime as Promise<ProcessRuntime> | undefined;
}

async function build(log: (line: string) => void): Promise<ProcessRuntime> {
  const config = loadConfig();
  setConfig(config);
  const log_ = createLogger({ level: config.logLevel });
  setLogger(log_);

  const handle = await openAndPrepare({ config, log });
  setDbHandle(handle);
  log(`pass: database ${handle.dialect} at ${handle.location}`);
  // `npm run pass -- restore` refuses while this mark names a live process (lib/backup).
  markServerRunning(config.dataDir);

  const realtime = await startRealtime({ db: handle.db, config });
  setHub(realtime.hub);
  const hub = realtime.hub;
  const metrics = createMetrics({ hub: () => hub.readings() });
  setMetrics(metrics);
  // Rate limits: shared by every node through Redis when there is one.
  setLimits(
    createLimits({
      redis: config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 2, enableOfflineQueue: true }) : null,
      prefix: config.redisPrefix ?? defaultRedisPrefix(realtime.hub.epoch),
      rules: scaledRules(config.rateLimitScale),
    }),
  );
  log(`pass: live fan-out ${realtime.bus.kind}${config.posUpstreamUrl ? `, channels proxied from ${config.posUpstreamUrl}` : ""}`);

  // Once, whichever node wins.
  const watch = setInterval(() => {
    flagUnacknowledged({ db: handle.db, afterMs: config.kitchenAckSeconds * 1000 }).catch((err) =>
      logger().error(`pass: kitchen watch failed: ${(err as Error).message}`),
    );
    // "86 until the end of the day" comes back at the partner's cut-over (lib/menu/availability.ts).
    restoreDue86({ db: handle.db }).catch((err) => logger().error(`pass: menu restore failed: ${(err as Error).message}`));
    // Scheduled orders fire promisedAt − their longest prep target (lib/orders/stations.ts).
    fireDue({ db: handle.db }).catch((err) => logger().error(`pass: scheduled firing failed: ${(err as Error).message}`));
    // Table carts nobody touched for 2 h are abandoned, each exactly once (lib/orders/carts.ts).
    expireCarts({ db: handle.db }).catch((err) => logger().error(`pass: cart expiry failed: ${(err as Error).message}`));
  }, 5_000);
  watch.unref();
  // Every node runs one; printer leases and job claims keep each job on one node (lib/printing).
  const printing = new PrintDispatcher(handle.db, {
    failoverMs: config.printFailoverMs,
    lateMs: config.printLateMs,
    publicUrl: config.publicUrl,
    log,
  }).start();
  const demo = new DemoRunner({ db: handle.db, baseUrl: ownBaseUrl(config), log });
  setDemoRunner(demo);

  // Every node runs jobs; each is done once whichever node takes it (lib/jobs, docs/architecture.md "Jobs").
  let jobs: JobRunner | null = null;
  if (config.jobsConcurrency > 0) {
    jobs = createJobRunner({ handle, config });
    await jobs.start();
    log(`pass: jobs on ${jobs.engine}, ${config.jobsConcurrency} at a time`);
  }
  return { config, handle, realtime, watch, printing, demo, jobs, logger: log_, metrics };
}
