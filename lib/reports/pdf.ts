import "server-only";
import PDFDocument from "pdfkit";
import { t } from "../i18n";
import { displayMinor } from "../money-format";
import type { ReportFigures } from "./figures";
import { formatDuration } from "../duration-format";

/**
 * The Z report's PDF (pdfkit, its built-in Helvetica): the day's figures in the partner's language
 * and currency, A4, one or more pages. Helvetica's WinAnsi covers Western European text; any
 * character outside it is written as "?" so a name never breaks the document.
 */
const WIN_ANSI_EXTRA = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ";
export function pdfSafe(s: string): string {
  return s.replace(/[\u202f\u2009]/g, "\u00a0").replace(/[^\u0020-\u007e\u00a0-\u00ff]/gu, (c) => (WIN_ANSI_EXTRA.includes(c) ? c : "?"));
}

function localTime(iso: string, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone, dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
}

/** A speed-of-service figure (seconds) as m:ss — the one formatter (lib/duration-format.ts), "–" when none. */
const seconds = (s: number | null) => (s === null ? "–" : formatDuration(s));

export async function renderZReportPdf(f: ReportFigures, { writtenAt }: { writtenAt: string }): Promise<Buffer> {
  const { locale, currency, timezone } = f.partner;
  const tr = (key: Parameters<typeof t>[1], params?: Parameters<typeof t>[2]) => pdfSafe(t(locale, key, params));
  const money = (minor: number) => pdfSafe(displayMinor(minor, { currency, locale }));
  const doc = new PDFDocument({
    size: "A4",
    margin: 48,
    info: { Title: `${t("en", "z.title")} ${f.partner.slug} ${f.from}`, Author: "Pass", Creator: "Pass" },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });

  const left = doc.page.margins.left;
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const ensure = (h: number) => {
    if (doc.y + h > doc.page.height - doc.page.margins.bottom) doc.addPage();
  };
  const heading = (text: string) => {
    ensure(40);
    doc.moveDown(0.8).font("Helvetica-Bold").fontSize(13).text(text, left, doc.y, { width });
    doc.moveDown(0.2);
  };
  /** A row of cells: the first left-aligned, the others right-aligned in equal columns. */
  const row = (cells: string[], { bold = false } = {}) => {
    ensure(16);
    const y = doc.y;
    const first = width * (cells.length > 3 ? 0.34 : 0.55);
    const rest = (width - first) / Math.max(1, cells.length - 1);
    doc.font(bold ? "Helvetica-Bold" : "Helvetica").fontSize(10);
    doc.text(pdfSafe(cells[0] ?? ""), left, y, { width: first - 6, lineBreak: false, ellipsis: true });
    cells.slice(1).forEach((c, i) => {
      doc.text(pdfSafe(c), left + first + i * rest, y, { width: rest, align: "right", lineBreak: false });
    });
    doc.x = left;
    doc.y = y + 15;
  };

  doc
    .font("Helvetica-Bold")
    .fontSize(20)
    .text(`${tr("z.title")} — ${pdfSafe(f.partner.name)}`, left, doc.y, { width });
  doc
    .font("Helvetica")
    .fontSize(12)
    .text(tr("z.day", { day: f.from }), { width });
  doc
    .fontSize(10)
    .text(tr("z.period", { start: localTime(f.start, locale, timezone), end: localTime(f.end, locale, timezone), timezone }), {
      width,
    });
  doc.text(tr("z.generated", { at: localTime(writtenAt, locale, timezone) }), { width });

  const tt = f.totals;
  heading(tr("z.sales"));
  row([tr("reports.orders"), String(tt.orders)]);
  row([tr("z.subTotal"), money(tt.subTotal)]);
  row([tr("reports.surcharges"), money(tt.surcharges)]);
  row([tr("reports.discounts"), `-${money(tt.discounts)}`]);
  row([tr("z.netRevenue"), money(tt.revenue)], { bold: true });
  row([tr("reports.averageTicket"), money(tt.averageTicket)]);
  row([tr("reports.cancelled"), `${tt.cancelled} · ${money(tt.cancelledAmount)}`]);
  row([tr("reports.refunds"), `${tt.refunds} · ${money(tt.refundAmount)}`]);
  row([tr("z.weekBefore"), `${f.compare.totals.orders} · ${money(f.compare.totals.revenue)}`]);

  heading(tr("reports.payments"));
  row([tr("reports.method"), tr("reports.orders"), tr("reports.amount")], { bold: true });
  for (const p of f.payments) row([p.method, String(p.orders), money(p.amount)]);

  if (f.cancellations.length > 0) {
    heading(tr("reports.cancellations"));
    row([tr("reports.reason"), tr("reports.orders"), tr("reports.amount"), tr("reports.refunds")], { bold: true });
    for (const c of f.cancellations) row([c.reason || tr("reports.noReason"), String(c.orders), money(c.amount), String(c.refunds)]);
  }

  heading(tr("reports.items"));
  row([tr("reports.item"), tr("reports.quantity"), tr("reports.revenue"), tr("reports.soldOut")], { bold: true });
  for (const i of f.items)
    row([i.name, String(i.quantity), money(i.revenue), i.soldOutMinutes ? tr("reports.minutes", { minutes: i.soldOutMinutes }) : ""]);

  heading(tr("reports.stations"));
  row([tr("reports.station"), tr("reports.parts"), tr("reports.median"), tr("reports.p90"), tr("reports.late"), tr("reports.recalls")], {
    bold: true,
  });
  for (const s of f.stations)
    row([s.station, String(s.parts), seconds(s.medianSeconds), seconds(s.p90Seconds), String(s.late), String(s.recalls)]);

  doc.end();
  return done;
}
