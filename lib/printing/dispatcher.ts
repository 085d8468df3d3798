import "server-only";
import crypto from "node:crypto";
import { receiptTrackingToken } from "../auth/secrets";
import type { Db } from "../db";
import { newId, nowIso } from "../db/ids";
import { committedEvents } from "../events/notify";
import { acknowledgePrinted } from "../orders/screens";
import { clockIn, encodeJob, encodeTestPage, type Restaurant } from "./escpos";
import { firedStations } from "./plan";
import { PLAN_PAGE, planFromLog, PRINT_EVENT_TYPES, type JobRow, type PrintDocument } from "./queue";
import type { PrinterRow } from "./printers";
import { isWorking, type PrinterState } from "./status";
import { PrinterLink, PrinterLinkError, type StatusAnswer } from "./transport";
import { metrics } from "../metrics";
import { log as logger } from "../log";

const PRINTABLE: ReadonlySet<string> = new Set(PRINT_EVENT_TYPES);

/**
 * The server-side print dispatcher (issue "Network printers" item 2–3): one per Pass process,
 * built with the rest of the runtime (lib/process-runtime.ts), never a module singleton.
 *
 * - **Follows the log**: on every local commit of a printable event and every `pollMs`, it plans the jobs of the
 *   events after the shared cursor (lib/printing/queue.ts planFromLog): one row per (event,
 *   printer), unique, so restarts and other nodes add nothing.
 * - **One node drives a printer** at a time: a lease on the printer row (conditional update,
 *   renewed while it works, taken over when it expires). Each printer has its own worker loop,
 *   so a slow or dead printer never delays another.
 * - **A job** is claimed by a conditional update (queued → printing, with a lease); the printer's
 *   real-time status is asked before (not ready → not sent) and after (the job is "printed" only
 *   when the printer answered ready once it had read the bytes). A failure records the reason on
 *   the printer (what /printer, the dashboard and the cashier show) and retries with backoff;
 *   after `failoverMs` a job moves to the printer's backup, stamped BACKUP FROM <NAME>; a job
 *   that waited longer than `lateMs` prints stamped "LATE — queued 19:42" (restaurant time).
 * - A job found "printing" with an expired lease (its node died mid-job) is taken again if it
 *   was never sent; if it was sent, the printer may have printed it (what reached its buffer
 *   prints), so it becomes "unconfirmed" — shown on /printer with Reprint, not printed twice, and
 *   not counted as printed (the unseen-ticket alarm still covers it).
 */
export type DispatcherOptions = {
  /** This process's name in leases (default: random). */
  nodeId?: string;
  pollMs?: number;
  /** How often an idle printer's status is asked, so screens see a dead printer within 5 s. */
  statusEveryMs?: number;
  connectTimeoutMs?: number;
  statusTimeoutMs?: number;
  /** Extra time the after-job status answer may take per byte sent (a slow printer reading its buffer). */
  msPerByte?: number;
  failoverMs?: number;
  lateMs?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  leaseMs?: number;
  /**
   * The origin guests reach Pass at (PUBLIC_URL): the receipt's QR code links to
   * `${publicUrl}/track/{id}?token=trk_r.…` (lib/auth/secrets.ts receiptTrackingToken). null = no QR.
   */
  publicUrl?: string | null;
  /** Overrides the receipt's link (tests). */
  trackUrl?: (orderId: number) => string | null;
  log?: (line: string) => void;
};

type Resolved = Required<Omit<DispatcherOptions, "trackUrl" | "log">> &
  Pick<DispatcherOptions, "trackUrl"> & { log: (line: string) => void };

export const DISPATCHER_DEFAULTS = {
  pollMs: 250,
  statusEveryMs: 3_000,
  connectTimeoutMs: 3_000,
  statusTimeoutMs: 3_000,
  msPerByte: 5,
  failoverMs: 10_000,
  lateMs: 120_000,
  retryBaseMs: 500,
  retryMaxMs: 5_000,
  leaseMs: 15_000,
} as const;

const later = (ms: number) => new Date(Date.now() + ms).toISOString();

export class PrintDispatcher {
  readonly nodeId: string;
  readonly #db: Db;
  readonly #o: Resolved;
  #running = false;
  /** Stopped as if the process died: nothing more is written. */
  #dead = false;
  #workers = new Map<string, Promise<void>>();
  #links = new Set<PrinterLink>();
  #planning: Promise<void> | null = null;
  #planAgain = false;
  #timer: NodeJS.Timeout | null = null;
  #wakers = new Set<() => void>();
  /** Until when this node holds each printer's lease (its own clock). */
  #leasedUntil = new Map<string, number>();
  /** The status last written per printer: written again when it changes or grows old. */
  #recorded = new Map<string, { key: string; at: number }>();
  #restaurants = new Map<string, { at: number; value: Restaurant }>();
  // Only events that can print are worth planning for: the others would cost three reads per
  // commit and plan nothing (the timer's poll still catches whatever this misses).
  readonly #onCommit = (events: readonly { type: string }[], db: Db) => {
    if (db === this.#db && events.some((e) => PRINTABLE.has(e.type))) this.poke();
  };

  constructor(db: Db, options: DispatcherOptions = {}) {
    this.#db = db;
    this.nodeId = options.nodeId ?? `node-${crypto.randomBytes(4).toString("hex")}`;
    this.#o = {
      ...DISPATCHER_DEFAULTS,
      trackUrl: undefined,
      publicUrl: null,
      log: (line: string) => logger().info(line),
      ...definedOnly(options),
      nodeId: this.nodeId,
    } as Resolved;
  }

  get running(): boolean {
    return this.#running;
  }

  start(): this {
    if (this.#running) return this;
    this.#running = true;
    committedEvents().on("committed", this.#onCommit);
    const tick = () => {
      if (!this.#running) return;
      this.poke();
      this.#timer = setTimeout(tick, this.#o.pollMs);
      this.#timer.unref();
    };
    tick();
    return this;
  }

  /**
   * Stops planning and printing. `abrupt`: as if the process died — connections are cut in the
   * middle of a job and no lease is released (tests of a restart mid-job).
   */
  async stop({ abrupt = false }: { abrupt?: boolean } = {}): Promise<void> {
    this.#running = false;
    committedEvents().off("committed", this.#onCommit);
    if (this.#timer) clearTimeout(this.#timer);
    for (const w of this.#wakers) w();
    if (abrupt) {
      this.#dead = true;
      for (const l of this.#links) l.close();
      this.#links.clear();
      return;
    }
    await Promise.allSettled([...this.#workers.values(), this.#planning]);
    await this.#db
      .updateTable("printers")
      .set({ leaseOwner: null, leaseUntil: null })
      .where("leaseOwner", "=", this.nodeId)
      .execute()
      .catch(() => {});
  }

  /** Plan from the log now and wake the printers' workers. */
  poke(): void {
    if (!this.#running) return;
    if (this.#planning) {
      this.#planAgain = true;
      return;
    }
    this.#planning = (async () => {
      try {
        do {
          this.#planAgain = false;
          const { events, printerIds } = await planFromLog({ db: this.#db });
          if (events >= PLAN_PAGE) this.#planAgain = true;
          await this.#ensureWorkers(printerIds);
          for (const w of this.#wakers) w();
        } while (this.#planAgain && this.#running);
      } catch (err) {
        if (this.#running) this.#o.log(`pass: print planning failed: ${(err as Error).message}`);
      } finally {
        this.#planning = null;
      }
    })();
  }

  /** `enabled`: the enabled printers' ids when planning just read them (not read again). */
  async #ensureWorkers(enabled?: readonly string[]): Promise<void> {
    const ids = enabled ?? (await this.#db.selectFrom("printers").select("id").where("enabled", "=", 1).execute()).map((p) => p.id);
    for (const id of ids) {
      if (this.#workers.has(id) || !this.#running) continue;
      const worker = this.#work(id).finally(() => this.#workers.delete(id));
      this.#workers.set(id, worker);
    }
  }

  #idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(t);
        this.#wakers.delete(done);
        resolve();
      };
      const t = setTimeout(done, ms);
      this.#wakers.add(done);
    });
  }

  /** One printer's loop: lease it, print its due jobs one by one, ask its status when idle. */
  async #work(printerId: string): Promise<void> {
    let lastProbe = 0;
    while (this.#running) {
      try {
        const printer = await this.#db.selectFrom("printers").selectAll().where("id", "=", printerId).executeTakeFirst();
        if (printer?.enabled !== 1) return;
        // Renewed at half its life, not on every job: one write fewer per slip.
        if ((this.#leasedUntil.get(printerId) ?? 0) < Date.now() + this.#o.leaseMs / 2) {
          if (!(await this.#lease(printer))) {
            this.#leasedUntil.delete(printerId);
            await this.#idle(this.#o.pollMs * 4);
            continue;
          }
          this.#leasedUntil.set(printerId, Date.now() + this.#o.leaseMs);
        }
        if (printer.status !== "unknown" && !isWorking(printer.status)) await this.#failOver(printer);
        const job = printer.paused ? undefined : await this.#nextDue(printer);
        if (job) {
          await this.#print(printer, job);
          lastProbe = Date.now();
          continue;
        }
        if (Date.now() - lastProbe >= this.#o.statusEveryMs) {
          lastProbe = Date.now();
          await this.#probe(printer);
          continue;
        }
        await this.#idle(this.#o.pollMs);
      } catch (err) {
        if (!this.#running) return;
        this.#o.log(`pass: printer ${printerId}: ${(err as Error).message}`);
        await this.#idle(this.#o.retryBaseMs);
      }
    }
  }

  async #lease(printer: PrinterRow): Promise<boolean> {
    const now = nowIso();
    const r = await this.#db
      .updateTable("printers")
      .set({ leaseOwner: this.nodeId, leaseUntil: later(this.#o.leaseMs) })
      .where("id", "=", printer.id)
      .where((eb) => eb.or([eb("leaseOwner", "is", null), eb("leaseOwner", "=", this.nodeId), eb("leaseUntil", "<", now)]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /**
   * The printer's oldest due job: queued and due, or left "printing" by a node whose lease ran
   * out. It is only taken (a conditional update) once the printer answered ready (#print).
   */
  async #nextDue(printer: PrinterRow): Promise<JobRow | undefined> {
    const now = nowIso();
    return this.#db
      .selectFrom("printJobs")
      .selectAll()
      .where("printerId", "=", printer.id)
      .where((eb) =>
        eb.or([
          eb.and([eb("state", "=", "queued"), eb("nextAttemptAt", "<=", now)]),
          eb.and([eb("state", "=", "printing"), eb("leaseUntil", "<", now)]),
        ]),
      )
      .orderBy("queuedAt")
      .orderBy("eventId")
      .limit(1)
      .executeTakeFirst();
  }

  /** Takes the job for this node, as sent from now on; false when another node or run changed it first. */
  async #claim(job: JobRow, holdMs: number): Promise<boolean> {
    const r = await this.#db
      .updateTable("printJobs")
      .set({ state: "printing", leaseOwner: this.nodeId, leaseUntil: later(holdMs), attempts: job.attempts + 1, sentAt: nowIso() })
      .where("id", "=", job.id)
      .where("state", "=", job.state)
      .where("attempts", "=", job.attempts)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async #recordStatus(printerId: string, { state, detail }: { state: PrinterState; detail: string | null }): Promise<void> {
    const key = `${state}|${detail ?? ""}`;
    const last = this.#recorded.get(printerId);
    // Screens call a status older than STATUS_STALE_MS unknown: refresh well before that.
    if (last?.key === key && Date.now() - last.at < this.#o.statusEveryMs) return;
    this.#recorded.set(printerId, { key, at: Date.now() });
    await this.#db
      .updateTable("printers")
      .set({ status: state, statusDetail: detail, statusAt: nowIso() })
      .where("id", "=", printerId)
      .execute();
  }

  async #connect(printer: PrinterRow): Promise<PrinterLink> {
    const link = await PrinterLink.open({ host: printer.host, port: printer.port, timeoutMs: this.#o.connectTimeoutMs });
    this.#links.add(link);
    return link;
  }

  #release(link: PrinterLink | null): void {
    if (!link) return;
    link.close();
    this.#links.delete(link);
  }

  async #probe(printer: PrinterRow): Promise<StatusAnswer> {
    let link: PrinterLink | null = null;
    let answer: StatusAnswer;
    try {
      link = await this.#connect(printer);
      answer = await link.status(this.#o.statusTimeoutMs);
    } catch (err) {
      answer = failure(err);
    } finally {
      this.#release(link);
    }
    if (!this.#dead) await this.#recordStatus(printer.id, answer);
    return answer;
  }

  async #restaurant(partnerId: string): Promise<Restaurant> {
    const cached = this.#restaurants.get(partnerId);
    if (cached && Date.now() - cached.at < 30_000) return cached.value;
    const p = await this.#db
      .selectFrom("partners")
      .select(["name", "currency", "locale", "timezone"])
      .where("id", "=", partnerId)
      .executeTakeFirstOrThrow();
    const value = { name: p.name, currency: p.currency, locale: p.locale, timezone: p.timezone };
    this.#restaurants.set(partnerId, { at: Date.now(), value });
    return value;
  }

  async #encode(printer: PrinterRow, job: JobRow): Promise<{ bytes: Uint8Array; late: boolean }> {
    const restaurant = await this.#restaurant(job.partnerId);
    const setup = { paperWidth: printer.paperWidth, codePage: printer.codePage, buzzer: printer.buzzer === 1 };
    const doc = JSON.parse(job.document) as PrintDocument;
    if (doc.kind === "test") return { bytes: encodeTestPage({ page: doc, restaurant, printer: setup }), late: false };
    const late = Date.now() - Date.parse(job.queuedAt) > this.#o.lateMs;
    const stamps = { lateQueuedAt: late ? clockIn(job.queuedAt, restaurant.timezone) : null, backupFrom: job.backupFrom };
    const trackUrl = doc.job.kind === "receipt" && job.orderId !== null ? await this.#trackUrl(job.orderId) : null;
    return { bytes: encodeJob({ job: doc.job, restaurant, printer: setup, stamps, trackUrl }), late };
  }

  async #trackUrl(orderId: number): Promise<string | null> {
    if (this.#o.trackUrl) return this.#o.trackUrl(orderId);
    if (!this.#o.publicUrl) return null;
    const row = await this.#db.selectFrom("orders").select("trackingTokenHash").where("id", "=", orderId).executeTakeFirst();
    if (!row?.trackingTokenHash) return null;
    return `${this.#o.publicUrl.replace(/\/+$/, "")}/track/${orderId}?token=${encodeURIComponent(receiptTrackingToken(row.trackingTokenHash))}`;
  }

  async #print(printer: PrinterRow, job: JobRow): Promise<void> {
    if (job.state === "printing" && job.sentAt) {
      // Its node died after sending: the printer may well have printed it (what reached its
      // buffer prints). Sending it again could print it twice, so it waits for a person.
      await this.#db
        .updateTable("printJobs")
        .set({
          state: "unconfirmed",
          lastError: "interrupted after it was sent: check the printer, reprint if it is missing",
          leaseOwner: null,
          leaseUntil: null,
        })
        .where("id", "=", job.id)
        .where("state", "=", "printing")
        .where("attempts", "=", job.attempts)
        .execute();
      metrics()?.print("unconfirmed");
      return;
    }
    let link: PrinterLink | null = null;
    let outcome: StatusAnswer;
    let late = false;
    let claimed = false;
    try {
      link = await this.#connect(printer);
      const before = await link.status(this.#o.statusTimeoutMs);
      if (!isWorking(before.state)) outcome = before;
      else {
        const encoded = await this.#encode(printer, job);
        late = encoded.late;
        const answerMs = this.#o.statusTimeoutMs + encoded.bytes.length * this.#o.msPerByte;
        claimed = await this.#claim(job, this.#o.leaseMs + answerMs);
        if (!claimed) return; // another node took it between our read and our claim
        await link.write(encoded.bytes);
        outcome = await link.status(answerMs);
      }
    } catch (err) {
      outcome = failure(err);
      if (!(err instanceof PrinterLinkError))
        this.#o.log(`pass: print job ${job.jobKey} on ${printer.name} failed: ${(err as Error).message}`);
    } finally {
      this.#release(link);
    }
    if (this.#dead) return; // "died" mid-job: the lease runs out and the job becomes unconfirmed
    await this.#recordStatus(printer.id, outcome);
    if (claimed && isWorking(outcome.state)) {
      const r = await this.#db
        .updateTable("printJobs")
        .set({ state: "printed", printedAt: nowIso(), lastError: null, late: late ? 1 : 0, leaseOwner: null, leaseUntil: null })
        .where("id", "=", job.id)
        .where("leaseOwner", "=", this.nodeId)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 1) {
        metrics()?.print("printed");
        await this.#accountFor(job);
      }
      return;
    }
    // Not ready before (nothing sent), or no ready answer after: back in the queue with the reason.
    if (claimed)
      this.#o.log(
        `pass: printer ${printer.name}: ${job.jobKey} sent but not confirmed (${outcome.state}${outcome.detail ? `: ${outcome.detail}` : ""}); it prints again`,
      );
    const attempts = claimed ? job.attempts + 1 : job.attempts;
    const retryIn = retryDelay(attempts, this.#o);
    let q = this.#db
      .updateTable("printJobs")
      .set({
        state: "queued",
        attempts: claimed ? attempts : attempts + 1,
        nextAttemptAt: later(retryIn),
        lastError: outcome.detail && outcome.state === "error" ? outcome.detail : outcome.state,
        leaseOwner: null,
        leaseUntil: null,
        sentAt: null,
      })
      .where("id", "=", job.id);
    q = claimed ? q.where("leaseOwner", "=", this.nodeId) : q.where("state", "=", job.state).where("attempts", "=", job.attempts);
    await q.execute();
    metrics()?.print("retry");
    await this.#failOver({ ...printer, status: outcome.state });
  }

  /**
   * Jobs of a printer that is not working, queued longer than `failoverMs`, move to its backup
   * (once: a job already on a backup stays there), stamped with this printer's name.
   */
  async #failOver(printer: PrinterRow): Promise<void> {
    if (!printer.backupPrinterId || isWorking(printer.status)) return;
    const cutoff = new Date(Date.now() - this.#o.failoverMs).toISOString();
    const stuck = await this.#db
      .selectFrom("printJobs")
      .selectAll()
      .where("printerId", "=", printer.id)
      .where("state", "=", "queued")
      .where("backupFrom", "is", null)
      .where("queuedAt", "<", cutoff)
      .limit(50)
      .execute();
    for (const job of stuck) {
      await this.#db.transaction().execute(async (trx) => {
        const r = await trx
          .updateTable("printJobs")
          .set({ state: "moved", movedTo: printer.backupPrinterId })
          .where("id", "=", job.id)
          .where("state", "=", "queued")
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) !== 1) return;
        metrics()?.print("moved");
        // Same key on the backup: if the backup already prints this slip itself, it prints once.
        await trx
          .insertInto("printJobs")
          .values({
            ...job,
            id: newId(),
            printerId: printer.backupPrinterId!,
            state: "queued",
            attempts: 0,
            nextAttemptAt: nowIso(),
            lastError: null,
            leaseOwner: null,
            leaseUntil: null,
            sentAt: null,
            backupFrom: printer.name,
          })
          .onConflict((oc) => oc.columns(["printerId", "jobKey"]).doNothing())
          .execute();
      });
      this.#o.log(`pass: print job ${job.jobKey} moved from ${printer.name} to its backup (${printer.status})`);
    }
    if (stuck.length) for (const w of this.#wakers) w();
  }

  /**
   * Item 5: a ticket whose every fired station slip so far (the confirmation's course, and each
   * course or scheduled order fired later) a printer confirmed counts as seen by the kitchen, as a
   * kitchen screen showing it would. One slip no printer confirmed — a station without a network
   * printer, a printer down with no backup — leaves the ticket to the unseen-ticket alarm.
   */
  async #accountFor(job: JobRow): Promise<void> {
    const doc = JSON.parse(job.document) as PrintDocument;
    if (doc.kind !== "order" || job.kind !== "kitchen" || job.orderId === null) return;
    if (!FIRING_EVENTS.has(doc.eventType)) return;
    const rows = await this.#db
      .selectFrom("printJobs")
      .select(["eventId", "station", "state", "document"])
      .where("orderId", "=", job.orderId)
      .where("kind", "=", "kitchen")
      .execute();
    const printed = new Set(rows.filter((r) => r.state === "printed").map((r) => `${r.eventId}:${r.station}`));
    const printedStations = new Set(rows.filter((r) => r.state === "printed").map((r) => r.station));
    for (const r of rows) {
      const d = JSON.parse(r.document) as PrintDocument;
      if (d.kind !== "order" || !FIRING_EVENTS.has(d.eventType)) continue;
      if (!d.eventStations.every((s) => printed.has(`${r.eventId}:${s}`))) return;
    }
    // A firing whose stations have no network printer at all left no row: the order says it fired.
    if (!firedStations(doc.job.order).every((s) => printedStations.has(s))) return;
    await acknowledgePrinted({ db: this.#db, partnerId: job.partnerId, id: job.orderId });
  }
}

/** The events whose kitchen slips are the ticket's firings (reprints and the alarm's fallback are not). */
const FIRING_EVENTS = new Set(["order.confirmed", "order.fired"]);

/** Backoff: the base after the first failed attempt, doubling on each one after, never above the cap. */
export function retryDelay(attempts: number, { retryBaseMs, retryMaxMs }: { retryBaseMs: number; retryMaxMs: number }): number {
  return Math.min(retryMaxMs, retryBaseMs * 2 ** Math.max(0, attempts - 1));
}

const definedOnly = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

function failure(err: unknown): StatusAnswer {
  if (err instanceof PrinterLinkError) return { state: err.state, detail: err.message };
  return { state: "error", detail: (err as Error).message };
}

/** The dispatcher a process runs (lib/process-runtime.ts), started. */
export function startPrintDispatcher(db: Db, options: DispatcherOptions = {}): PrintDispatcher {
  return new PrintDispatcher(db, options).start();
}
