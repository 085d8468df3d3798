import ReceiptPrinterEncoder from "@point-of-sale/receipt-printer-encoder";
import CodepageEncoder, { type Codepage } from "@point-of-sale/codepage-encoder";
import { displayMoney, type MoneyStyle } from "../money-format";
import { type PrintJob, slipAllergy, slipFiredAt, slipLines } from "./plan";

/**
 * A print job as ESC/POS bytes (issue "Network printers" item 2), with
 * @point-of-sale/receipt-printer-encoder: stamps first (REPRINT, LATE — queued 19:42, BACKUP FROM
 * GRILL, NOT SEEN BY KITCHEN) in inverse, the restaurant, the ticket number large, service type
 * and table, then the station's lines with their options, allergy lines inverted, the guest's
 * notes boxed; the receipt adds amounts in the restaurant's currency (lib/money-format.ts), the
 * totals and a QR code to the guest's /track page; a cut, and the buzzer pulse when the printer
 * has one. Pure: the dispatcher calls it at print time, so a late job carries its LATE stamp.
 */
/*
 * codepage-encoder 3.0.2 deep-copies a whole code page definition (structuredClone) every time
 * it encodes a piece of text; a slip is dozens of pieces, so one slip cost 25–80 ms of CPU on
 * the dispatcher's thread. Its own callers (encode, autoEncode) only read the definition, so one
 * copy per page is kept and handed out (escpos.test.ts decodes what it encodes).
 */
const definitions = new Map<string, ReturnType<typeof CodepageEncoder.getEncoding>>();
const cloneEncoding = CodepageEncoder.getEncoding.bind(CodepageEncoder);
const sharedEncoding: typeof CodepageEncoder.getEncoding = (page) => {
  let d = definitions.get(page);
  if (!d) {
    d = cloneEncoding(page);
    definitions.set(page, d);
  }
  return d;
};
// getCodepoints writes into the table getEncoding returns (a page's own characters over the page
// it extends): it keeps getting a copy of its own.
const buildCodepoints = CodepageEncoder.getCodepoints.bind(CodepageEncoder);
CodepageEncoder.getCodepoints = (page, evaluateExtends) => {
  const previous = CodepageEncoder.getEncoding;
  CodepageEncoder.getEncoding = cloneEncoding;
  try {
    return buildCodepoints(page, evaluateExtends);
  } finally {
    CodepageEncoder.getEncoding = previous;
  }
};
CodepageEncoder.getEncoding = sharedEncoding;

export type Restaurant = MoneyStyle & { name: string; timezone: string };

export type Stamps = {
  /** "19:42": the job waited longer than the late threshold since it was queued at that time. */
  lateQueuedAt?: string | null;
  /** Printed on a backup for this printer (its name). */
  backupFrom?: string | null;
};

export type PrinterSetup = { paperWidth: number; codePage: string; buzzer: boolean };

export type TestPage = { kind: "test"; printerName: string; at: string };

/** Code pages a restaurant's language needs, in order of preference (`codePage: "auto"`). */
export function codepagesFor(locale: string): Codepage[] {
  const lang = locale.toLowerCase().split("-")[0] ?? "en";
  if (["ru", "uk", "bg", "be", "sr", "mk", "kk"].includes(lang)) return ["cp866", "windows1251", "cp858"];
  if (["pl", "cs", "sk", "hu", "sl", "hr", "ro"].includes(lang)) return ["cp852", "windows1250", "cp858"];
  if (lang === "el") return ["cp737", "windows1253", "cp858"];
  if (lang === "tr") return ["cp857", "windows1254", "cp858"];
  // Western European languages: PC858 is PC850 with the euro sign.
  return ["cp858", "cp437", "windows1252"];
}

/** "19:42" in the restaurant's time zone. */
export function clockIn(iso: string, timeZone: string): string {
  let f = clocks.get(timeZone);
  if (!f) {
    // Building a formatter costs far more than using it (toLocaleTimeString builds one each call).
    f = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone });
    clocks.set(timeZone, f);
  }
  return f.format(new Date(iso));
}
const clocks = new Map<string, Intl.DateTimeFormat>();

const SERVICE_LABELS: Record<string, string> = { "dine-in": "DINE-IN", takeaway: "TAKEAWAY", delivery: "DELIVERY", pickup: "PICKUP" };

const covered = new Map<Codepage, Set<number>>();
function coverage(page: Codepage): Set<number> {
  let set = covered.get(page);
  if (!set) {
    set = new Set(CodepageEncoder.getCodepoints(page, true).filter((c): c is number => typeof c === "number"));
    covered.set(page, set);
  }
  return set;
}

/** Rules and boxes are drawn with these; a page without them would switch pages on every line. */
const DRAWING = "┌─┐│└┘═";

/**
 * One code page for the whole slip: the first of the language's candidates that has every
 * character the slip prints, else "auto" (the encoder switches pages mid-line: correct, but
 * ten times slower to encode). `text` is everything the slip may print.
 */
export function pickCodepage(text: string, candidates: readonly Codepage[]): Codepage | "auto" {
  const needed = new Set<number>();
  for (const ch of text + DRAWING) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x80) needed.add(c);
  }
  for (const page of candidates) {
    const has = coverage(page);
    if ([...needed].every((c) => has.has(c))) return page;
  }
  return "auto";
}

function encoderFor(setup: PrinterSetup, locale: string, text: string) {
  const columns = setup.paperWidth === 58 ? 32 : 48;
  const candidates = setup.codePage === "auto" ? codepagesFor(locale) : [setup.codePage as Codepage];
  const page = pickCodepage(text, candidates);
  const encoder = new ReceiptPrinterEncoder({
    language: "esc-pos",
    columns,
    codepageMapping: "epson",
    // Candidates only matter when no single page fits; listing them slows every encode.
    ...(page === "auto" ? { codepageCandidates: candidates } : {}),
    feedBeforeCut: 3,
    // Characters no candidate page has print as "?" instead of failing the job.
    errors: "relaxed",
  });
  return { encoder: encoder.initialize().codepage(page), columns };
}

/** Thermal printers print no-break spaces as spaces; narrow ones (fr-FR) are in no DOS page. */
const plainSpaces = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");

function stamp(e: ReceiptPrinterEncoder, text: string) {
  e.align("center").invert(true).bold(true).line(` ${text} `).bold(false).invert(false).align("left");
}

export function encodeJob({
  job,
  restaurant,
  printer,
  stamps = {},
  trackUrl = null,
}: {
  job: PrintJob;
  restaurant: Restaurant;
  printer: PrinterSetup;
  stamps?: Stamps;
  /** The guest's /track link for the receipt's QR code. */
  trackUrl?: string | null;
}): Uint8Array {
  const o = job.order;
  const money = (amount: string | number) => plainSpaces(displayMoney(amount, restaurant));
  const printed = [JSON.stringify(o), restaurant.name, stamps.backupFrom ?? "", "—", money(o.total), money(1234.5)].join("");
  const { encoder: e, columns } = encoderFor(printer, restaurant.locale, printed);
  if (job.reprint) stamp(e, "*** REPRINT ***");
  if (stamps.lateQueuedAt) stamp(e, `LATE — queued ${stamps.lateQueuedAt}`);
  if (stamps.backupFrom) stamp(e, `BACKUP FROM ${stamps.backupFrom.toUpperCase()}`);
  if (job.fallback) stamp(e, "*** NOT SEEN BY KITCHEN ***");

  e.align("center").bold(true).line(restaurant.name).bold(false);
  e.size(3, 3)
    .bold(true)
    .line(`#${o.ticketNumber ?? o.displayCode}`)
    .bold(false)
    .size(1, 1);
  const where = [SERVICE_LABELS[o.serviceType] ?? o.serviceType.toUpperCase(), o.table ? `Table ${o.table}` : null]
    .filter(Boolean)
    .join(" · ");
  e.size(1, 2).bold(true).line(where).bold(false).size(1, 1);
  e.line(`${o.displayCode} · ${clockIn(o.confirmedAt ?? o.createdAt, restaurant.timezone)}`);
  if (o.customer) e.line(o.customer);
  if (o.promisedAt)
    e.bold(true)
      .line(`FOR ${clockIn(o.promisedAt, restaurant.timezone)}`)
      .bold(false);
  e.align("left");
  const allergy = slipAllergy(o);
  if (allergy) e.invert(true).bold(true).line(allergy).bold(false).invert(false);
  e.rule();

  if (job.kind === "kitchen") {
    e.size(1, 2)
      .bold(true)
      .line(`${job.station.toUpperCase()}${job.courses.length ? ` · COURSE ${job.courses.join(", ")}` : ""}`)
      .bold(false)
      .size(1, 1);
    if (job.fired) {
      const at = slipFiredAt(job);
      e.line(`FIRED ${at ? clockIn(at, restaurant.timezone) : ""}`.trim());
    }
    for (const item of job.items) {
      e.size(1, 2).bold(true).line(`${item.quantity} x ${item.food.name}`).bold(false).size(1, 1);
      for (const l of slipLines(item, job.station)) {
        if (l.kind === "option") e.line(`   ${l.text}`);
        else if (l.kind === "allergens") e.invert(true).line(` ${l.text} `).invert(false);
        else e.box({ style: "single", marginLeft: 2, width: columns - 2 }, l.text);
      }
    }
  } else {
    e.bold(true).line("RECEIPT").bold(false);
    const rows = o.orderItems.flatMap((i) => [
      [`${i.quantity} x ${i.food.name}`, money(i.total)],
      ...slipLines(i)
        .filter((l) => l.kind === "option")
        .map((l) => [`   ${l.text}`, ""]),
    ]);
    const amountWidth = Math.max(12, ...rows.map((r) => r[1]!.length));
    const table = (data: string[][]) =>
      e.table(
        [
          { width: columns - amountWidth - 1, marginRight: 1, align: "left" },
          { width: amountWidth, align: "right" },
        ],
        data,
      );
    table(rows);
    e.rule();
    const totals: string[][] = [["Subtotal", money(o.subTotal)]];
    if (Number(o.surcharge) !== 0) totals.push(["Surcharge", money(o.surcharge)]);
    if (Number(o.discount) !== 0) totals.push(["Discount", money(-Number(o.discount))]);
    table(totals);
    e.size(1, 2).bold(true);
    table([["TOTAL", money(o.total)]]);
    e.bold(false).size(1, 1);
    if (o.paymentMethod) e.line(`Paid: ${o.paymentMethod}`);
    if (trackUrl) {
      e.newline().align("center").line("Follow your order:").qrcode(trackUrl, { model: 2, size: 6, errorlevel: "m" }).align("left");
    }
  }
  if (printer.buzzer && job.kind === "kitchen") e.pulse();
  return e.cut("partial").encode();
}

export function encodeTestPage({
  page,
  restaurant,
  printer,
}: {
  page: TestPage;
  restaurant: Restaurant;
  printer: PrinterSetup;
}): Uint8Array {
  const money = plainSpaces(displayMoney(1234.5, restaurant));
  const { encoder: e } = encoderFor(printer, restaurant.locale, `${restaurant.name}${page.printerName}${money}`);
  e.align("center").bold(true).line(restaurant.name).bold(false).size(2, 2).line("TEST PAGE").size(1, 1);
  e.line(`${page.printerName} · ${clockIn(page.at, restaurant.timezone)}`)
    .align("left")
    .rule();
  e.line(`Money: ${money}`);
  e.invert(true).line(" Inverse: allergy lines look like this ").invert(false);
  e.box({ style: "single" }, "Notes are boxed");
  if (printer.buzzer) e.pulse();
  return e.cut("partial").encode();
}
