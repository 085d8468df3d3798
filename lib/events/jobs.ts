import "server-only";
import { PostgresAdapter, sql } from "kysely";
import type { Db } from "../db";
import { nowIso } from "../db/ids";

/**
 * Enqueueing a background job inside the transaction of the change that causes it
 * (docs/architecture.md, "Jobs"): the job exists exactly when the change committed. On
 * PostgreSQL it is graphile-worker's own `add_job` SQL function, called on our transaction's
 * connection; on SQLite a row of the embedded queue (lib/jobs/embedded.ts). Both dedupe by
 * `jobKey`: while a job with that key waits, enqueueing it again changes nothing.
 */
export const JOB_TASKS = {
  autoConfirm: "order:auto_confirm",
  autoCancel: "order:auto_cancel",
  /** A delivery turned READY with no courier: the nearest available one (lib/orders/couriers.ts). */
  autoAssign: "rider:auto_assign",
  notify: "notification:send",
  /** The end-of-day Z reports of every partner whose business day ended (lib/reports/z-report.ts). */
  zReport: "report:z",
  /** Rows that only record what already happened, deleted after 30 days (lib/jobs/maintenance.ts). */
  prune: "maintenance:prune",
} as const;
export type JobTask = (typeof JOB_TASKS)[keyof typeof JOB_TASKS];

export type JobSpec = {
  task: JobTask;
  payload: Record<string, unknown>;
  /** Not before (default: now). */
  runAt?: Date;
  jobKey?: string;
  maxAttempts?: number;
};

export const DEFAULT_MAX_ATTEMPTS = 8;

export const isPostgres = (db: Db): boolean => db.getExecutor().adapter instanceof PostgresAdapter;

/**
 * graphile-worker's schema for the schema our tables live in: `graphile_worker` beside `public`;
 * `<schema>_jobs` beside any other (each test file runs in a schema of its own, lib/testing/db.ts,
 * and gets its own queue, dropped with it).
 */
export function jobsSchemaFor(currentSchema: string): string {
  return currentSchema === "public" ? "graphile_worker" : `${currentSchema}_jobs`;
}

export async function currentJobsSchema(db: Db): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return jobsSchemaFor(rows[0]?.schema ?? "public");
}

export async function enqueueJob(trx: Db, spec: JobSpec): Promise<void> {
  const runAt = (spec.runAt ?? new Date()).toISOString();
  const maxAttempts = spec.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const payload = JSON.stringify(spec.payload);
  if (isPostgres(trx)) {
    const schema = await currentJobsSchema(trx);
    await sql`select ${sql.id(schema)}.add_job(${spec.task}, ${payload}::json, run_at => ${runAt}::timestamptz, max_attempts => ${maxAttempts}::int, job_key => ${spec.jobKey ?? null}::text, job_key_mode => 'preserve_run_at')`.execute(
      trx,
    );
    return;
  }
  const at = nowIso();
  await trx
    .insertInto("jobs")
    .values({
      task: spec.task,
      payload,
      runAt,
      maxAttempts,
      lastError: null,
      lockedBy: null,
      lockedAt: null,
      jobKey: spec.jobKey ?? null,
      failedAt: null,
      createdAt: at,
      updatedAt: at,
    })
    // As graphile's preserve_run_at: a waiting job takes the new payload and keeps its time; a
    // job that failed for good starts over; a running one is left alone.
    .onConflict((oc) =>
      oc
        .column("jobKey")
        .doUpdateSet((eb) => ({
          payload: eb.ref("excluded.payload"),
          maxAttempts: eb.ref("excluded.maxAttempts"),
          attempts: sql<number>`case when jobs."failedAt" is null then jobs.attempts else 0 end`,
          runAt: sql<string>`case when jobs."failedAt" is null then jobs."runAt" else excluded."runAt" end`,
          failedAt: null,
          updatedAt: at,
        }))
        .where("jobs.lockedBy", "is", null),
    )
    .execute();
}
