import { describe, expect, it } from "vitest";
import { jobsFor, type PrinterItem, type PrinterOrder } from "./jobs";

const item = (id: string, station: string | null): PrinterItem => ({
  id,
  quantity: 1,
  notes: null,
  unitPrice: "1",
  unitSurcharge: "0",
  total: "1",
  food: { id: `f-${id}`, name: `Food ${id}`, printerId: station },
});
const order: PrinterOrder = {
  id: 1,
  displayCode: "A01",
  table: null,
  customer: null,
  createdAt: "2026-01-01T00:00:00Z",
  confirmedAt: "2026-01-01T00:01:00Z",
  ticketNumber: 1,
  paymentMethod: "CASH",
  subTotal: "3",
  discount: "0",
  surcharge: "0",
  total: "3",
  orderItems: [item("a", "grill"), item("b", "bar"), item("c", "grill"), item("d", null)],
};

describe("jobsFor", () => {
  it("confirmed-order: a kitchen ticket per station plus the receipt", () => {
    const jobs = jobsFor(7, "confirmed-order", order);
    expect(jobs.map((j) => j.key)).toEqual(["7:kitchen:grill", "7:kitchen:bar", "7:kitchen:kitchen", "7:receipt"]);
    const grill = jobs[0]!;
    expect(grill.kind === "kitchen" && grill.items.map((i) => i.id)).toEqual(["a", "c"]);
    expect(jobs.every((j) => !j.reprint)).toBe(true);
  });

  it("reprint-order: only the chosen items, the receipt only when asked, all stamped", () => {
    const jobs = jobsFor(9, "reprint-order", { ...order, reprintReceipt: false, reprintOrderItems: [item("b", "bar")] });
    expect(jobs.map((j) => j.key)).toEqual(["9:kitchen:bar"]);
    expect(jobs[0]!.reprint).toBe(true);
    const receiptOnly = jobsFor(10, "reprint-order", { ...order, reprintReceipt: true, reprintOrderItems: [] });
    expect(receiptOnly.map((j) => j.key)).toEqual(["10:receipt"]);
  });

  it("fallback-order: the kitchen tickets again, no receipt, marked", () => {
    const jobs = jobsFor(12, "fallback-order", order);
    expect(jobs.map((j) => j.key)).toEqual(["12:kitchen:grill", "12:kitchen:bar", "12:kitchen:kitchen"]);
    expect(jobs.every((j) => j.fallback && !j.reprint)).toBe(true);
  });

  it("other events print nothing", () => {
    expect(jobsFor(11, "connected", order)).toEqual([]);
  });
});
