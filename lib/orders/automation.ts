import "server-only";
import type { Db } from "../db";
import { ConflictError } from "../errors";
import { mutate, systemActor } from "../events";
import { JOB_TASKS } from "../events/jobs";
import { confirmInTrx, loadOrder, transitionInTrx } from "./service";
import { AUTO_CANCEL_REASON } from "./status";

/**
 * What the order jobs do (lib/jobs/tasks.ts; issue "Jobs and notifications" item 2). Both run at
 * least once (every job engine retries); the effect is the conditional update inside the confirm /
 * status change, so an order a person already confirmed or cancelled — or another node got to
 * first — is left alone.
 */
export { AUTO_CANCEL_REASON };

/** Confirms a PENDING order from a trusted source, payment OTHER, through the cashier's confirm. */
export async function autoConfirmOrder({ db, orderId, now = new Date() }: { db: Db; orderId: number; now?: Date }): Promise<boolean> {
  const order = await loadOrder(db, orderId);
  if (order?.status !== "PENDING") return false;
  try {
    await mutate(db, systemActor(JOB_TASKS.autoConfirm), async (trx, emit) => {
      const current = (await loadOrder(trx, orderId))!;
      return confirmInTrx(trx, emit, current, { input: { paymentMethod: "OTHER" }, userId: null, now });
    });
    return true;
  } catch (err) {
    // Someone (a person, another node) moved it first: the job's work is done.
    if (err instanceof ConflictError) return false;
    throw err;
  }
}

/**
 * Cancels the PENDING orders older than their partner's autoCancelMinutes, with the reason
 * "not confirmed in time". Returns the ids this call cancelled.
 */
export async function cancelOverdue({ db, now = new Date(), batch = 500 }: { db: Db; now?: Date; batch?: number }): Promise<number[]> {
  const partners = await db.selectFrom("partners").select(["id", "autoCancelMinutes"]).where("autoCancelMinutes", "is not", null).execute();
  const cancelled: number[] = [];
  for (const p of partners) {
    const before = new Date(now.getTime() - Number(p.autoCancelMinutes) * 60_000).toISOString();
    for (;;) {
      const due = await db
        .selectFrom("orders")
        .select("id")
        .where("partnerId", "=", p.id)
        .where("status", "=", "PENDING")
        .where("createdAt", "<", before)
        .orderBy("id")
        .limit(batch)
        .execute();
      let won = 0;
      for (const { id } of due) {
        if (await cancelOne(db, Number(id), now)) {
          cancelled.push(Number(id));
          won++;
        }
      }
      // Another node took the rest of this batch, or there is no more.
      if (due.length < batch || won === 0) break;
    }
  }
  return cancelled;
}

async function cancelOne(db: Db, orderId: number, now: Date): Promise<boolean> {
  try {
    await mutate(db, systemActor(JOB_TASKS.autoCancel), async (trx, emit) => {
      const order = (await loadOrder(trx, orderId))!;
      if (order.status !== "PENDING") throw new ConflictError("no longer pending");
      return transitionInTrx(trx, emit, order, { status: "CANCELLED", cancelReason: AUTO_CANCEL_REASON, who: "auto-cancel", now });
    });
    return true;
  } catch (err) {
    if (err instanceof ConflictError) return false;
    throw err;
  }
}
