/**
 * What a print station prints for a printer-channel event, pure: one kitchen ticket per station
 * (items grouped by food.printerId) and the receipt on `confirmed-order`; the chosen items and/or
 * the receipt on `reprint-order`, stamped REPRINT.
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

export type PrintJob =
  | { key: string; eventId: number; kind: "kitchen"; station: string; reprint: boolean; order: PrinterOrder; items: PrinterItem[] }
  | { key: string; eventId: number; kind: "receipt"; reprint: boolean; order: PrinterOrder };

export function jobsFor(eventId: number, event: string, order: PrinterOrder): PrintJob[] {
  const reprint = event === "reprint-order";
  if (!reprint && event !== "confirmed-order") return [];
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
    order,
    items: stationItems,
  }));
  if (!reprint || order.reprintReceipt) jobs.push({ key: `${eventId}:receipt`, eventId, kind: "receipt", reprint, order });
  return jobs;
}
