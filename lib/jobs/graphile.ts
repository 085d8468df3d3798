import "server-only";
import crypto from "node:crypto";
import { EventEmitter } from "node:events";
import pg from "pg";
import { sql } from "kysely";
import {
  Logger,
  makeWorkerUtils,
  parseCronItems,
  run,
  runMigrations,
  type Runner,
  type TaskList as GraphileTaskList,
  type WorkerEvents,
  type WorkerUtils,
} from "graphile-worker";
import type { Db } from "../db";
import { currentJobsSchema, enqueueJob, type JobSpec } from "../events/jobs";
import type { JobRunner, RecurringJob, TaskList } from "./types";
import { log as passLog } from "../log";

/**
 * The PostgreSQL job runner: graphile-worker 0.17 (docs/architecture.md, "Jobs"). Jobs are added
 * by its `add_job` SQL function on our own transaction (lib/events/jobs.ts); it LISTENs for new
 * jobs, locks each with SKIP LOCKED, retries with exponential backoff and keeps a job whose last
 * attempt failed (attempts = max_attempts) with its last_error. Its cron schedules a recurring job
 * once across every node (known_crontabs).
 *
 * graphile frees the jobs of a worker that died only after 4 hours. Each node therefore beats in
 * `jobNodes` with its worker ids, and every node frees (forceUnlockWorkers) the jobs of a node
 * that has not beaten for `deadAfterMs`, so the survivors finish a SIGKILLed node's jobs.
 */
export class GraphileJobRunner implements JobRunner {
  readonly engine = "graphile-worker" as const;
  readonly #db: Db;
  readonly #connectionString: string;
  readonly #tasks: TaskList;
  readonly #recurring: readonly RecurringJob[];
  readonly #concurrency: number;
  readonly #pollMs: number;
  readonly #beatMs: number;
  readonly #deadAfterMs: number;
  readonly #nodeId = `node-${crypto.randomBytes(6).toString("hex")}`;
  readonly #workerIds = new Set<string>();
  #pool: pg.Pool | null = null;
  #runner: Runner | null = null;
  #utils: WorkerUtils | null = null;
  #beat: NodeJS.Timeout | null = null;
  #schema = "graphile_worker";
  #completed = 0;
  /** The queue schema's revision this node installed or found (its own graphile's latest). */
  #revision: number | null = null;

  constructor(opts: {
    db: Db;
    connectionString: string;
    tasks: TaskList;
    recurring?: readonly RecurringJob[];
    concurrency?: number;
    pollMs?: number;
    beatMs?: number;
    deadAfterMs?: number;
  }) {
    this.#db = opts.db;
    this.#connectionString = opts.connectionString;
    this.#tasks = opts.tasks;
    this.#recurring = opts.recurring ?? [];
    this.#concurrency = opts.concurrency ?? 4;
    this.#pollMs = opts.pollMs ?? 2_000;
    this.#beatMs = opts.beatMs ?? 5_000;
    this.#deadAfterMs = opts.deadAfterMs ?? 30_000;
  }

  get completed(): number {
    return this.#completed;
  }

  get nodeId(): string {
    return this.#nodeId;
  }

  async start(): Promise<void> {
    if (this.#runner) return;
    this.#schema = await currentJobsSchema(this.#db);
    const pool = new pg.Pool({ connectionString: this.#connectionString, max: this.#concurrency + 2 });
    onPoolErrors(pool, "job queue");
    this.#pool = pool;
    this.#filterMigrationNotices(pool);
    const logger = quietLogger();
    await installJobsSchema({ pool, schema: this.#schema, logger });
    this.#revision = await queueRevision(pool, this.#schema);
    const taskList: GraphileTaskList = {};
    for (const [name, handler] of Object.entries(this.#tasks)) {
      taskList[name] = async (payload, helpers) => {
        await handler((payload ?? {}) as Record<string, unknown>, {
          jobId: helpers.job.id,
          attempt: helpers.job.attempts,
          maxAttempts: helpers.job.max_attempts,
        });
      };
    }
    const parsedCronItems = parseCronItems(
      this.#recurring.map((r) => ({
        task: r.task,
        identifier: r.task,
        match: `*/${r.everyMinutes} * * * *`,
        // A missed minute is not made up: the next sweep catches up anyway.
        options: { backfillPeriod: 0, jobKey: `recurring:${r.task}`, jobKeyMode: "preserve_run_at" as const },
      })),
    );
    this.#utils = await makeWorkerUtils({ pgPool: pool, schema: this.#schema, logger });
    // Jobs are locked by the pool's id (workers' ids too, for older rows): collect both before run() starts them.
    const events = new EventEmitter() as WorkerEvents;
    events.on("pool:create", ({ workerPool }) => {
      this.#workerIds.add(workerPool.id);
    });
    events.on("worker:create", ({ worker }) => {
      this.#workerIds.add(worker.workerId);
    });
    events.on("job:success", () => {
      this.#completed++;
    });
    const runner = await run({
      events,
      pgPool: pool,
      schema: this.#schema,
      concurrency: this.#concurrency,
      pollInterval: this.#pollMs,
      noHandleSignals: true,
      logger,
      taskList,
      parsedCronItems,
    });
    this.#runner = runner;
    await this.#heartbeat();
    this.#beat = setInterval(() => {
      this.#heartbeat().catch((err) => passLog().error(`pass: job heartbeat failed: ${(err as Error).message}`));
    }, this.#beatMs);
    this.#beat.unref();
  }

  /**
   * graphile-worker stops every worker on the database when any queue schema is installed or
   * migrated (`NOTIFY worker:migrate` names no schema): one Pass deployment installing its queue
   * would stop another's workers on the same PostgreSQL (and one test file another's). Its
   * notices are taken out here and checked against this node's own schema: only a newer revision
   * of it (a newer Pass migrated the queue under this one) stops this node's runner, as graphile
   * would; a foreign schema's install changes nothing.
   */
  #filterMigrationNotices(pool: pg.Pool): void {
    pool.on("connect", (client) => {
      const emit = client.emit.bind(client) as (event: string | symbol, ...args: unknown[]) => boolean;
      client.emit = ((event: string | symbol, ...args: unknown[]) => {
        const message = args[0] as { channel?: string } | undefined;
        if (event === "notification" && message?.channel === "worker:migrate") {
          void this.#checkRevision();
          return true;
        }
        return emit(event, ...args);
      }) as typeof client.emit;
    });
  }

  async #checkRevision(): Promise<void> {
    const pool = this.#pool;
    if (!pool || this.#revision === null) return;
    const now = await queueRevision(pool, this.#schema).catch(() => null);
    if (now === null || now <= this.#revision) return;
    passLog().error(
      `pass: the job queue's schema ${this.#schema} was migrated to revision ${now} by a newer Pass (this node knows ${this.#revision}): its job runner stops`,
    );
    await this.#runner?.stop().catch(() => undefined);
    this.#runner = null;
  }

  /** Beat, and free the jobs of nodes that stopped beating. */
  async #heartbeat(): Promise<void> {
    await sql`insert into "jobNodes" ("nodeId", "workerIds", "seenAt") values (${this.#nodeId}, ${JSON.stringify([...this.#workerIds])}, now())
      on conflict ("nodeId") do update set "workerIds" = excluded."workerIds", "seenAt" = now()`.execute(this.#db);
    const { rows } = await sql<{ nodeId: string; workerIds: string }>`delete from "jobNodes"
      where "seenAt" < now() - make_interval(secs => ${this.#deadAfterMs / 1000}::float8) returning "nodeId", "workerIds"`.execute(
      this.#db,
    );
    const dead = rows.flatMap((r) => JSON.parse(r.workerIds) as string[]);
    if (dead.length > 0 && this.#utils) {
      await this.#utils.forceUnlockWorkers(dead);
      passLog().info(`pass: freed the jobs of ${rows.length} stopped job node(s): ${rows.map((r) => r.nodeId).join(", ")}`);
    }
  }

  async stop(): Promise<void> {
    if (this.#beat) clearInterval(this.#beat);
    this.#beat = null;
    await this.#runner?.stop();
    this.#runner = null;
    await this.#utils?.release();
    this.#utils = null;
    // A clean stop leaves nothing locked: forget this node.
    await sql`delete from "jobNodes" where "nodeId" = ${this.#nodeId}`.execute(this.#db).catch(() => undefined);
    await this.#pool?.end();
    this.#pool = null;
  }

  async kill(): Promise<void> {
    // graphile's forceful shutdown: jobs in hand are failed back to the queue (retried by another
    // node after the backoff), no goodbye in jobNodes. A real SIGKILL is tested with a child process.
    if (this.#beat) clearInterval(this.#beat);
    this.#beat = null;
    await this.#runner?.kill().catch(() => undefined);
    this.#runner = null;
    await Promise.resolve(this.#utils?.release()).catch(() => undefined);
    this.#utils = null;
    await this.#pool?.end().catch(() => undefined);
    this.#pool = null;
  }

  async enqueue(spec: JobSpec): Promise<void> {
    await enqueueJob(this.#db, spec);
  }

  async pendingCount(): Promise<number> {
    const { rows } = await sql<{
      n: string;
    }>`select count(*) as n from ${sql.id(this.#schema, "jobs")} where attempts < max_attempts or locked_at is not null`.execute(this.#db);
    return Number(rows[0]?.n ?? 0);
  }
}

/** Installs (or upgrades) graphile-worker's schema for the database `db` is on, with a short-lived pool. */
export async function installJobQueue({ db, databaseUrl }: { db: Db; databaseUrl: string }): Promise<string> {
  const schema = await currentJobsSchema(db);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  onPoolErrors(pool, "job queue install");
  try {
    await installJobsSchema({ pool, schema });
  } finally {
    await pool.end();
  }
  return schema;
}

/** graphile-worker's schema (its own migrations, under an advisory lock: nodes may start together). */
export async function installJobsSchema({
  pool,
  schema,
  logger = quietLogger(),
}: {
  pool: pg.Pool;
  schema: string;
  logger?: Logger;
}): Promise<void> {
  await runMigrations({ pgPool: pool, schema, logger });
}

/** The latest migration applied to a queue schema (graphile's own `migrations` table). */
async function queueRevision(pool: pg.Pool, schema: string): Promise<number> {
  const table = `"${schema.replace(/"/g, '""')}".migrations`;
  const { rows } = await pool.query<{ id: number | null }>(`select max(id)::int as id from ${table}`);
  return rows[0]?.id ?? 0;
}

/** A lost connection (idle or checked out) is logged, never an uncaught error; graphile checks both handlers are there. */
function onPoolErrors(pool: pg.Pool, what: string) {
  pool.on("error", (err) => passLog().error(`pass: ${what} pool error: ${err.message}`));
  pool.on("connect", (client) => {
    client.on("error", (err) => passLog().error(`pass: ${what} connection error: ${err.message}`));
  });
}

/** graphile's info lines ("Worker connected…") stay out of the node's log; warnings and errors go in. */
function quietLogger(): Logger {
  return new Logger(() => (level, message) => {
    if (level === "error" || level === "warning") passLog().error(`pass: job queue ${level}: ${message}`);
  });
}
