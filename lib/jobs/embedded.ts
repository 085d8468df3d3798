import "server-only";
import crypto from "node:crypto";
import type { Db } from "../db";
import { enqueueJob, type JobSpec } from "../events/jobs";
import { backoffMs, type JobRunner, type RecurringJob, type TaskList } from "./types";
import { log as logger } from "../log";

/**
 * The embedded job queue for the SQLite default: a `jobs` table in the same database, so a job
 * enqueued in a change's transaction exists exactly when the change committed. A job is claimed
 * by one conditional update (`lockedBy` set where it was free or its lease ran out), retried
 * with graphile-worker's backoff, and kept with `failedAt` after its last attempt. A process that
 * dies with jobs in hand loses none: their lease runs out (or the next start frees them, SQLite
 * being one node) and they run again; each task's effect is a conditional update, so nothing repeats.
 */
export class EmbeddedJobRunner implements JobRunner {
  readonly engine = "embedded" as const;
  readonly #db: Db;
  readonly #tasks: TaskList;
  readonly #recurring: readonly RecurringJob[];
  readonly #concurrency: number;
  readonly #pollMs: number;
  readonly #leaseMs: number;
  readonly #id = `embedded-${crypto.randomBytes(6).toString("hex")}`;
  #running = false;
  #active = new Set<Promise<void>>();
  #timers: NodeJS.Timeout[] = [];
  #wake: (() => void) | null = null;
  #loop: Promise<void> | null = null;
  #completed = 0;

  constructor(opts: {
    db: Db;
    tasks: TaskList;
    recurring?: readonly RecurringJob[];
    concurrency?: number;
    pollMs?: number;
    leaseMs?: number;
  }) {
    this.#db = opts.db;
    this.#tasks = opts.tasks;
    this.#recurring = opts.recurring ?? [];
    this.#concurrency = opts.concurrency ?? 4;
    this.#pollMs = opts.pollMs ?? 250;
    this.#leaseMs = opts.leaseMs ?? 5 * 60_000;
  }

  get completed(): number {
    return this.#completed;
  }

  async start(): Promise<void> {
    if (this.#running) return;
    // One node per SQLite file: whatever a previous process held when it stopped is free again.
    await this.#db.updateTable("jobs").set({ lockedBy: null, lockedAt: null }).where("lockedBy", "is not", null).execute();
    this.#running = true;
    for (const r of this.#recurring) {
      const tick = () =>
        this.enqueue({ task: r.task, payload: {}, jobKey: `recurring:${r.task}` }).catch((err) =>
          logger().error(`pass: ${r.task} not scheduled: ${(err as Error).message}`),
        );
      tick();
      const t = setInterval(tick, r.everyMinutes * 60_000);
      t.unref();
      this.#timers.push(t);
    }
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#halt();
    await this.#loop;
    await Promise.allSettled([...this.#active]);
  }

  async kill(): Promise<void> {
    // Jobs in hand keep their claim (as after a crash); a later start frees them.
    this.#halt();
  }

  #halt() {
    this.#running = false;
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
    this.#wake?.();
  }

  async enqueue(spec: JobSpec): Promise<void> {
    await enqueueJob(this.#db, spec);
    this.#wake?.();
  }

  async pendingCount(): Promise<number> {
    const row = await this.#db
      .selectFrom("jobs")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("failedAt", "is", null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async #run(): Promise<void> {
    while (this.#running) {
      let claimed = false;
      while (this.#running && this.#active.size < this.#concurrency) {
        const job = await this.#claim().catch((err) => {
          logger().error(`pass: job claim failed: ${(err as Error).message}`);
          return undefined;
        });
        if (!job) break;
        claimed = true;
        const p = this.#execute(job).finally(() => {
          this.#active.delete(p);
          this.#wake?.();
        });
        this.#active.add(p);
      }
      if (!this.#running) break;
      // Idle (or full): wait for a slot, an enqueue on this node, or the next poll.
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, claimed && this.#active.size < this.#concurrency ? 0 : this.#pollMs);
        this.#wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.#wake = null;
    }
  }

  async #claim() {
    const now = new Date();
    const at = now.toISOString();
    const leaseEnd = new Date(now.getTime() - this.#leaseMs).toISOString();
    return this.#db
      .updateTable("jobs")
      .set((eb) => ({ lockedBy: this.#id, lockedAt: at, attempts: eb("attempts", "+", 1), updatedAt: at }))
      .where("id", "=", (eb) =>
        eb
          .selectFrom("jobs")
          .select("id")
          .where("failedAt", "is", null)
          .where("runAt", "<=", at)
          .where((w) => w.or([w("lockedAt", "is", null), w("lockedAt", "<", leaseEnd)]))
          .orderBy("runAt")
          .orderBy("id")
          .limit(1),
      )
      .where((w) => w.or([w("lockedAt", "is", null), w("lockedAt", "<", leaseEnd)]))
      .returningAll()
      .executeTakeFirst();
  }

  async #execute(job: { id: number; task: string; payload: string; attempts: number; maxAttempts: number }) {
    const handler = this.#tasks[job.task as keyof TaskList];
    try {
      if (!handler) throw new Error(`no task named ${job.task}`);
      await handler(JSON.parse(job.payload) as Record<string, unknown>, {
        jobId: String(job.id),
        attempt: Number(job.attempts),
        maxAttempts: Number(job.maxAttempts),
      });
      await this.#db.deleteFrom("jobs").where("id", "=", job.id).where("lockedBy", "=", this.#id).execute();
      this.#completed++;
    } catch (err) {
      const now = new Date();
      const last = Number(job.attempts) >= Number(job.maxAttempts);
      await this.#db
        .updateTable("jobs")
        .set({
          lockedBy: null,
          lockedAt: null,
          lastError: String((err as Error)?.message ?? err).slice(0, 2000),
          runAt: new Date(now.getTime() + backoffMs(Number(job.attempts))).toISOString(),
          failedAt: last ? now.toISOString() : null,
          updatedAt: now.toISOString(),
        })
        .where("id", "=", job.id)
        .where("lockedBy", "=", this.#id)
        .execute()
        .catch((e) => logger().error(`pass: job ${job.id} failure not recorded: ${(e as Error).message}`));
      if (last)
        logger().error(`pass: job ${job.task} #${job.id} failed for good after ${job.attempts} attempts: ${(err as Error)?.message}`);
    }
  }
}
