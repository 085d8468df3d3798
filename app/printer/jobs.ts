/**
 * What a print station prints for a printer-channel event, pure: one kitchen ticket per station
 * (items grouped by food.printerId) and the receipt on `confirmed-order`; the chosen items and/or
 * the receipt on `reprint-order`, stamped REPRINT; the kitchen tickets again on `fallback-order`
 * (no kitchen screen showed the ticket in time), stamped NOT SEEN BY KITCHEN.
 */
export type PrinterItem = {
  id: string;
  quantity: number;
  notes: string | null;
  unitPrice: string;
  unitSurcharge: string;
  total: string;
  food: { id: string; name: string; printerId: string | null };
};

export type PrinterOrder = {
  id: number;
  displayCode: string;
  table: string | null;
  customer: string | null;
  createdAt: string;
  confirmedAt: string | null;
  ticketNumber: number | null;
  paymentMethod: string | null;
  subTotal: string;
  discount: string;
  surcharge: string;
  total: string;
  orderItems: PrinterItem[];
  reprintReceipt?: boolean;
  reprintOrderItems?: PrinterItem[];
};

type JobBase = { key: string; eventId: number; reprint: boolean; fallback: boolean; order: PrinterOrder };
export type PrintJob = (JobBase & { kind: "kitchen"; station: string; items: PrinterItem[] }) | (JobBase & { kind: "receipt" });

export function jobsFor(eventId: number, event: string, order: PrinterOrder): PrintJob[] {
  const reprint = event === "reprint-order";
  const fallback = event === "fallback-order";
  if (!reprint && !fallback && event !== "confirmed-order") return [];
  const items = reprint ? (order.reprintOrderItems ?? []) : order.orderItems;
  const byStation = new Map<string, PrinterItem[]>();
  for (const item of items) {
    const station = item.food.printerId ?? "kitchen";
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
  if (!reprint || order.reprintReceipt) jobs.push({ key: `${eventId}:receipt`, eventId, kind: "receipt", reprint, fallback, order });
  return jobs;
}
