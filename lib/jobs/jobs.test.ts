/**
 * The job runner on each database (issue "Jobs and notifications" items 1 and 2): a job enqueued
 * in a change's transaction exists exactly when the change commits; failures retry with backoff
 * and land in the failed list with their error; auto-confirm and auto-cancel do their work once
 * and leave alone an order a person got to first.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mutate } from "../events";
import { enqueueJob, JOB_TASKS } from "../events/jobs";
import { confirmOrder, AUTO_CANCEL_REASON, loadOrder } from "../orders";
import { describeEachDatabase } from "../testing/each-database";
import { makePartner, makeUser, placeOrder, type TestPartner } from "../testing/fixtures";
import { createJobRunner, listFailedJobs, passTasks, notificationChannels, type JobRunner, type TaskList } from ".";
import type { Principal } from "../auth";
import { installJobsSchema } from "./graphile";

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describeEachDatabase("job runner", (ctx) => {
  let runner: JobRunner;
  let demo: TestPartner;
  let cashier: Principal;
  const seen: number[] = [];
  let failures = 0;

  beforeAll(async () => {
    demo = await makePartner(ctx.db, "jobs");
    cashier = (await makeUser(ctx.db, { partnerId: demo.partner.id, role: "operator", username: "jobs-cashier" })).principal;
    const real = passTasks({ db: ctx.db, channels: notificationChannels(ctx.t.config) });
    // The real tasks, plus a "probe" behind auto_cancel's name for the engine's own tests.
    const tasks: TaskList = {
      ...real,
      [JOB_TASKS.autoCancel]: async (payload, job) => {
        if (payload.probe === "fail") {
          failures++;
          throw new Error(`probe failure ${job.attempt}/${job.maxAttempts}`);
        }
        if (typeof payload.probe === "number") {
          seen.push(payload.probe);
          return;
        }
        await real[JOB_TASKS.autoCancel](payload, job);
      },
    };
    runner = createJobRunner({ handle: ctx.t, config: ctx.t.config, tasks, recurring: [], pollMs: 100 });
    await runner.start();
  });
  afterAll(async () => {
    await runner.stop();
  });

  it("runs a job enqueued in a committed change, and never one whose change rolled back", async () => {
    await expect(
      mutate(ctx.db, async (trx) => {
        await enqueueJob(trx, { task: JOB_TASKS.autoCancel, payload: { probe: 1 } });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    await mutate(ctx.db, async (trx) => {
      await enqueueJob(trx, { task: JOB_TASKS.autoCancel, payload: { probe: 2 } });
    });
    await until("the committed job", async () => seen.includes(2));
    await new Promise((r) => setTimeout(r, 300));
    expect(seen).toEqual([2]);
  });

  it("dedupes by job key while the first one waits", async () => {
    const later = new Date(Date.now() + 400);
    await runner.enqueue({ task: JOB_TASKS.autoCancel, payload: { probe: 3 }, jobKey: "dedupe-probe", runAt: later });
    await runner.enqueue({ task: JOB_TASKS.autoCancel, payload: { probe: 4 }, jobKey: "dedupe-probe", runAt: later });
    await until("the keyed job", async () => seen.includes(3) || seen.includes(4));
    await new Promise((r) => setTimeout(r, 300));
    expect(seen.filter((n) => n === 3 || n === 4)).toHaveLength(1);
  });

  it("retries a failing job with backoff, then lists it as failed with its error", async () => {
    const started = Date.now();
    await runner.enqueue({ task: JOB_TASKS.autoCancel, payload: { probe: "fail", partnerId: demo.partner.id }, maxAttempts: 2 });
    const failed = await until("the failed job", async () => {
      const list = await listFailedJobs({ handle: ctx.t, partnerId: demo.partner.id });
      return list.length > 0 ? list : undefined;
    });
    expect(failures).toBe(2);
    // e^1 s between the attempts (graphile-worker's backoff; the embedded queue uses the same).
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_500);
    expect(failed[0]).toMatchObject({ task: JOB_TASKS.autoCancel, attempts: 2, maxAttempts: 2, error: "probe failure 2/2" });
    // Another partner's admin does not see it.
    expect(await listFailedJobs({ handle: ctx.t, partnerId: "someone-else" })).toEqual([]);
    expect(await runner.pendingCount()).toBe(0);
  }, 30_000);

  it("keeps running when another queue schema is installed on the same database (PostgreSQL)", async () => {
    if (ctx.dialect !== "postgres") return;
    // graphile-worker's NOTIFY worker:migrate names no schema: without Pass's filter
    // (lib/jobs/graphile.ts) this install would stop the runner above.
    const foreign = `other_queue_${process.pid}_${Date.now()}`;
    const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
    try {
      await installJobsSchema({ pool, schema: foreign });
      await new Promise((r) => setTimeout(r, 500));
      await runner.enqueue({ task: JOB_TASKS.autoCancel, payload: { probe: 5 } });
      await until("a job after the foreign install", async () => seen.includes(5));
    } finally {
      await pool.query(`drop schema if exists "${foreign}" cascade`);
      await pool.end();
    }
  });

  it("auto-confirms a trusted source's order after the delay, payment OTHER, with a ticket number", async () => {
    await ctx.db
      .updateTable("partners")
      .set({ autoConfirmSources: JSON.stringify(["kiosk"]), autoConfirmSeconds: 1 })
      .where("id", "=", demo.partner.id)
      .execute();
    const placedAt = Date.now();
    const { order: kiosk } = await placeOrder(ctx.db, demo, { source: "kiosk" });
    const { order: qr } = await placeOrder(ctx.db, demo, { source: "qr" });
    const confirmed = await until("the auto-confirm", async () => {
      const o = await loadOrder(ctx.db, kiosk.id);
      return o?.status === "CONFIRMED" ? o : undefined;
    });
    expect(Date.now() - placedAt).toBeGreaterThanOrEqual(900);
    expect(confirmed).toMatchObject({ paymentMethod: "OTHER", userId: null });
    expect(confirmed.ticketNumber).toBeGreaterThan(0);
    // The kitchen got it as from the cashier: course 1 fired.
    expect(confirmed.parts.every((p) => p.state === "QUEUED")).toBe(true);
    expect((await loadOrder(ctx.db, qr.id))!.status).toBe("PENDING");
  });

  it("leaves alone an order the cashier confirmed before the job ran", async () => {
    await ctx.db.updateTable("partners").set({ autoConfirmSeconds: 1 }).where("id", "=", demo.partner.id).execute();
    const { order } = await placeOrder(ctx.db, demo, { source: "kiosk" });
    await confirmOrder({ db: ctx.db, principal: cashier, id: order.id, input: { paymentMethod: "CARD" } });
    await until("the job to run", async () => (await runner.pendingCount()) === 0);
    await new Promise((r) => setTimeout(r, 1_500));
    const events = await ctx.db
      .selectFrom("events")
      .select("type")
      .where("orderId", "=", order.id)
      .where("type", "=", "order.confirmed")
      .execute();
    expect(events).toHaveLength(1);
    expect((await loadOrder(ctx.db, order.id))!.paymentMethod).toBe("CARD");
  });

  it("auto-cancels PENDING orders older than the limit, once, with the reason", async () => {
    await ctx.db
      .updateTable("partners")
      .set({ autoConfirmSources: "[]", autoCancelMinutes: 10 })
      .where("id", "=", demo.partner.id)
      .execute();
    const old = new Date(Date.now() - 11 * 60_000);
    const { order: stale } = await placeOrder(ctx.db, demo, { now: old });
    const { order: fresh } = await placeOrder(ctx.db, demo);
    const { order: taken } = await placeOrder(ctx.db, demo, { now: old });
    await confirmOrder({ db: ctx.db, principal: cashier, id: taken.id, input: { paymentMethod: "CASH" } });
    await runner.enqueue({ task: JOB_TASKS.autoCancel, payload: {} });
    await runner.enqueue({ task: JOB_TASKS.autoCancel, payload: {} });
    const cancelled = await until("the auto-cancel", async () => {
      const o = await loadOrder(ctx.db, stale.id);
      return o?.status === "CANCELLED" ? o : undefined;
    });
    await until("both sweeps", async () => (await runner.pendingCount()) === 0);
    expect(cancelled.cancelReason).toBe(AUTO_CANCEL_REASON);
    expect((await loadOrder(ctx.db, fresh.id))!.status).toBe("PENDING");
    expect((await loadOrder(ctx.db, taken.id))!.status).toBe("CONFIRMED");
    const events = await ctx.db
      .selectFrom("events")
      .select("payload")
      .where("orderId", "=", stale.id)
      .where("type", "=", "order.status")
      .execute();
    expect(events).toHaveLength(1);
  });
});

describe("job runner engines", () => {
  it("are chosen by dialect", async () => {
    expect(typeof createJobRunner).toBe("function");
  });
});
