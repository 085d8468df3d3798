import "server-only";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import PDFDocument from "pdfkit";
import { t } from "../i18n";
import { displayMinor, type MoneyStyle } from "../money-format";
import type { OrderRecord } from "./dto";

/** What an invoice says (lib/orders/invoice.ts builds it); amounts in minor units. */
export type InvoiceTax = { name: string; percent: number; amount: number };

export type Invoice = {
  number: string;
  partner: { name: string; address: string | null; taxId: string | null; currency: string; locale: string; timezone: string };
  order: OrderRecord;
  taxes: InvoiceTax[];
  /** The total less its taxes (= the total when there are none). */
  net: number;
};

/**
 * The invoice as a PDF (pdfkit): A4, one column, the restaurant's own words (its locale's
 * catalogue, lib/i18n) and amounts in its currency (lib/money-format.ts). The text is set in DejaVu
 * Sans, embedded (subset): the 14 standard PDF fonts only know WinAnsi, so a dish called "Phở" or
 * the narrow no-break space French amounts use ("12,50 €") would not print.
 */

/** Resolved from the project's node_modules at run time (a bundler must not rewrite the path). */
function fontFile(name: string): string {
  const require = createRequire(path.join(process.cwd(), "package.json"));
  const pkg = "dejavu-fonts-ttf";
  return require.resolve(`${pkg}/ttf/${name}`);
}

let fonts: { regular: Buffer; bold: Buffer } | undefined;
function loadFonts() {
  fonts ??= { regular: fs.readFileSync(fontFile("DejaVuSans.ttf")), bold: fs.readFileSync(fontFile("DejaVuSans-Bold.ttf")) };
  return fonts;
}

const KNOWN_METHODS = new Set(["CASH", "CARD", "OTHER"]);
const MARGIN = 50;
const A4_WIDTH = 595.28;
const COLUMNS = { qty: MARGIN, item: MARGIN + 40, unit: 360, amount: 460, end: A4_WIDTH - MARGIN };

export async function renderInvoicePdf(invoice: Invoice): Promise<Buffer> {
  const { partner, order } = invoice;
  const locale = partner.locale;
  const money: MoneyStyle = { currency: partner.currency, locale };
  const amount = (minor: number) => displayMinor(minor, money);
  const { regular, bold } = loadFonts();

  const doc = new PDFDocument({
    size: "A4",
    margin: MARGIN,
    info: { Title: `${t(locale, "invoice.title")} ${invoice.number}`, Author: partner.name, Producer: "Pass" },
  });
  doc.registerFont("regular", regular);
  doc.registerFont("bold", bold);
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on("end", () => resolve());
    doc.on("error", reject);
  });

  // The restaurant's header.
  doc.font("bold").fontSize(20).text(partner.name);
  doc.font("regular").fontSize(10);
  if (partner.address) doc.text(partner.address);
  if (partner.taxId) doc.text(t(locale, "invoice.taxId", { taxId: partner.taxId }));
  doc.moveDown();

  // What this document is.
  doc
    .font("bold")
    .fontSize(16)
    .text(`${t(locale, "invoice.title")} ${t(locale, "invoice.number", { number: invoice.number })}`);
  doc.font("regular").fontSize(10);
  const when = new Intl.DateTimeFormat(locale, { dateStyle: "long", timeStyle: "short", timeZone: partner.timezone }).format(
    new Date(order.confirmedAt ?? order.createdAt),
  );
  doc.text(t(locale, "invoice.order", { code: order.displayCode }));
  doc.text(t(locale, "invoice.date", { date: when }));
  if (order.table) doc.text(t(locale, "invoice.table", { table: order.table }));
  doc.moveDown();

  // The lines: quantity, name, unit price, amount; the options and the guest's words below.
  const row = (cells: { qty?: string; item: string; unit?: string; amount?: string }, font: "regular" | "bold" = "regular") => {
    const y = doc.y;
    doc.font(font).fontSize(10);
    if (cells.qty) doc.text(cells.qty, COLUMNS.qty, y, { width: COLUMNS.item - COLUMNS.qty - 5 });
    doc.text(cells.item, COLUMNS.item, y, { width: COLUMNS.unit - COLUMNS.item - 10 });
    const after = doc.y;
    if (cells.unit) doc.text(cells.unit, COLUMNS.unit, y, { width: COLUMNS.amount - COLUMNS.unit - 5, align: "right" });
    if (cells.amount) doc.text(cells.amount, COLUMNS.amount, y, { width: COLUMNS.end - COLUMNS.amount, align: "right" });
    doc.x = MARGIN;
    doc.y = Math.max(after, doc.y);
  };
  const rule = () => {
    doc
      .moveTo(MARGIN, doc.y + 2)
      .lineTo(COLUMNS.end, doc.y + 2)
      .lineWidth(0.5)
      .stroke();
    doc.y += 6;
  };
  row(
    {
      qty: t(locale, "invoice.qty"),
      item: t(locale, "invoice.item"),
      unit: t(locale, "invoice.unit"),
      amount: t(locale, "invoice.amount"),
    },
    "bold",
  );
  rule();
  for (const line of order.orderItems) {
    row({ qty: `${line.quantity}×`, item: line.name, unit: amount(line.unitPrice + line.unitSurcharge), amount: amount(line.total) });
    for (const group of line.modifiers) {
      const options = group.options
        .map((o) => (o.priceDelta !== 0 ? `${o.name} (${o.priceDelta > 0 ? "+" : "−"}${amount(Math.abs(o.priceDelta))})` : o.name))
        .join(", ");
      row({ item: `  ${t(locale, "invoice.options", { group: group.groupName, options })}` });
    }
    if (line.notes) row({ item: `  “${line.notes}”` });
  }
  rule();

  // The totals, then what part of the total each tax is, then how it was paid.
  const total = (label: string, value: string, font: "regular" | "bold" = "regular") => row({ item: label, amount: value }, font);
  total(t(locale, "invoice.subtotal"), amount(order.subTotal + order.surcharge));
  if (order.discount > 0) total(t(locale, "invoice.discount"), `−${amount(order.discount)}`);
  total(t(locale, "invoice.total"), amount(order.total), "bold");
  if (invoice.taxes.length > 0) {
    const percent = new Intl.NumberFormat(locale, { maximumFractionDigits: 3 });
    for (const tax of invoice.taxes)
      total(t(locale, "invoice.taxIncluded", { name: tax.name, percent: percent.format(tax.percent) }), amount(tax.amount));
    total(t(locale, "invoice.net"), amount(invoice.net));
  }
  doc.moveDown();
  for (const p of order.payments) {
    const method = KNOWN_METHODS.has(p.method) ? t(locale, `cashier.method.${p.method}` as Parameters<typeof t>[1]) : p.method;
    row({ item: t(locale, "invoice.paid", { method }), amount: amount(p.amount) });
    if (p.tendered !== null && p.change !== null)
      row({ item: `  ${t(locale, "invoice.tendered", { amount: amount(p.tendered), change: amount(p.change) })}` });
  }
  doc.moveDown(2);
  doc
    .font("regular")
    .fontSize(10)
    .text(t(locale, "invoice.thanks"), MARGIN, doc.y, { align: "center", width: COLUMNS.end - MARGIN });

  doc.end();
  await ended;
  return Buffer.concat(chunks);
}
