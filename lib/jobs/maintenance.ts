import "server-only";
import type { Db } from "../db";
import { isPostgres } from "../events/jobs";

/**
 * The `maintenance:prune` job (docs/operations.md "What Pass keeps"): the rows that only record
 * what already happened — sent or abandoned notifications and their delivery log, finished print
 * jobs, screens' disconnect history, failed jobs of the embedded queue — are kept KEEP_DAYS, then
 * deleted, so no table grows with every order for ever. Orders, their history (the audit trail),
 * Z reports and the event log (its own retention, lib/events/log.ts pruneEvents) are not touched.
 */
export const KEEP_DAYS = 30;

export type Pruned = { outbox: number; webhookDeliveries: number; printJobs: number; screenDisconnects: number; failedJobs: number };

export async function pruneFinished({
  db,
  now = new Date(),
  keepDays = KEEP_DAYS,
}: {
  db: Db;
  now?: Date;
  keepDays?: number;
}): Promise<Pruned> {
  const cutoff = new Date(now.getTime() - keepDays * 86_400_000).toISOString();
  return db.transaction().execute(async (trx) => {
    const finishedOutbox = trx.selectFrom("outbox").select("id").where("status", "in", ["sent", "failed"]).where("createdAt", "<", cutoff);
    // A delivery's log goes with its notification (and any older than the cutoff on its own).
    const webhookDeliveries = await trx
      .deleteFrom("webhookDeliveries")
      .where((eb) => eb.or([eb("at", "<", cutoff), eb("outboxId", "in", finishedOutbox)]))
      .executeTakeFirst();
    const outbox = await trx.deleteFrom("outbox").where("id", "in", finishedOutbox).executeTakeFirst();
    // A print job is the once-only record of (event, printer): only one whose event the dispatcher
    // has passed for good (below its cursor) may go, or the event could print again.
    const cursor = await trx.selectFrom("printCursor").select("throughEventId").where("id", "=", 1).executeTakeFirst();
    const printJobs = await trx
      .deleteFrom("printJobs")
      .where("state", "in", ["printed", "moved", "cancelled"])
      .where("queuedAt", "<", cutoff)
      .where("eventId", "<", Number(cursor?.throughEventId ?? 0))
      .executeTakeFirst();
    const screenDisconnects = await trx.deleteFrom("screenDisconnects").where("backAt", "<", cutoff).executeTakeFirst();
    // The embedded queue's (SQLite); graphile-worker keeps its own schema on PostgreSQL.
    const failedJobs = isPostgres(db)
      ? { numDeletedRows: 0n }
      : await trx.deleteFrom("jobs").where("failedAt", "is not", null).where("failedAt", "<", cutoff).executeTakeFirst();
    return {
      outbox: Number(outbox.numDeletedRows),
      webhookDeliveries: Number(webhookDeliveries.numDeletedRows),
      printJobs: Number(printJobs.numDeletedRows),
      screenDisconnects: Number(screenDisconnects.numDeletedRows),
      failedJobs: Number(failedJobs.numDeletedRows),
    };
  });
}
