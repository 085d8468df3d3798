import type { JobSpec, JobTask } from "../events/jobs";

/** What a task is told about the attempt it runs in (graphile's helpers.job, or the embedded row). */
export type JobContext = { jobId: string; attempt: number; maxAttempts: number };

/** A task throws to fail the attempt: it is retried with backoff until maxAttempts, then listed as failed. */
export type TaskHandler = (payload: Record<string, unknown>, ctx: JobContext) => Promise<void>;
export type TaskList = Record<JobTask, TaskHandler>;

/** A recurring job: enqueued every `everyMinutes` by one node only (graphile's cron; on SQLite the one process). */
export type RecurringJob = { task: JobTask; everyMinutes: number };

export type FailedJob = {
  id: string;
  task: string;
  payload: Record<string, unknown>;
  attempts: number;
  maxAttempts: number;
  error: string | null;
  failedAt: string;
};

/**
 * One node's job runner (docs/architecture.md, "Jobs"). Every task's effect is itself a
 * conditional update, so a job run twice (every engine is at-least-once) does it once.
 */
export interface JobRunner {
  readonly engine: "graphile-worker" | "embedded";
  start(): Promise<void>;
  /** Finishes the jobs in hand, then stops. */
  stop(): Promise<void>;
  /** Stops at once, as a crash would (tests): jobs in hand stay claimed until another node frees them. */
  kill(): Promise<void>;
  /** Enqueues outside any change (the CLI, tests, the bench). */
  enqueue(spec: JobSpec): Promise<void>;
  /** Jobs waiting or running (not failed), for tests, the bench and health. */
  pendingCount(): Promise<number>;
  /** Completed by this runner since it started. */
  readonly completed: number;
}

/** graphile-worker's and our backoff: e^attempt seconds (2.7 s, 7.4 s, 20 s … ~6 h at 10). */
export const backoffMs = (attempt: number): number => Math.round(Math.exp(Math.min(attempt, 10)) * 1000);
