import type { OrderEvent } from "../client/order-events";
import { allergenName, allergyNotes, allergyText, lineOptions, optionText } from "../client/order-lines";
import type { OrderDto } from "../orders/dto";

/**
 * What a print station prints for a printer-channel event, pure, from the whole order the event
 * carries. A station's kitchen ticket prints when its lines **fire** (issue "Station workflow"
 * item 8): on `order.confirmed` the parts that fired then (course 1; nothing of a scheduled
 * order) plus the receipt; on `order.fired` the parts of the courses that fired (a held course
 * when course 1 is done or fired by hand, a scheduled order at its fire time) — so a fired course
 * always has its tickets. `order.reprinted` prints the chosen items and/or the receipt, stamped
 * REPRINT; `order.unacknowledged` the fired kitchen tickets again (no kitchen screen showed them
 * in time), stamped NOT SEEN BY KITCHEN. Keys are per log event and station, so nothing prints
 * twice. A line prints at its food's station and at every station one of its options is cooked at
 * (one part each).
 */
export type PrinterOrder = OrderDto;
export type PrinterItem = OrderDto["orderItems"][number];
type PrinterPart = PrinterItem["parts"][number];

type JobBase = { key: string; eventId: number; reprint: boolean; fallback: boolean; order: PrinterOrder };
export type PrintJob =
  | (JobBase & {
      kind: "kitchen";
      station: string;
      items: PrinterItem[];
      /** The courses on this slip, when the order has more than one ("COURSE 2"). */
      courses: number[];
      /** order.fired: printed when a course fired, not at confirmation ("FIRED"). */
      fired: boolean;
    })
  | (JobBase & { kind: "receipt" });

/** Items without a station print on the kitchen's own printer. */
const stationKey = (station: string | null | undefined) => station || "kitchen";

/** Where a line is cooked when it has no parts (an event from before line parts): every station, fired. */
const stationsOf = (item: PrinterItem) => {
  const stations = item.stations?.length ? item.stations : [item.station];
  return [...new Set(stations.map(stationKey))];
};

type Event = Pick<OrderEvent, "type" | "order" | "reprint" | "fired">;

/** Which parts of a line print for this event, as the stations they are at. */
function printedStations(item: PrinterItem, event: Event): string[] {
  const parts: PrinterPart[] = item.parts ?? [];
  if (parts.length === 0) return event.type === "order.fired" ? [] : stationsOf(item);
  // A reprint is asked for by hand: the chosen line at every station it is cooked at.
  if (event.type === "order.reprinted") return [...new Set(parts.map((p) => stationKey(p.station)))];
  const isFired = (p: PrinterPart) => p.state !== "HELD" && p.firedAt !== null;
  const courses = new Set(event.fired?.courses ?? []);
  const printed = event.type === "order.fired" ? parts.filter((p) => isFired(p) && courses.has(p.course)) : parts.filter(isFired);
  return [...new Set(printed.map((p) => stationKey(p.station)))];
}

export function jobsFor(eventId: number, event: Event): PrintJob[] {
  const { type, order } = event;
  const reprint = type === "order.reprinted";
  const fallback = type === "order.unacknowledged";
  const fired = type === "order.fired";
  if (!reprint && !fallback && !fired && type !== "order.confirmed") return [];
  const chosen = new Set(event.reprint?.orderItemIds ?? []);
  const items = reprint ? order.orderItems.filter((i) => chosen.has(i.id)) : order.orderItems;
  const byStation = new Map<string, PrinterItem[]>();
  for (const item of items) {
    for (const station of printedStations(item, event)) byStation.set(station, [...(byStation.get(station) ?? []), item]);
  }
  const coursed = new Set(order.orderItems.map((i) => i.course ?? 1)).size > 1;
  const jobs: PrintJob[] = [...byStation].map(([station, stationItems]) => ({
    key: `${eventId}:kitchen:${station}`,
    eventId,
    kind: "kitchen",
    station,
    reprint,
    fallback,
    fired,
    courses: coursed ? [...new Set(stationItems.map((i) => i.course ?? 1))].sort((a, b) => a - b) : [],
    order,
    items: stationItems,
  }));
  if (fallback || fired) return jobs;
  if (!reprint || event.reprint?.receipt) jobs.push({ key: `${eventId}:receipt`, eventId, kind: "receipt", reprint, fallback, order });
  return jobs;
}

/** The stations at which some of the order's lines have fired so far (each has had a slip). */
export function firedStations(order: PrinterOrder): string[] {
  const out = new Set<string>();
  for (const item of order.orderItems) {
    const parts: PrinterPart[] = item.parts ?? [];
    if (parts.length === 0) for (const s of stationsOf(item)) out.add(s);
    for (const p of parts) if (p.state !== "HELD" && p.firedAt !== null) out.add(stationKey(p.station));
  }
  return [...out];
}

/** When the lines of a kitchen slip fired (the latest of its parts at that station), or null. */
export function slipFiredAt(job: Extract<PrintJob, { kind: "kitchen" }>): string | null {
  const times = job.items.flatMap((i) =>
    (i.parts ?? []).filter((p) => stationKey(p.station) === job.station && p.firedAt).map((p) => p.firedAt!),
  );
  return times.sort().at(-1) ?? null; // ISO strings sort as times
}

/**
 * What prints under a line on the 80 mm slip, in order: each chosen option ("+ Extra cheese",
 * "NO onions", "+ Side of fries @ FRYER" when cooked at another station than this slip's), the
 * allergens the line contains, then the guest's own note.
 */
export type SlipLine = { kind: "option" | "allergens" | "note"; text: string };

export function slipLines(item: PrinterItem, station: string | null = null): SlipLine[] {
  const here = station ?? item.station;
  const out: SlipLine[] = lineOptions(item).map((opt) => ({ kind: "option", text: optionText(opt, here) }));
  if (item.allergens.length > 0) out.push({ kind: "allergens", text: `Contains: ${item.allergens.map(allergenName).join(", ")}` });
  if (item.notes) out.push({ kind: "note", text: item.notes });
  return out;
}

/** The inverted (white on black) allergy line of an order with `allergyAlert`, or null. */
export function slipAllergy(order: PrinterOrder): string | null {
  if (!order.allergyAlert) return null;
  const declared = (order.allergies?.codes.length ?? 0) > 0 || Boolean(order.allergies?.note?.trim());
  const text = declared ? allergyText(order) : `ALLERGY — ${allergyNotes(order).join(" · ") || "see the lines"}`;
  return text.toUpperCase();
}
