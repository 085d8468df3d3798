import "server-only";
import type { Selectable } from "kysely";
import { type Principal, assertCan, assertPartnerVisible } from "../auth/access";
import type { Db, PrintJobsTable } from "../db";
import { newId, nowIso } from "../db/ids";
import { ConflictError, NotFoundError } from "../errors";
import { type LoggedEvent, readEvents } from "../events/log";
import { upgradeEvent } from "../orders/events";
import { pass, type PassOrderEvent } from "../projections/pass";
import { jobsFor, type PrintJob } from "./plan";
import { stationsOf } from "./printers";
import type { TestPage } from "./escpos";

/**
 * The print queue: one row per (log event, printer), created from the log idempotently (the
 * unique key printerId + jobKey), so a replay, a restart or a second node adds nothing. What a
 * row prints is its `document`, frozen when it was planned (the order as the event carried it).
 */
export type JobRow = Selectable<PrintJobsTable>;

/** What a job row prints: a slip or receipt (with the log event it came from), or a test page. */
export type PrintDocument =
  | { kind: "order"; job: PrintJob; eventType: string /** The stations this event fired slips for (item 5). */; eventStations: string[] }
  | TestPage;

export const PRINT_EVENT_TYPES = ["order.confirmed", "order.fired", "order.reprinted", "order.unacknowledged"] as const;

type PrinterRoute = { id: string; partnerId: string; stations: string[]; receipt: boolean };

/** The enabled printers of each partner, as routing reads them. */
async function routes(db: Db): Promise<Map<string, PrinterRoute[]>> {
  const rows = await db.selectFrom("printers").select(["id", "partnerId", "stations", "receipt"]).where("enabled", "=", 1).execute();
  const out = new Map<string, PrinterRoute[]>();
  for (const r of rows) {
    const route = { id: r.id, partnerId: r.partnerId, stations: stationsOf(r), receipt: r.receipt === 1 };
    out.set(r.partnerId, [...(out.get(r.partnerId) ?? []), route]);
  }
  return out;
}

/** Which printers a job goes to: the station's printers, or the receipt printers. */
export function routeJob(job: PrintJob, printers: readonly PrinterRoute[]): string[] {
  if (job.kind === "receipt") return printers.filter((p) => p.receipt).map((p) => p.id);
  return printers.filter((p) => p.stations.includes(job.station)).map((p) => p.id);
}

/** The jobs a logged event makes, as rows to insert (none for a partner without printers). */
export function plannedRows(event: LoggedEvent, printers: readonly PrinterRoute[], now: string): PrintJobsTable[] {
  if (!printers.length || !(PRINT_EVENT_TYPES as readonly string[]).includes(event.type)) return [];
  const projected = pass(upgradeEvent(event));
  if (!projected) return [];
  const data = projected.data as PassOrderEvent;
  const jobs = jobsFor(event.id, data as Parameters<typeof jobsFor>[1]);
  const eventStations = jobs.flatMap((j) => (j.kind === "kitchen" ? [j.station] : []));
  return jobs.flatMap((job) =>
    routeJob(job, printers).map((printerId) => ({
      id: newId(),
      partnerId: event.partnerId,
      printerId,
      jobKey: job.key,
      eventId: event.id,
      orderId: event.orderId,
      kind: job.kind,
      station: job.kind === "kitchen" ? job.station : null,
      document: JSON.stringify({ kind: "order", job, eventType: event.type, eventStations } satisfies PrintDocument),
      state: "queued",
      attempts: 0,
      queuedAt: now,
      nextAttemptAt: now,
      lastError: null,
      leaseOwner: null,
      leaseUntil: null,
      sentAt: null,
      printedAt: null,
      backupFrom: null,
      movedTo: null,
      late: 0,
    })),
  );
}

/** Events planned per pass; a full page means more may wait (the dispatcher plans again at once). */
export const PLAN_PAGE = 200;

/**
 * Plans the jobs of the log's next events after the shared cursor: each job inserted once (a
 * conflict on the unique key is another node's or an earlier run's row), the cursor moved
 * forward only. Returns how many events it read and jobs it created.
 */
export async function planFromLog({
  db,
  limit = PLAN_PAGE,
}: {
  db: Db;
  limit?: number;
}): Promise<{ events: number; jobs: number; through: number; printerIds?: string[] }> {
  const cursor = await db.selectFrom("printCursor").select("throughEventId").where("id", "=", 1).executeTakeFirst();
  const after = Number(cursor?.throughEventId ?? 0);
  const events = await readEvents({ db, afterId: after, types: PRINT_EVENT_TYPES, limit });
  if (!events.length) return { events: 0, jobs: 0, through: after };
  const printers = await routes(db);
  const printerIds = [...printers.values()].flat().map((p) => p.id);
  const now = nowIso();
  const rows = events.flatMap((e) => plannedRows(e, printers.get(e.partnerId) ?? [], now));
  const through = events.at(-1)!.id;
  const advance = (q: Db) =>
    q.updateTable("printCursor").set({ throughEventId: through }).where("id", "=", 1).where("throughEventId", "<", through).execute();
  // Nothing to print (no printer for these events): moving the cursor is one statement, no transaction.
  if (rows.length === 0) {
    await advance(db);
    return { events: events.length, jobs: 0, through, printerIds };
  }
  let created = 0;
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += 100) {
      const r = await trx
        .insertInto("printJobs")
        .values(rows.slice(i, i + 100))
        .onConflict((oc) => oc.columns(["printerId", "jobKey"]).doNothing())
        .executeTakeFirst();
      created += Number(r.numInsertedOrUpdatedRows ?? 0);
    }
    await advance(trx);
  });
  return { events: events.length, jobs: created, through, printerIds };
}

// --- the console's requests -------------------------------------------------------------------

export type JobDto = ReturnType<typeof toJobDto>;

export function toJobDto(row: JobRow) {
  const doc = JSON.parse(row.document) as PrintDocument;
  const order = doc.kind === "order" ? doc.job.order : null;
  return {
    id: row.id,
    printerId: row.printerId,
    kind: row.kind,
    station: row.station,
    eventId: row.eventId,
    orderId: row.orderId,
    ticketNumber: order?.ticketNumber ?? null,
    displayCode: order?.displayCode ?? null,
    reprint: doc.kind === "order" ? doc.job.reprint : false,
    state: row.state,
    attempts: row.attempts,
    queuedAt: row.queuedAt,
    printedAt: row.printedAt,
    lastError: row.lastError,
    backupFrom: row.backupFrom,
    movedTo: row.movedTo,
    late: row.late === 1,
  };
}

async function visiblePrinter(db: Db, principal: Principal, id: string) {
  const row = await db.selectFrom("printers").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw new NotFoundError("printer");
  assertPartnerVisible(principal, row.partnerId, "printer");
  return row;
}

export async function listJobs({
  db,
  principal,
  printerId,
  limit = 50,
}: {
  db: Db;
  principal: Principal;
  printerId: string;
  limit?: number;
}) {
  assertCan(principal, "printers:read");
  await visiblePrinter(db, principal, printerId);
  const rows = await db
    .selectFrom("printJobs")
    .selectAll()
    .where("printerId", "=", printerId)
    .orderBy("queuedAt", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
  return rows.map(toJobDto);
}

function queuedRow(
  base: Pick<JobRow, "partnerId" | "printerId" | "eventId" | "orderId" | "kind" | "station" | "document"> & { jobKey: string },
): PrintJobsTable {
  const now = nowIso();
  return {
    id: newId(),
    partnerId: base.partnerId,
    printerId: base.printerId,
    eventId: base.eventId,
    orderId: base.orderId,
    kind: base.kind,
    station: base.station,
    document: base.document,
    jobKey: base.jobKey,
    state: "queued",
    attempts: 0,
    queuedAt: now,
    nextAttemptAt: now,
    lastError: null,
    leaseOwner: null,
    leaseUntil: null,
    sentAt: null,
    printedAt: null,
    backupFrom: null,
    movedTo: null,
    late: 0,
  };
}

/** A test page on this printer (the console's button). */
export async function queueTestPage({ db, principal, printerId }: { db: Db; principal: Principal; printerId: string }) {
  assertCan(principal, "printers:operate");
  const printer = await visiblePrinter(db, principal, printerId);
  const doc: PrintDocument = { kind: "test", printerName: printer.name, at: nowIso() };
  const row = queuedRow({
    partnerId: printer.partnerId,
    printerId,
    eventId: 0,
    orderId: null,
    kind: "test",
    station: null,
    document: JSON.stringify(doc),
    jobKey: `test:${newId()}`,
  });
  await db.insertInto("printJobs").values(row).execute();
  return toJobDto(row);
}

/** The same slip again on the same printer, stamped REPRINT. */
export async function reprintJob({ db, principal, jobId }: { db: Db; principal: Principal; jobId: string }) {
  assertCan(principal, "printers:operate");
  const job = await db.selectFrom("printJobs").selectAll().where("id", "=", jobId).executeTakeFirst();
  if (!job) throw new NotFoundError("print job");
  assertPartnerVisible(principal, job.partnerId, "print job");
  const doc = JSON.parse(job.document) as PrintDocument;
  if (doc.kind !== "order") throw new ConflictError("a test page is not reprinted; print a new one", { field: "id" });
  const again: PrintDocument = { ...doc, job: { ...doc.job, reprint: true }, eventType: "reprint" };
  const row = queuedRow({ ...job, document: JSON.stringify(again), jobKey: `reprint:${newId()}` });
  await db.insertInto("printJobs").values(row).execute();
  return toJobDto(row);
}
