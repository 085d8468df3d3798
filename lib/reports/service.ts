import "server-only";
import { assertCan, partnerScope, type Principal } from "../auth/access";
import type { Db } from "../db";
import { NotFoundError, ValidationError } from "../errors";
import { dayCount, isBusinessDay } from "./days";
import { type ReportFigures, type ReportPartner, reportFigures } from "./figures";

/** The longest range one report covers: a year (a leap year's days). */
export const MAX_RANGE_DAYS = 366;

export type ReportQuery = { partner?: string; from: string; to: string };

/**
 * The partner a report is about: an operator's own (a `partner` naming another is 404, as every
 * other partner's data); an admin names any.
 */
export async function reportPartner({ db, principal, slug }: { db: Db; principal: Principal; slug?: string }): Promise<ReportPartner> {
  assertCan(principal, "reports:read");
  const scope = partnerScope(principal);
  let q = db.selectFrom("partners").select(["id", "slug", "name", "currency", "locale", "timezone", "cutoverHour"]);
  if (slug) q = q.where("slug", "=", slug);
  else if (scope !== null) q = q.where("id", "=", scope);
  else throw new ValidationError("partner", "name the partner (an admin sees every partner)");
  const row = await q.executeTakeFirst();
  if (!row || (scope !== null && row.id !== scope)) throw new NotFoundError("partner", { field: "partner" });
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    currency: row.currency,
    locale: row.locale,
    timezone: row.timezone,
    cutoverHour: Number(row.cutoverHour),
  };
}

export function checkRange(from: string, to: string): void {
  if (!isBusinessDay(from)) throw new ValidationError("from", "must be a date YYYY-MM-DD");
  if (!isBusinessDay(to)) throw new ValidationError("to", "must be a date YYYY-MM-DD");
  if (to < from) throw new ValidationError("to", "must not be before from");
  if (dayCount(from, to) > MAX_RANGE_DAYS) throw new ValidationError("to", `at most ${MAX_RANGE_DAYS} days from from`);
}

/** GET /api/reports/summary: every figure of the range (docs/contracts.md "Reports"). */
export async function reportSummary({
  db,
  principal,
  query,
  now = new Date(),
}: {
  db: Db;
  principal: Principal;
  query: ReportQuery;
  now?: Date;
}): Promise<ReportFigures> {
  const partner = await reportPartner({ db, principal, slug: query.partner });
  checkRange(query.from, query.to);
  return reportFigures({ db, partner, from: query.from, to: query.to, now });
}
