import { describe, expect, it } from "vitest";
import { toOrderDto, type OrderItemRecord, type OrderRecord } from "@/lib/orders/dto";
import { jobsFor, slipAllergy, slipLines } from "./jobs";

// Built through toOrderDto: exactly the order a `?view=pass` printer frame carries.
const item = (id: string, station: string): OrderItemRecord => ({
  id,
  orderId: 1,
  foodId: `f-${id}`,
  name: `Food ${id}`,
  station,
  quantity: 1,
  unitPrice: 100,
  unitSurcharge: 0,
  total: 100,
  notes: null,
  modifiers: [],
  allergens: [],
  course: 1,
});
const record: OrderRecord = {
  id: 1,
  partnerId: "p1",
  businessDay: "2026-01-01",
  displayCode: "A01",
  ticketNumber: 1,
  table: null,
  customer: null,
  source: "counter",
  priority: "NORMAL",
  status: "CONFIRMED",
  paymentMethod: "CASH",
  subTotal: 400,
  discount: 0,
  surcharge: 0,
  total: 400,
  createdAt: "2026-01-01T00:00:00Z",
  confirmedAt: "2026-01-01T00:01:00Z",
  statusChangedAt: "2026-01-01T00:01:00Z",
  userId: null,
  cashRegisterId: null,
  courierName: null,
  cancelReason: null,
  kitchenAckAt: null,
  kitchenAlertAt: null,
  courierLocation: null,
  serviceType: "dine-in",
  promisedAt: null,
  allergies: null,
  allergyAlert: false,
  allergyAckAt: null,
  allergyAckBy: null,
  fireAt: null,
  expoConfirms: false,
  expoBumpedAt: null,
  warnPercent: 100,
  latePercent: 150,
  parts: [],
  orderItems: [item("a", "grill"), item("b", "bar"), item("c", "grill"), item("d", "")],
};
const order = toOrderDto(record);

describe("jobsFor", () => {
  it("order.confirmed: a kitchen ticket per station plus the receipt", () => {
    const jobs = jobsFor(7, { type: "order.confirmed", order });
    expect(jobs.map((j) => j.key)).toEqual(["7:kitchen:grill", "7:kitchen:bar", "7:kitchen:kitchen", "7:receipt"]);
    const grill = jobs[0]!;
    expect(grill.kind === "kitchen" && grill.items.map((i) => i.id)).toEqual(["a", "c"]);
    expect(grill.kind === "kitchen" && grill.items.map((i) => i.food.name)).toEqual(["Food a", "Food c"]);
    const none = jobs[2]!;
    expect(none.kind === "kitchen" && none.items.map((i) => i.id)).toEqual(["d"]);
    expect(jobs.every((j) => !j.reprint && !j.fallback)).toBe(true);
    // The receipt prints the whole order with its money as the REST API gives it.
    const receipt = jobs[3]!;
    expect(receipt.kind).toBe("receipt");
    expect(receipt.order).toBe(order);
    expect(receipt.order).toMatchObject({ subTotal: "4", total: "4", discount: "0", surcharge: "0", paymentMethod: "CASH" });
  });

  it("order.reprinted: only the chosen items, the receipt only when asked, all stamped", () => {
    const jobs = jobsFor(9, { type: "order.reprinted", order, reprint: { orderItemIds: ["b"], receipt: false } });
    expect(jobs.map((j) => j.key)).toEqual(["9:kitchen:bar"]);
    expect(jobs[0]!.reprint).toBe(true);
    expect(jobs[0]!.kind === "kitchen" && jobs[0]!.items.map((i) => i.id)).toEqual(["b"]);
    const receiptOnly = jobsFor(10, { type: "order.reprinted", order, reprint: { orderItemIds: [], receipt: true } });
    expect(receiptOnly.map((j) => j.key)).toEqual(["10:receipt"]);
    expect(receiptOnly.every((j) => j.reprint && !j.fallback)).toBe(true);
    // Chosen items keep the order's item order, whatever order they were chosen in.
    const both = jobsFor(11, { type: "order.reprinted", order, reprint: { orderItemIds: ["c", "a", "b"], receipt: true } });
    expect(both.map((j) => j.key)).toEqual(["11:kitchen:grill", "11:kitchen:bar", "11:receipt"]);
    expect(both[0]!.kind === "kitchen" && both[0]!.items.map((i) => i.id)).toEqual(["a", "c"]);
  });

  it("order.unacknowledged: the kitchen tickets again, no receipt, marked", () => {
    const jobs = jobsFor(12, { type: "order.unacknowledged", order });
    expect(jobs.map((j) => j.key)).toEqual(["12:kitchen:grill", "12:kitchen:bar", "12:kitchen:kitchen"]);
    expect(jobs.every((j) => j.fallback && !j.reprint)).toBe(true);
  });

  it("other events print nothing", () => {
    expect(jobsFor(13, { type: "order.status", order })).toEqual([]);
    expect(jobsFor(14, { type: "order.created", order })).toEqual([]);
    expect(jobsFor(15, { type: "connected" as never, order })).toEqual([]);
  });
});

describe("the slip's lines", () => {
  const burger: OrderItemRecord = {
    ...item("m", "grill"),
    name: "Burger",
    notes: "well done",
    allergens: ["gluten", "milk", "peanuts"],
    modifiers: [
      { groupId: "g1", groupName: "Extras", options: [{ id: "o1", name: "Extra cheese", priceDelta: 100, station: null }] },
      {
        groupId: "g2",
        groupName: "Sides",
        options: [
          { id: "o2", name: "No onions", priceDelta: 0, station: null },
          { id: "o3", name: "Side of fries", priceDelta: 250, station: "fryer" },
        ],
      },
    ],
  };
  const allergic = toOrderDto({
    ...record,
    allergies: { codes: ["peanuts", "sesame"], note: "severe" },
    allergyAlert: true,
    orderItems: [burger, item("z", "bar")],
  });

  it("prints each option under its line, the allergens, then the guest's note; other stations' options are marked", () => {
    const line = allergic.orderItems[0]!;
    expect(slipLines(line, "grill")).toEqual([
      { kind: "option", text: "+ Extra cheese" },
      { kind: "option", text: "NO onions" },
      { kind: "option", text: "+ Side of fries @ FRYER" },
      { kind: "allergens", text: "Contains: Gluten, Milk, Peanuts" },
      { kind: "note", text: "well done" },
    ]);
    // At the fryer, the fries are its own; the line still says what it belongs to.
    expect(slipLines(line, "fryer").map((l) => l.text)).toContain("+ Side of fries");
    expect(slipLines(allergic.orderItems[1]!)).toEqual([]);
  });

  it("a line whose option is cooked elsewhere prints at both stations", () => {
    const jobs = jobsFor(20, { type: "order.confirmed", order: allergic });
    expect(jobs.map((j) => j.key)).toEqual(["20:kitchen:grill", "20:kitchen:fryer", "20:kitchen:bar", "20:receipt"]);
    expect(jobs[1]!.kind === "kitchen" && jobs[1]!.items.map((i) => i.id)).toEqual(["m"]);
  });

  it("the inverted allergy line: declared codes by name and the note; none without an alert", () => {
    expect(slipAllergy(allergic)).toBe("ALLERGY: PEANUTS, SESAME — SEVERE");
    expect(slipAllergy(order)).toBeNull();
    // An alert raised by a line's own words ("nut allergy") prints those words.
    const byNote = toOrderDto({ ...record, allergyAlert: true, orderItems: [{ ...item("n", "grill"), notes: "nut allergy!" }] });
    expect(slipAllergy(byNote)).toBe("ALLERGY — NUT ALLERGY!");
  });
});
