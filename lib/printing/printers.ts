import "server-only";
import net from "node:net";
import CodepageEncoder from "@point-of-sale/codepage-encoder";
import type { Selectable } from "kysely";
import { type Principal, assertCan, assertPartnerVisible, partnerScope } from "../auth/access";
import type { Db, PrintersTable } from "../db";
import { newId, nowIso } from "../db/ids";
import { ConflictError, NotFoundError, ValidationError } from "../errors";
import { isWorking, type PrinterState, stateLabel } from "./status";

/**
 * Network printers (issue "Network printers" item 1): name, host, port (9100), paper width
 * (58/80 mm), the stations whose fired slips it prints, whether it prints the receipt, its code
 * page ("auto": chosen for the restaurant's language), a backup printer, enabled. Routing: a fired
 * station slip goes to every enabled printer of that station, the receipt to every enabled
 * receipt printer; a station with none keeps the browser path (/printer). Operators manage their
 * own restaurant's printers, admins any; another partner's printer is 404.
 */
export type PrinterRow = Selectable<PrintersTable>;

export type PrinterInput = {
  partner: string;
  name: string;
  host: string;
  port?: number;
  paperWidth?: number;
  stations?: string[];
  receipt?: boolean;
  codePage?: string;
  buzzer?: boolean;
  /** Another printer's name, or null for none. */
  backup?: string | null;
  enabled?: boolean;
};
export type PrinterPatch = Partial<Omit<PrinterInput, "partner">> & { paused?: boolean };

/** A status older than this was not refreshed by any dispatcher: shown as "unknown". */
export const STATUS_STALE_MS = 15_000;

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

export function isValidHost(host: string): boolean {
  return net.isIP(host) !== 0 || HOSTNAME.test(host);
}

export const stationsOf = (row: Pick<PrinterRow, "stations">): string[] => JSON.parse(row.stations) as string[];

export type PrinterDto = ReturnType<typeof toPrinterDto>;

export function toPrinterDto(
  row: PrinterRow,
  {
    backupName,
    partnerSlug,
    queued = 0,
    now = Date.now(),
  }: { backupName: string | null; partnerSlug: string; queued?: number; now?: number },
) {
  const fresh = row.statusAt !== null && now - Date.parse(row.statusAt) < STATUS_STALE_MS;
  const state = (fresh ? row.status : "unknown") as PrinterState;
  return {
    id: row.id,
    partner: partnerSlug,
    name: row.name,
    host: row.host,
    port: row.port,
    paperWidth: row.paperWidth,
    stations: stationsOf(row),
    receipt: row.receipt === 1,
    codePage: row.codePage,
    buzzer: row.buzzer === 1,
    backup: backupName,
    enabled: row.enabled === 1,
    paused: row.paused === 1,
    status: {
      state,
      label: stateLabel(state),
      detail: fresh ? row.statusDetail : null,
      at: row.statusAt,
      /** Prints now: enabled, not paused, and the printer answered ready. */
      working: row.enabled === 1 && row.paused === 0 && isWorking(state),
    },
    queued,
  };
}

async function partnerRow(db: Db, principal: Principal, slug: string) {
  const row = await db.selectFrom("partners").select(["id", "slug"]).where("slug", "=", slug).executeTakeFirst();
  if (!row) throw new NotFoundError("partner", { field: "partner" });
  assertPartnerVisible(principal, row.id, "partner", { field: "partner" });
  return row;
}

async function visiblePrinter(db: Db, principal: Principal, id: string): Promise<PrinterRow> {
  const row = await db.selectFrom("printers").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw new NotFoundError("printer");
  assertPartnerVisible(principal, row.partnerId, "printer");
  return row;
}

function checkFields(input: PrinterPatch): void {
  if (input.host !== undefined && !isValidHost(input.host)) throw new ValidationError("host", "must be a host name or an IP address");
  if (input.port !== undefined && !(Number.isInteger(input.port) && input.port >= 1 && input.port <= 65_535)) {
    throw new ValidationError("port", "must be 1–65535");
  }
  if (input.paperWidth !== undefined && input.paperWidth !== 58 && input.paperWidth !== 80) {
    throw new ValidationError("paperWidth", "must be 58 or 80 (mm)");
  }
  if (input.codePage !== undefined && input.codePage !== "auto" && !CodepageEncoder.supports(input.codePage)) {
    throw new ValidationError("codePage", `unknown code page '${input.codePage}' (use "auto" or e.g. cp858, cp866, windows1252)`);
  }
}

async function checkStations(db: Db, partnerId: string, stations: readonly string[]): Promise<string[]> {
  const unique = [...new Set(stations)];
  if (unique.length === 0) return [];
  const known = new Set(
    (await db.selectFrom("stations").select("key").where("partnerId", "=", partnerId).where("key", "in", unique).execute()).map(
      (r) => r.key,
    ),
  );
  const missing = unique.filter((s) => !known.has(s));
  if (missing.length) throw new ValidationError("stations", `no station '${missing[0]}' in this restaurant`);
  return unique;
}

async function backupId(
  db: Db,
  partnerId: string,
  name: string | null | undefined,
  self: string | null,
): Promise<string | null | undefined> {
  if (name === undefined) return undefined;
  if (name === null || name === "") return null;
  const row = await db.selectFrom("printers").select(["id"]).where("partnerId", "=", partnerId).where("name", "=", name).executeTakeFirst();
  if (!row) throw new ValidationError("backup", `no printer named '${name}'`);
  if (row.id === self) throw new ValidationError("backup", "a printer cannot be its own backup");
  return row.id;
}

async function dto(db: Db, row: PrinterRow) {
  const [backup, partner, queued] = await Promise.all([
    row.backupPrinterId ? db.selectFrom("printers").select("name").where("id", "=", row.backupPrinterId).executeTakeFirst() : undefined,
    db.selectFrom("partners").select("slug").where("id", "=", row.partnerId).executeTakeFirstOrThrow(),
    db
      .selectFrom("printJobs")
      .select((eb) => eb.fn.countAll().as("n"))
      .where("printerId", "=", row.id)
      .where("state", "in", ["queued", "printing"])
      .executeTakeFirstOrThrow(),
  ]);
  return toPrinterDto(row, { backupName: backup?.name ?? null, partnerSlug: partner.slug, queued: Number(queued.n) });
}

const isUniqueViolation = (err: unknown) => /unique|duplicate key/i.test((err as Error).message);

export async function createPrinter({ db, principal, input }: { db: Db; principal: Principal; input: PrinterInput }): Promise<PrinterDto> {
  assertCan(principal, "printers:write");
  const partner = await partnerRow(db, principal, input.partner);
  checkFields(input);
  const stations = await checkStations(db, partner.id, input.stations ?? []);
  const id = newId();
  const backup = await backupId(db, partner.id, input.backup, id);
  const at = nowIso();
  const row: PrinterRow = {
    id,
    partnerId: partner.id,
    name: input.name,
    host: input.host,
    port: input.port ?? 9100,
    paperWidth: input.paperWidth ?? 80,
    stations: JSON.stringify(stations),
    receipt: input.receipt ? 1 : 0,
    codePage: input.codePage ?? "auto",
    buzzer: input.buzzer ? 1 : 0,
    backupPrinterId: backup ?? null,
    enabled: input.enabled === false ? 0 : 1,
    paused: 0,
    status: "unknown",
    statusDetail: null,
    statusAt: null,
    leaseOwner: null,
    leaseUntil: null,
    createdAt: at,
    updatedAt: at,
  };
  try {
    await db.insertInto("printers").values(row).execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError(`a printer named '${input.name}' already exists`, { field: "name" });
    throw err;
  }
  return dto(db, row);
}

export async function listPrinters({ db, principal, partner }: { db: Db; principal: Principal; partner?: string }): Promise<PrinterDto[]> {
  assertCan(principal, "printers:read");
  let q = db.selectFrom("printers").selectAll().orderBy("name");
  const scope = partnerScope(principal);
  if (partner) q = q.where("partnerId", "=", (await partnerRow(db, principal, partner)).id);
  else if (scope) q = q.where("partnerId", "=", scope);
  const rows = await q.execute();
  return Promise.all(rows.map((r) => dto(db, r)));
}

export async function getPrinter({ db, principal, id }: { db: Db; principal: Principal; id: string }): Promise<PrinterDto> {
  assertCan(principal, "printers:read");
  return dto(db, await visiblePrinter(db, principal, id));
}

export async function updatePrinter({ db, principal, id, patch }: { db: Db; principal: Principal; id: string; patch: PrinterPatch }) {
  // Pausing is the print console's (a printer token may pause); every other field is the back office's.
  const onlyPause = Object.keys(patch).every((k) => k === "paused");
  assertCan(principal, onlyPause ? "printers:operate" : "printers:write");
  const row = await visiblePrinter(db, principal, id);
  checkFields(patch);
  const set: Partial<PrinterRow> = { updatedAt: nowIso() };
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.host !== undefined) set.host = patch.host;
  if (patch.port !== undefined) set.port = patch.port;
  if (patch.paperWidth !== undefined) set.paperWidth = patch.paperWidth;
  if (patch.stations !== undefined) set.stations = JSON.stringify(await checkStations(db, row.partnerId, patch.stations));
  if (patch.receipt !== undefined) set.receipt = patch.receipt ? 1 : 0;
  if (patch.codePage !== undefined) set.codePage = patch.codePage;
  if (patch.buzzer !== undefined) set.buzzer = patch.buzzer ? 1 : 0;
  if (patch.enabled !== undefined) set.enabled = patch.enabled ? 1 : 0;
  if (patch.paused !== undefined) set.paused = patch.paused ? 1 : 0;
  const backup = await backupId(db, row.partnerId, patch.backup, row.id);
  if (backup !== undefined) set.backupPrinterId = backup;
  // A changed address is a different device: its old status says nothing.
  if (patch.host !== undefined || patch.port !== undefined) Object.assign(set, { status: "unknown", statusDetail: null, statusAt: null });
  try {
    await db.updateTable("printers").set(set).where("id", "=", id).execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError(`a printer named '${patch.name}' already exists`, { field: "name" });
    throw err;
  }
  return dto(db, { ...row, ...set });
}

export async function deletePrinter({
  db,
  principal,
  id,
}: {
  db: Db;
  principal: Principal;
  id: string;
}): Promise<{ id: string; deleted: true }> {
  assertCan(principal, "printers:write");
  await visiblePrinter(db, principal, id);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("printers").set({ backupPrinterId: null }).where("backupPrinterId", "=", id).execute();
    await trx.deleteFrom("printJobs").where("printerId", "=", id).execute();
    await trx.deleteFrom("printers").where("id", "=", id).execute();
  });
  return { id, deleted: true };
}

/** The CLI's removal by name. */
export async function findPrinterByName({ db, partnerId, name }: { db: Db; partnerId: string; name: string }) {
  return db.selectFrom("printers").selectAll().where("partnerId", "=", partnerId).where("name", "=", name).executeTakeFirst();
}
