import "server-only";
import { sql } from "kysely";
import { assertCan, partnerScope, type Principal } from "../auth/access";
import type { Config } from "../config";
import type { DbHandle } from "../db";
import { currentJobsSchema, isPostgres } from "../events/jobs";
import { HttpSmsGateway } from "../notifications/sms";
import type { NotificationChannels } from "../notifications/sender";
import { metrics } from "../metrics";
import { EmbeddedJobRunner } from "./embedded";
import { GraphileJobRunner } from "./graphile";
import { passTasks, RECURRING_JOBS } from "./tasks";
import type { FailedJob, JobRunner, RecurringJob, TaskList } from "./types";

export type { FailedJob, JobRunner, JobContext, TaskList, RecurringJob } from "./types";
export { passTasks, RECURRING_JOBS } from "./tasks";

export function notificationChannels(config: Config): NotificationChannels {
  return {
    vapid: config.vapid,
    vapidSubject: config.vapidSubject,
    publicUrl: config.publicUrl,
    sms: config.smsGatewayUrl ? new HttpSmsGateway(config.smsGatewayUrl, config.smsGatewayToken) : null,
    allowPrivate: config.webhookAllowPrivate,
  };
}

/** Each attempt's outcome counted for `/metrics` (lib/metrics), whichever engine runs it. */
function counted(tasks: TaskList): TaskList {
  return Object.fromEntries(
    Object.entries(tasks).map(([task, run]) => [
      task,
      async (...args: Parameters<typeof run>) => {
        try {
          await run(...args);
          metrics()?.job(task, "done");
        } catch (err) {
          metrics()?.job(task, "error");
          throw err;
        }
      },
    ]),
  ) as TaskList;
}

/**
 * The job runner for this node's database: graphile-worker on PostgreSQL, the embedded queue on
 * SQLite (docs/architecture.md, "Jobs"). Not started; the runtime starts it (lib/process-runtime.ts).
 */
export function createJobRunner({
  handle,
  config,
  tasks,
  recurring = RECURRING_JOBS,
  pollMs,
  concurrency = config.jobsConcurrency,
}: {
  handle: DbHandle;
  config: Config;
  tasks?: TaskList;
  recurring?: readonly RecurringJob[];
  pollMs?: number;
  concurrency?: number;
}): JobRunner {
  const list = counted(tasks ?? passTasks({ db: handle.db, channels: notificationChannels(config) }));
  if (handle.dialect === "postgres") {
    if (!config.databaseUrl) throw new Error("PostgreSQL job runner needs DATABASE_URL");
    return new GraphileJobRunner({ db: handle.db, connectionString: config.databaseUrl, tasks: list, recurring, concurrency, pollMs });
  }
  return new EmbeddedJobRunner({ db: handle.db, tasks: list, recurring, concurrency, pollMs });
}

/**
 * Jobs whose last attempt failed, newest first (GET /api/jobs/failed). `partnerId` set: only
 * jobs about that partner (their payload names it); null: every job.
 */
export async function listFailedJobs({
  handle,
  partnerId,
  limit = 100,
}: {
  handle: DbHandle;
  partnerId: string | null;
  limit?: number;
}): Promise<FailedJob[]> {
  const { db } = handle;
  let rows: FailedJob[];
  if (isPostgres(db)) {
    const schema = await currentJobsSchema(db);
    const exists = await sql<{ ok: boolean }>`select to_regclass(${`${schema}._private_jobs`}) is not null as ok`.execute(db);
    if (!exists.rows[0]?.ok) return [];
    const { rows: found } = await sql<{
      id: string;
      task: string;
      payload: unknown;
      attempts: number;
      max_attempts: number;
      last_error: string | null;
      updated_at: Date;
    }>`
      select j.id::text as id, t.identifier as task, j.payload, j.attempts, j.max_attempts, j.last_error, j.updated_at
      from ${sql.id(schema, "_private_jobs")} j join ${sql.id(schema, "_private_tasks")} t on t.id = j.task_id
      where j.attempts >= j.max_attempts and j.locked_at is null
      ${partnerId ? sql`and j.payload->>'partnerId' = ${partnerId}` : sql``}
      order by j.updated_at desc limit ${limit}`.execute(db);
    rows = found.map((r) => ({
      id: r.id,
      task: r.task,
      payload: (r.payload ?? {}) as Record<string, unknown>,
      attempts: Number(r.attempts),
      maxAttempts: Number(r.max_attempts),
      error: r.last_error,
      failedAt: new Date(r.updated_at).toISOString(),
    }));
  } else {
    let q = db.selectFrom("jobs").selectAll().where("failedAt", "is not", null);
    if (partnerId) q = q.where(sql<string>`json_extract(payload, '$.partnerId')`, "=", partnerId);
    const found = await q.orderBy("failedAt", "desc").limit(limit).execute();
    rows = found.map((r) => ({
      id: String(r.id),
      task: r.task,
      payload: JSON.parse(r.payload) as Record<string, unknown>,
      attempts: Number(r.attempts),
      maxAttempts: Number(r.maxAttempts),
      error: r.lastError,
      failedAt: r.failedAt!,
    }));
  }
  return rows;
}

/** GET /api/jobs/failed: whoever sees every partner (admins) sees every failed job; a partner-scoped reader, that partner's. */
export async function failedJobsFor({ handle, principal }: { handle: DbHandle; principal: Principal }): Promise<{ jobs: FailedJob[] }> {
  assertCan(principal, "jobs:read");
  return { jobs: await listFailedJobs({ handle, partnerId: partnerScope(principal) }) };
}
