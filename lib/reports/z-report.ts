import "server-only";
import os from "node:os";
import { assertCan, type Principal } from "../auth/access";
import type { Db } from "../db";
import { NotFoundError, ValidationError } from "../errors";
import { mutate } from "../events";
import { EVENT_PAYLOAD_VERSION } from "../orders/events";
import { businessDay } from "../orders/business-day";
import { addDays, isBusinessDay } from "./days";
import { type ReportFigures, type ReportPartner, reportFigures } from "./figures";
import { renderZReportPdf } from "./pdf";
import { reportPartner } from "./service";

/**
 * The end-of-day Z report (issue "Reports and end of day" item 2, seeds/004's daily
 * `invoice:generate`): once a partner's business day has ended (its local cut-over), the
 * `report:z` job writes that day's figures (JSON) and their PDF into `zReports`, kept for good and
 * downloadable from /reports. Exactly once across nodes: every node may compute the same day, but
 * the row's primary key (partner, business day) lets one insert win (`on conflict do nothing`), and
 * only the winner's transaction logs the `report.z` event its webhooks deliver.
 */

/** How many ended days back the job fills in (a node down over a weekend); never before the partner existed. */
export const Z_CATCH_UP_DAYS = 7;

export const NODE_NAME = `${os.hostname()}:${process.pid}`;

type PartnerRow = ReportPartner & { createdAt: string };

/** The ended business days of a partner that have no Z report yet, oldest first. */
async function dueDays(db: Db, p: PartnerRow, now: Date): Promise<string[]> {
  const clock = { timezone: p.timezone, cutoverHour: p.cutoverHour };
  const today = businessDay({ at: now, ...clock });
  const first = businessDay({ at: new Date(p.createdAt), ...clock });
  const days: string[] = [];
  for (let i = Z_CATCH_UP_DAYS; i >= 1; i--) {
    const day = addDays(today, -i);
    if (day >= first) days.push(day);
  }
  if (days.length === 0) return [];
  const done = await db
    .selectFrom("zReports")
    .select("businessDay")
    .where("partnerId", "=", p.id)
    .where("businessDay", "in", days)
    .execute();
  const have = new Set(done.map((d) => d.businessDay));
  return days.filter((d) => !have.has(d));
}

/** Writes one partner's Z report for `day`; false when another node (or an earlier run) already did. */
export async function writeZReport({
  db,
  partner,
  day,
  now = new Date(),
  node = NODE_NAME,
}: {
  db: Db;
  partner: ReportPartner;
  day: string;
  now?: Date;
  node?: string;
}): Promise<boolean> {
  const figures = await reportFigures({ db, partner, from: day, to: day, now });
  const writtenAt = now.toISOString();
  const pdf = await renderZReportPdf(figures, { writtenAt });
  return mutate(db, async (trx, emit) => {
    const result = await trx
      .insertInto("zReports")
      .values({
        partnerId: partner.id,
        businessDay: day,
        figures: JSON.stringify(figures),
        pdf: pdf.toString("base64"),
        createdAt: writtenAt,
        createdBy: node,
      })
      .onConflict((oc) => oc.columns(["partnerId", "businessDay"]).doNothing())
      .executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0) !== 1) return false;
    const base = `/api/reports/z/${day}`;
    const q = `?partner=${encodeURIComponent(partner.slug)}`;
    await emit({
      version: EVENT_PAYLOAD_VERSION,
      partnerId: partner.id,
      type: "report.z",
      orderId: null,
      payload: { partner: partner.slug, businessDay: day, totals: figures.totals, pdf: `${base}.pdf${q}`, json: `${base}.json${q}` },
    });
    return true;
  });
}

/** The `report:z` job: every partner's ended days without a Z report. Returns what this call wrote. */
export async function writeDueZReports({
  db,
  now = new Date(),
  node = NODE_NAME,
}: {
  db: Db;
  now?: Date;
  node?: string;
}): Promise<{ partner: string; businessDay: string }[]> {
  const partners = await db
    .selectFrom("partners")
    .select(["id", "slug", "name", "currency", "locale", "timezone", "cutoverHour", "createdAt"])
    .orderBy("slug")
    .execute();
  const written: { partner: string; businessDay: string }[] = [];
  for (const row of partners) {
    const p: PartnerRow = { ...row, cutoverHour: Number(row.cutoverHour) };
    for (const day of await dueDays(db, p, now)) {
      if (await writeZReport({ db, partner: p, day, now, node })) written.push({ partner: p.slug, businessDay: day });
    }
  }
  return written;
}

export type ZReportSummary = { businessDay: string; createdAt: string; orders: number; revenue: number };

/** The Z reports of a partner, newest first (the /reports page's list). */
export async function listZReports({
  db,
  principal,
  partner: slug,
  limit = 60,
}: {
  db: Db;
  principal: Principal;
  partner?: string;
  limit?: number;
}): Promise<{ partner: string; reports: ZReportSummary[] }> {
  const partner = await reportPartner({ db, principal, slug });
  const rows = await db
    .selectFrom("zReports")
    .select(["businessDay", "createdAt", "figures"])
    .where("partnerId", "=", partner.id)
    .orderBy("businessDay", "desc")
    .limit(limit)
    .execute();
  return {
    partner: partner.slug,
    reports: rows.map((r) => {
      const f = JSON.parse(r.figures) as ReportFigures;
      return { businessDay: r.businessDay, createdAt: r.createdAt, orders: f.totals.orders, revenue: f.totals.revenue };
    }),
  };
}

/** One stored Z report: its figures and its PDF, as written at the cut-over (404 when there is none). */
export async function getZReport({
  db,
  principal,
  partner: slug,
  file,
}: {
  db: Db;
  principal: Principal;
  partner?: string;
  /** `YYYY-MM-DD.pdf` or `YYYY-MM-DD.json` (the path's last segment). */
  file: string;
}): Promise<{ figures: ReportFigures; pdf: Buffer; createdAt: string; partner: string; businessDay: string; kind: "pdf" | "json" }> {
  assertCan(principal, "reports:read");
  const m = /^(\d{4}-\d{2}-\d{2})\.(pdf|json)$/.exec(file);
  if (!m || !isBusinessDay(m[1]!)) throw new ValidationError("businessDay", "must be YYYY-MM-DD.pdf or YYYY-MM-DD.json");
  const day = m[1]!;
  const kind = m[2] as "pdf" | "json";
  const partner = await reportPartner({ db, principal, slug });
  const row = await db
    .selectFrom("zReports")
    .selectAll()
    .where("partnerId", "=", partner.id)
    .where("businessDay", "=", day)
    .executeTakeFirst();
  if (!row) throw new NotFoundError("z report", { field: "businessDay" });
  return {
    figures: JSON.parse(row.figures) as ReportFigures,
    pdf: Buffer.from(row.pdf, "base64"),
    createdAt: row.createdAt,
    partner: partner.slug,
    businessDay: day,
    kind,
  };
}
