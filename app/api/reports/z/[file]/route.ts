import { getDb } from "@/lib/db";
import { apiRoute, json, parseWith, requirePrincipal, searchParams, textIdParam } from "@/lib/http";
import { getZReport } from "@/lib/reports";
import { zListQuery } from "../../summary/schema";

export const dynamic = "force-dynamic";

/** One stored Z report: `{businessDay}.pdf` (the PDF written at the cut-over) or `{businessDay}.json` (its figures). */
export const GET = apiRoute<{ file: string }>(async (req, { file }) => {
  const principal = await requirePrincipal(req);
  const query = parseWith(zListQuery, searchParams(req));
  const z = await getZReport({ db: getDb(), principal, partner: query.partner, file: textIdParam(file) });
  const { businessDay: day, kind } = z;
  if (kind === "json") return json({ partner: z.partner, businessDay: day, createdAt: z.createdAt, figures: z.figures });
  return new Response(new Uint8Array(z.pdf), {
    headers: {
      "content-type": "application/pdf",
      "content-disposition": `inline; filename="pass-z-${z.partner}-${day}.pdf"`,
      "content-length": String(z.pdf.length),
      "cache-control": "no-store",
    },
  });
});
