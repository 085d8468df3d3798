import type { OrderEvent } from "@/lib/client/order-events";
import { allergenName, allergyNotes, allergyText, lineOptions, optionText } from "@/lib/client/order-lines";
import type { OrderDto } from "@/lib/orders/dto";

/**
 * What a print station prints for a printer-channel event, pure, from the whole order the event
 * carries: one kitchen ticket per station (items grouped by station) and the receipt on
 * `order.confirmed`; the chosen items and/or the receipt on `order.reprinted`, stamped REPRINT;
 * the kitchen tickets again on `order.unacknowledged` (no kitchen screen showed the ticket in
 * time), stamped NOT SEEN BY KITCHEN. Keys are per log event, so nothing prints twice. A line
 * prints at its food's station and at every station one of its options is cooked at.
 */
export type PrinterOrder = OrderDto;
export type PrinterItem = OrderDto["orderItems"][number];

type JobBase = { key: string; eventId: number; reprint: boolean; fallback: boolean; order: PrinterOrder };
export type PrintJob = (JobBase & { kind: "kitchen"; station: string; items: PrinterItem[] }) | (JobBase & { kind: "receipt" });

/** Items without a station print on the kitchen's own printer. */
const stationsOf = (item: PrinterItem) => {
  const stations = item.stations?.length ? item.stations : [item.station];
  return [...new Set(stations.map((s) => s || "kitchen"))];
};

export function jobsFor(eventId: number, event: Pick<OrderEvent, "type" | "order" | "reprint">): PrintJob[] {
  const { type, order } = event;
  const reprint = type === "order.reprinted";
  const fallback = type === "order.unacknowledged";
  if (!reprint && !fallback && type !== "order.confirmed") return [];
  const chosen = new Set(event.reprint?.orderItemIds ?? []);
  const items = reprint ? order.orderItems.filter((i) => chosen.has(i.id)) : order.orderItems;
  const byStation = new Map<string, PrinterItem[]>();
  for (const item of items) {
    for (const station of stationsOf(item)) byStation.set(station, [...(byStation.get(station) ?? []), item]);
  }
  const jobs: PrintJob[] = [...byStation].map(([station, stationItems]) => ({
    key: `${eventId}:kitchen:${station}`,
    eventId,
    kind: "kitchen",
    station,
    reprint,
    fallback,
    order,
    items: stationItems,
  }));
  if (fallback) return jobs;
  if (!reprint || event.reprint?.receipt) jobs.push({ key: `${eventId}:receipt`, eventId, kind: "receipt", reprint, fallback, order });
  return jobs;
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
