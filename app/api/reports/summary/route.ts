import { getDb } from "@/lib/db";
import { apiRoute, json, parseWith, requirePrincipal, searchParams } from "@/lib/http";
import { reportSummary, toCsv } from "@/lib/reports";
import { summaryQuery } from "./schema";

export const dynamic = "force-dynamic";

/** A partner's figures over business days from…to: JSON, or `format=csv` (every table, or one with `table=`). */
export const GET = apiRoute(async (req) => {
  const principal = await requirePrincipal(req);
  const query = parseWith(summaryQuery, searchParams(req));
  const figures = await reportSummary({ db: getDb(), principal, query });
  if (query.format !== "csv") return json(figures);
  const name = `pass-${figures.partner.slug}-${query.from}-${query.to}${query.table ? `-${query.table}` : ""}.csv`;
  return new Response(toCsv(figures, query.table), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${name}"`,
      "cache-control": "no-store",
    },
  });
});
