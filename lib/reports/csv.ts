import type { ReportFigures } from "./figures";

/**
 * The report's tables as CSV (RFC 4180: comma, CRLF, quotes doubled): every table the /reports
 * page shows exports, one `table=` at a time, or all of them one after the other with a title
 * line each. Money is in major units with a dot ("12.50"), as spreadsheets read it; durations in
 * seconds. A cell starting with = + - @ is prefixed with ' so a spreadsheet never runs it.
 */
export const CSV_TABLES = ["days", "payments", "cancellations", "items", "stations", "itemSpeed", "heatmap", "compare"] as const;
export type CsvTable = (typeof CSV_TABLES)[number];

type Cell = string | number | null;

function cell(v: Cell): string {
  if (v === null) return "";
  let s = String(v);
  if (typeof v === "string" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

const lines = (rows: readonly Cell[][]) => rows.map((r) => r.map(cell).join(",")).join("\r\n");

export function moneyCell(minor: number, currency: string): string {
  const digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  const sign = minor < 0 ? "-" : "";
  const abs = Math.abs(minor);
  if (digits === 0) return `${sign}${abs}`;
  const f = 10 ** digits;
  return `${sign}${Math.floor(abs / f)}.${String(abs % f).padStart(digits, "0")}`;
}

export function tableRows(f: ReportFigures, table: CsvTable): Cell[][] {
  const m = (v: number) => moneyCell(v, f.partner.currency);
  switch (table) {
    case "days":
      return [
        ["businessDay", "orders", "revenue", "averageTicket"],
        ...f.days.map((d) => [d.businessDay, d.orders, m(d.revenue), m(d.averageTicket)]),
      ];
    case "payments":
      return [["method", "orders", "amount"], ...f.payments.map((p) => [p.method, p.orders, m(p.amount)])];
    case "cancellations":
      return [
        ["reason", "orders", "amount", "refunds", "refundAmount"],
        ...f.cancellations.map((c) => [c.reason, c.orders, m(c.amount), c.refunds, m(c.refundAmount)]),
      ];
    case "items":
      return [
        ["foodId", "name", "quantity", "revenue", "soldOutMinutes"],
        ...f.items.map((i) => [i.foodId, i.name, i.quantity, m(i.revenue), i.soldOutMinutes]),
      ];
    case "stations":
      return [
        ["station", "parts", "medianSeconds", "p90Seconds", "late", "recalls"],
        ...f.stations.map((s) => [s.station, s.parts, s.medianSeconds, s.p90Seconds, s.late, s.recalls]),
      ];
    case "itemSpeed":
      return [
        ["foodId", "name", "station", "parts", "medianSeconds", "p90Seconds", "late", "recalls"],
        ...f.itemSpeed.map((s) => [s.foodId, s.name, s.station, s.parts, s.medianSeconds, s.p90Seconds, s.late, s.recalls]),
      ];
    case "heatmap":
      return [["weekday", "hour", "orders", "revenue"], ...f.heatmap.map((h) => [h.weekday, h.hour, h.orders, m(h.revenue)])];
    case "compare": {
      const row = (label: string, from: string, to: string, t: ReportFigures["totals"]): Cell[] => [
        label,
        from,
        to,
        t.orders,
        m(t.revenue),
        m(t.averageTicket),
        m(t.discounts),
        m(t.surcharges),
        t.cancelled,
        t.refunds,
        m(t.refundAmount),
      ];
      return [
        ["period", "from", "to", "orders", "revenue", "averageTicket", "discounts", "surcharges", "cancelled", "refunds", "refundAmount"],
        row("range", f.from, f.to, f.totals),
        row("weekBefore", f.compare.from, f.compare.to, f.compare.totals),
      ];
    }
  }
}

export function toCsv(f: ReportFigures, table?: CsvTable): string {
  if (table) return `${lines(tableRows(f, table))}\r\n`;
  return `${CSV_TABLES.map((t) => `${cell(`# ${t}`)}\r\n${lines(tableRows(f, t))}`).join("\r\n\r\n")}\r\n`;
}
