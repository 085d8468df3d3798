import { describe, expect, it } from "vitest";
import {
  toCashierNewOrder,
  toConfirmedOrderRef,
  toOrderListDto,
  toPrinterConfirmedOrder,
  toPrinterReprintOrder,
  type OrderRecord,
} from "./dto";

/**
 * The orders behind the seeds/003 examples, held the Pass way (minor units). Each projection
 * must serialise to the seed's JSON byte for byte: same fields, same values, same key order.
 */
const item = {
  id: "clx0abc0001mx01example",
  orderId: 1,
  foodId: "clx0def0002mx01example",
  name: "Margherita",
  station: "",
  modifiers: [],
  allergens: [],
  course: 1,
};

const pending: OrderRecord = {
  id: 1,
  partnerId: "p1",
  businessDay: "2026-01-15",
  displayCode: "A01",
  ticketNumber: null,
  table: "3",
  customer: "John Doe",
  source: "counter",
  priority: "NORMAL",
  status: "PENDING",
  paymentMethod: null,
  subTotal: 2500,
  discount: 0,
  surcharge: 0,
  total: 2500,
  createdAt: "2026-01-15T18:30:00.000Z",
  confirmedAt: null,
  statusChangedAt: "2026-01-15T18:30:00.000Z",
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
  payments: [],
  expoBumpedAt: null,
  warnPercent: 100,
  latePercent: 150,
  parts: [],
  orderItems: [{ ...item, quantity: 2, unitPrice: 1250, unitSurcharge: 0, total: 2500, notes: "No onions" }],
};

const confirmed: OrderRecord = {
  ...pending,
  ticketNumber: 1,
  status: "CONFIRMED",
  paymentMethod: "CASH",
  subTotal: 2500,
  discount: 200,
  surcharge: 100,
  total: 2400,
  confirmedAt: "2026-01-15T18:35:12.000Z",
  statusChangedAt: "2026-01-15T18:35:12.000Z",
  userId: "clx0usr0003mx01example",
  cashRegisterId: "clx0csh0004mx01example",
  orderItems: [{ ...item, quantity: 2, unitPrice: 1250, unitSurcharge: 50, total: 2600, notes: "Extra spicy" }],
};

// Copied from seeds/003, whitespace removed.
const SEED_NEW_ORDER = `{"id":1,"displayCode":"A01","table":"3","customer":"John Doe","createdAt":"2026-01-15T18:30:00.000Z","confirmedAt":null,"ticketNumber":null,"status":"PENDING","paymentMethod":null,"subTotal":"25","discount":"0","surcharge":"0","total":"25","userId":null,"cashRegisterId":null,"orderItems":[{"id":"clx0abc0001mx01example","quantity":2,"orderId":1,"foodId":"clx0def0002mx01example","unitPrice":"12.5","unitSurcharge":"0","total":"25","notes":"No onions"}]}`;
const SEED_CONFIRMED_REF = `{"displayCode":"A01","ticketNumber":1,"id":1}`;
const SEED_PRINTER_CONFIRMED = `{"id":1,"displayCode":"A01","table":"3","customer":"John Doe","createdAt":"2026-01-15T18:30:00.000Z","confirmedAt":"2026-01-15T18:35:12.000Z","ticketNumber":1,"status":"CONFIRMED","paymentMethod":"CASH","subTotal":"25","discount":"2","surcharge":"1","total":"24","userId":"clx0usr0003mx01example","cashRegisterId":"clx0csh0004mx01example","orderItems":[{"id":"clx0abc0001mx01example","quantity":2,"orderId":1,"notes":"Extra spicy","unitPrice":"12.5","unitSurcharge":"0.5","total":"26","food":{"id":"clx0def0002mx01example","name":"Margherita","printerId":null}}]}`;
const SEED_REPRINT_ITEM = `{"id":"clx0abc0001mx01example","orderId":1,"foodId":"clx0def0002mx01example","quantity":2,"notes":"Extra spicy","unitPrice":"12.5","unitSurcharge":"0.5","total":"26","food":{"id":"clx0def0002mx01example","name":"Margherita","printerId":null}}`;
const SEED_REPRINT = `{"id":1,"displayCode":"A01","table":"3","customer":"John Doe","createdAt":"2026-01-15T18:30:00.000Z","confirmedAt":"2026-01-15T18:35:12.000Z","ticketNumber":1,"status":"CONFIRMED","paymentMethod":"CASH","subTotal":"25","discount":"2","surcharge":"1","total":"24","userId":"clx0usr0003mx01example","cashRegisterId":"clx0csh0004mx01example","reprintReceipt":true,"reprintOrderItems":[${SEED_REPRINT_ITEM}],"orderItems":[${SEED_REPRINT_ITEM}]}`;

describe("seeds/003 payloads, byte for byte", () => {
  it("cashier new-order", () => {
    expect(JSON.stringify(toCashierNewOrder(pending))).toBe(SEED_NEW_ORDER);
  });

  it("cashier and display confirmed-order", () => {
    expect(JSON.stringify(toConfirmedOrderRef(confirmed))).toBe(SEED_CONFIRMED_REF);
  });

  it("printer confirmed-order", () => {
    expect(JSON.stringify(toPrinterConfirmedOrder(confirmed))).toBe(SEED_PRINTER_CONFIRMED);
  });

  it("printer reprint-order", () => {
    const payload = toPrinterReprintOrder(confirmed, { orderItemIds: ["clx0abc0001mx01example"], receipt: true });
    expect(JSON.stringify(payload)).toBe(SEED_REPRINT);
  });

  it("reprint-order carries only the chosen items in reprintOrderItems", () => {
    const two: OrderRecord = {
      ...confirmed,
      orderItems: [...confirmed.orderItems, { ...confirmed.orderItems[0]!, id: "second", station: "grill" }],
    };
    const payload = toPrinterReprintOrder(two, { orderItemIds: ["second"], receipt: false });
    expect(payload.reprintReceipt).toBe(false);
    expect(payload.reprintOrderItems.map((i) => i.id)).toEqual(["second"]);
    expect(payload.reprintOrderItems[0]!.food).toEqual({ id: "clx0def0002mx01example", name: "Margherita", printerId: "grill" });
    expect(payload.orderItems.map((i) => i.id)).toEqual(["clx0abc0001mx01example", "second"]);
  });
});

describe("seeds/000 OrderListDto", () => {
  const partner = { id: "p1", slug: "demo", name: "Demo Diner", imageUrl: "https://img.example/demo.png" };

  it("has exactly the seed's fields, with RECEIVED for PENDING", () => {
    const dto = toOrderListDto({ ...pending, priority: "HIGH" }, partner, new Date("2026-01-15T18:31:05.000Z"));
    expect(dto).toStrictEqual({
      id: 1,
      partnerName: "Demo Diner",
      partnerImage: "https://img.example/demo.png",
      displayNumber: "A01",
      status: "RECEIVED",
      priority: "HIGH",
      activeTimer: "01:05",
      courierName: null,
    });
  });

  it("stops the timer when the order is closed", () => {
    const done: OrderRecord = { ...confirmed, status: "PICKED_UP", statusChangedAt: "2026-01-15T19:42:00.000Z" };
    const dto = toOrderListDto(done, partner, new Date("2026-01-15T23:00:00.000Z"));
    expect(dto.status).toBe("PICKED_UP");
    expect(dto.activeTimer).toBe("1:12:00");
  });
});
