import "server-only";
import type { Db } from "../db";
import { JOB_TASKS } from "../events/jobs";
import { deliverOutbox, type NotificationChannels } from "../notifications/sender";
import { autoConfirmOrder, cancelOverdue } from "../orders/automation";
import { autoAssignCourier } from "../orders/couriers";
import { writeDueZReports } from "../reports/z-report";
import { pruneFinished } from "./maintenance";
import type { RecurringJob, TaskList } from "./types";

/**
 * Pass's jobs (seeds/004's names). Each task's effect is a conditional update, so the engines'
 * at-least-once delivery does each thing once.
 */
export function passTasks({ db, channels }: { db: Db; channels: NotificationChannels }): TaskList {
  return {
    [JOB_TASKS.autoConfirm]: async (payload) => {
      await autoConfirmOrder({ db, orderId: Number(payload.orderId) });
    },
    [JOB_TASKS.autoCancel]: async () => {
      await cancelOverdue({ db });
    },
    [JOB_TASKS.autoAssign]: async (payload) => {
      await autoAssignCourier({ db, orderId: Number(payload.orderId) });
    },
    [JOB_TASKS.notify]: async (payload, ctx) => {
      await deliverOutbox({ db, outboxId: String(payload.outboxId), attempt: ctx.attempt, maxAttempts: ctx.maxAttempts, channels });
    },
    [JOB_TASKS.zReport]: async () => {
      await writeDueZReports({ db });
    },
    [JOB_TASKS.prune]: async () => {
      await pruneFinished({ db });
    },
  };
}

/** seeds/004 sweeps for auto-cancel every 5 minutes; Pass every minute, so "after N minutes" is at most a minute late. */
/** The Z reports: each minute, so a business day's report is written within a minute of its cut-over. */
export const RECURRING_JOBS: readonly RecurringJob[] = [
  { task: JOB_TASKS.autoCancel, everyMinutes: 1 },
  { task: JOB_TASKS.zReport, everyMinutes: 1 },
  { task: JOB_TASKS.prune, everyMinutes: 30 },
];
