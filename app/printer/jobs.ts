import type { OrderEvent } from "@/lib/client/order-events";
import type { OrderDto } from "@/lib/orders/dto";

/**
 * What a print station prints for a printer-channel event, pure, from the whole order the event
 * carries: one kitchen ticket per station (items grouped by station) and the receipt on
 * `order.confirmed`; the chosen items and/or the receipt on `order.reprinted`, stamped REPRINT;
 * the kitchen tickets again on `order.unacknowledged` (no kitchen screen showed the ticket in
 * time), stamped NOT SEEN BY KITCHEN. Keys are per log event, so nothing prints twice.
 */
export type PrinterOrder = OrderDto;
export type PrinterItem = OrderDto["orderItems"][number];

type JobBase = { key: string; eventId: number; reprint: boolean; fallback: boolean; order: PrinterOrder };
export type PrintJob = (JobBase & { kind: "kitchen"; station: string; items: PrinterItem[] }) | (JobBase & { kind: "receipt" });

/** Items without a station print on the kitchen's own printer. */
const stationOf = (item: PrinterItem) => item.station || "kitchen";

export function jobsFor(eventId: number, event: Pick<OrderEvent, "type" | "order" | "reprint">): PrintJob[] {
  const { type, order } = event;
  const reprint = type === "order.reprinted";
  const fallback = type === "order.unacknowledged";
  if (!reprint && !fallback && type !== "order.confirmed") return [];
  const chosen = new Set(event.reprint?.orderItemIds ?? []);
  const items = reprint ? order.orderItems.filter((i) => chosen.has(i.id)) : order.orderItems;
  const byStation = new Map<string, PrinterItem[]>();
  for (const item of items) {
    const station = stationOf(item);
    byStation.set(station, [...(byStation.get(station) ?? []), item]);
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
