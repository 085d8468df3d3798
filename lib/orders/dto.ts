import type { Selectable } from "kysely";
import type { PartnersTable } from "../db/schema";
import { formatDuration } from "../duration-format";
import { formatMoney } from "./money";
import { AUTO_CANCEL_REASON, statusFor, type OrderStatus } from "./status";
import type { AllergenCode, DeclaredAllergies } from "../menu/allergens";
import { type LinePart, partDeadlines, waitingOn } from "./line-state";
import type { PaymentRecord } from "./payments";

/**
 * An order as Pass holds it (money in minor units). This is also what the event log stores,
 * so a replayed event renders exactly as it did live.
 */
export type OrderItemRecord = {
  id: string;
  orderId: number;
  foodId: string;
  name: string;
  station: string;
  quantity: number;
  unitPrice: number;
  unitSurcharge: number;
  total: number;
  /** The guest's own words; the seeds/003 `notes` adds the options and allergies (renderLineNotes). */
  notes: string | null;
  /** Chosen options, frozen at order time (SPEC §2b). */
  modifiers: LineModifier[];
  /** Food ∪ options, in the EU order. */
  allergens: AllergenCode[];
  course: number;
};

export type LineModifier = {
  groupId: string;
  groupName: string;
  options: { id: string; name: string; priceDelta: number; station: string | null }[];
};

export const SERVICE_TYPES = ["dine-in", "takeaway", "delivery", "pickup"] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

export type OrderRecord = {
  id: number;
  partnerId: string;
  businessDay: string;
  displayCode: string;
  ticketNumber: number | null;
  table: string | null;
  customer: string | null;
  source: string;
  priority: "NORMAL" | "HIGH";
  status: OrderStatus;
  paymentMethod: string | null;
  subTotal: number;
  discount: number;
  surcharge: number;
  total: number;
  createdAt: string;
  confirmedAt: string | null;
  statusChangedAt: string;
  userId: string | null;
  cashRegisterId: string | null;
  courierName: string | null;
  /** The courier row carrying it (migration 0019, lib/orders/couriers.ts); null with no courier or a typed name. */
  courierId?: string | null;
  /** Who chose the courier: a person ("manual") or rider:auto_assign ("job"). */
  courierAssignedBy?: "manual" | "job" | null;
  cancelReason: string | null;
  kitchenAckAt: string | null;
  kitchenAlertAt: string | null;
  courierLocation: { lat: number; lng: number; at: string } | null;
  serviceType: ServiceType;
  /** A scheduled order: when the guest expects it. */
  promisedAt: string | null;
  allergies: DeclaredAllergies | null;
  /** The kitchen must tap "allergy seen" before bumping (lib/menu/allergens.ts needsAllergyAck). */
  allergyAlert: boolean;
  allergyAckAt: string | null;
  allergyAckBy: string | null;
  /** Scheduled: when its held lines fire (promisedAt − the longest prep target). */
  fireAt: string | null;
  expoConfirms: boolean;
  expoBumpedAt: string | null;
  warnPercent: number;
  latePercent: number;
  orderItems: OrderItemRecord[];
  /** Each line's parts, one per station it is cooked at, in line order (lib/orders/line-state.ts). */
  parts: LinePart[];
  /** How it was paid (migration 0014): one row, or several for a split bill; empty until confirmed. */
  payments: PaymentRecord[];
  /**
   * The partner's customer the guest's phone or email matched (migration 0018, lib/orders/customers.ts);
   * null when they gave neither. Absent in orders logged before 0018, which reads as null.
   */
  customerId?: number | null;
};

/** A partner's guest (migration 0018): staff-only, never on the board or another order's token. */
export type CustomerRecord = {
  id: number;
  partnerId: string;
  name: string | null;
  /** E.164. */
  phone: string | null;
  /** Lower-cased. */
  email: string | null;
  marketingConsent: boolean;
  createdAt: string;
  updatedAt: string;
};

/** A partner as the projections show it: the columns of its row that reach a screen. */
export type PartnerInfo = Pick<Selectable<PartnersTable>, "id" | "slug" | "name" | "imageUrl"> &
  Partial<Pick<Selectable<PartnersTable>, "currency" | "locale">>;

// --- seeds/003 payloads, field for field and in the seed's key order -------------------------

/** Top-level fields shared by new-order, confirmed-order (printer) and reprint-order. */
function orderHead(o: OrderRecord) {
  return {
    id: o.id,
    displayCode: o.displayCode,
    table: o.table,
    customer: o.customer,
    createdAt: o.createdAt,
    confirmedAt: o.confirmedAt,
    ticketNumber: o.ticketNumber,
    status: o.status,
    paymentMethod: o.paymentMethod,
    subTotal: formatMoney(o.subTotal),
    discount: formatMoney(o.discount),
    surcharge: formatMoney(o.surcharge),
    total: formatMoney(o.total),
    userId: o.userId,
    cashRegisterId: o.cashRegisterId,
  };
}

// printerId routes the ticket to a station printer; a food without a station has none (null, as in seeds/003).
const foodRef = (i: OrderItemRecord) => ({ id: i.foodId, name: i.name, printerId: i.station || null });

/**
 * The seeds/003 `notes` of a line (issue "The menu" item 6): an external printer or POS that
 * knows nothing of modifiers still prints everything — the options, the declared allergies,
 * then the guest's words: "+ Extra cheese · NO onions · ALLERGY: peanuts · well done".
 */
export function renderLineNotes(i: OrderItemRecord, o: Pick<OrderRecord, "allergies">): string | null {
  const parts: string[] = [];
  for (const m of i.modifiers) {
    for (const opt of m.options) {
      const no = /^no\s+(.+)$/i.exec(opt.name);
      parts.push(no ? `NO ${no[1]}` : `+ ${opt.name}`);
    }
  }
  const declared = o.allergies ? [...o.allergies.codes, ...(o.allergies.note ? [o.allergies.note] : [])] : [];
  if (declared.length > 0) parts.push(`ALLERGY: ${declared.join(", ")}`);
  if (i.notes) parts.push(i.notes);
  return parts.length > 0 ? parts.join(" · ") : null;
}

/** cashier `new-order` */
export function toCashierNewOrder(o: OrderRecord) {
  return {
    ...orderHead(o),
    orderItems: o.orderItems.map((i) => ({
      id: i.id,
      quantity: i.quantity,
      orderId: i.orderId,
      foodId: i.foodId,
      unitPrice: formatMoney(i.unitPrice),
      unitSurcharge: formatMoney(i.unitSurcharge),
      total: formatMoney(i.total),
      notes: renderLineNotes(i, o),
    })),
  };
}

/** cashier and display `confirmed-order` */
export function toConfirmedOrderRef(o: OrderRecord) {
  return { displayCode: o.displayCode, ticketNumber: o.ticketNumber, id: o.id };
}

/** printer `confirmed-order` */
export function toPrinterConfirmedOrder(o: OrderRecord) {
  return {
    ...orderHead(o),
    orderItems: o.orderItems.map((i) => ({
      id: i.id,
      quantity: i.quantity,
      orderId: i.orderId,
      notes: renderLineNotes(i, o),
      unitPrice: formatMoney(i.unitPrice),
      unitSurcharge: formatMoney(i.unitSurcharge),
      total: formatMoney(i.total),
      food: foodRef(i),
    })),
  };
}

function reprintItem(i: OrderItemRecord, o: OrderRecord) {
  return {
    id: i.id,
    orderId: i.orderId,
    foodId: i.foodId,
    quantity: i.quantity,
    notes: renderLineNotes(i, o),
    unitPrice: formatMoney(i.unitPrice),
    unitSurcharge: formatMoney(i.unitSurcharge),
    total: formatMoney(i.total),
    food: foodRef(i),
  };
}

/** printer `reprint-order`: the chosen items, the receipt flag and the full item list. */
export function toPrinterReprintOrder(o: OrderRecord, { orderItemIds, receipt }: { orderItemIds: readonly string[]; receipt: boolean }) {
  const chosen = new Set(orderItemIds);
  return {
    ...orderHead(o),
    reprintReceipt: receipt,
    reprintOrderItems: o.orderItems.filter((i) => chosen.has(i.id)).map((i) => reprintItem(i, o)),
    orderItems: o.orderItems.map((i) => reprintItem(i, o)),
  };
}

// --- seeds/000 ------------------------------------------------------------------------------

/**
 * seeds/000 `OrderListDto` for the partner dashboard. `activeTimer` is the time the order has
 * been open ("mm:ss", or "h:mm:ss" past an hour), frozen once it is picked up, delivered or cancelled.
 */
export function toOrderListDto(o: OrderRecord, partner: PartnerInfo, now: Date = new Date()) {
  return {
    id: o.id,
    partnerName: partner.name,
    partnerImage: partner.imageUrl,
    displayNumber: o.displayCode,
    status: statusFor("partner", o.status),
    priority: o.priority,
    activeTimer: formatTimer(activeSeconds(o, now)),
    courierName: o.courierName,
  };
}

const CLOSED = new Set<OrderStatus>(["PICKED_UP", "DELIVERED", "CANCELLED"]);

export function activeSeconds(o: OrderRecord, now: Date): number {
  const end = CLOSED.has(o.status) ? Date.parse(o.statusChangedAt) : now.getTime();
  return Math.max(0, Math.floor((end - Date.parse(o.createdAt)) / 1000));
}

/** The dashboard's `activeTimer` ("01:05", "1:12:00"): Pass's one duration formatter (lib/duration-format.ts). */
export function formatTimer(seconds: number): string {
  return formatDuration(seconds, { rounding: "down", padMinutes: true });
}

// --- REST -----------------------------------------------------------------------------------

/**
 * The order as its guest reads it with the tracking token (GET /api/orders/{id}): the staff's
 * cancel reason is theirs ("guest was rude", "card declined") — the guest's page says the
 * restaurant could not take the order instead (app/track).
 */
export function toGuestOrderDto(o: OrderRecord) {
  // The staff's reason is theirs; Pass's own auto-cancel reason ("not confirmed in time") is the guest's to read.
  return { ...toOrderDto(o), cancelReason: o.cancelReason === AUTO_CANCEL_REASON ? o.cancelReason : null };
}

/** The full order of the REST API: the seeds/003 shape plus what screens need besides. */
export function toOrderDto(o: OrderRecord) {
  return {
    ...orderHead(o),
    partnerId: o.partnerId,
    businessDay: o.businessDay,
    source: o.source,
    priority: o.priority,
    statusChangedAt: o.statusChangedAt,
    courierName: o.courierName,
    /** The roster's courier (lib/orders/couriers.ts) and who chose them: "manual" or "job" (rider:auto_assign). */
    courierId: o.courierId ?? null,
    courierAssignedBy: o.courierAssignedBy ?? null,
    cancelReason: o.cancelReason,
    kitchenAckAt: o.kitchenAckAt,
    kitchenAlertAt: o.kitchenAlertAt,
    courierLocation: o.courierLocation,
    serviceType: o.serviceType,
    promisedAt: o.promisedAt,
    allergies: o.allergies,
    allergyAlert: o.allergyAlert,
    allergyAckAt: o.allergyAckAt,
    allergyAckBy: o.allergyAckBy,
    fireAt: o.fireAt,
    expoConfirms: o.expoConfirms,
    expoBumpedAt: o.expoBumpedAt,
    payments: o.payments.map((p) => ({
      method: p.method,
      amount: formatMoney(p.amount),
      tendered: p.tendered === null ? null : formatMoney(p.tendered),
      change: p.change === null ? null : formatMoney(p.change),
    })),
    /** Expo's "waiting on: bar, fryer". */
    waitingOn: waitingOn(o.parts),
    orderItems: o.orderItems.map((i) => ({
      ...reprintItem(i, o),
      // Pass's screens show the structure themselves; `printNotes` is what a seeds/003 slip prints.
      notes: i.notes,
      printNotes: renderLineNotes(i, o),
      name: i.name,
      station: i.station,
      stations: lineStations(i),
      modifiers: i.modifiers.map((m) => ({
        ...m,
        options: m.options.map((opt) => ({ ...opt, priceDelta: formatMoney(opt.priceDelta) })),
      })),
      allergens: i.allergens,
      course: i.course,
      parts: o.parts
        .filter((p) => p.orderItemId === i.id)
        .map(({ orderItemId: _i, ...p }) => ({ ...p, ...(partDeadlines(p, o) ?? { warnAt: null, lateAt: null }) })),
    })),
  };
}

export type OrderDto = ReturnType<typeof toOrderDto>;

/** Where a line is cooked: its food's station, and any station an option is cooked at ("side of fries" → fryer). */
export function lineStations(i: OrderItemRecord): string[] {
  const out = new Set<string>(i.station ? [i.station] : []);
  for (const m of i.modifiers) for (const opt of m.options) if (opt.station) out.add(opt.station);
  return [...out];
}
