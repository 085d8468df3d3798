/**
 * An order as the event log stores it, built in memory for pure tests (projections, printer jobs):
 * `orderRecord({ orderItems, parts })` with every other field at a plain confirmed counter order.
 */
import type { OrderItemRecord, OrderRecord } from "../orders/dto";
import type { LinePart, PartState } from "../orders/line-state";

export const lineItem = (id: string, station: string, course = 1): OrderItemRecord => ({
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
  course,
});

/** One part of a line at a station; fired (firedAt set) unless HELD. */
export const linePart = (item: OrderItemRecord, state: PartState, station = item.station, firedAt = "2026-01-01T00:01:00Z"): LinePart => ({
  id: `${item.id}:${station}`,
  orderItemId: item.id,
  station,
  course: item.course,
  state,
  firedAt: state === "HELD" ? null : firedAt,
  startedAt: null,
  startedBy: null,
  doneAt: null,
  doneBy: null,
  targetMinutes: 10,
});

export const orderRecord = (overrides: Partial<OrderRecord> = {}): OrderRecord => ({
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
  payments: [{ method: "CASH", amount: 400, tendered: null, change: null }],
  orderItems: [],
  ...overrides,
});
