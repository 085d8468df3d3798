import "server-only";
import { EVENT_PAYLOAD_VERSION, type OrderEventPayload } from "./events";
import { type ExpressionBuilder, type Insertable, type Selectable, sql } from "kysely";
import {
  isPostgres,
  snapshotTransaction,
  type Database,
  type Db,
  type LinePartsTable,
  type OrderItemsTable,
  type OrdersTable,
  type PartnersTable,
  type PaymentsTable,
} from "../db";
import type { LinePart, PartState } from "./line-state";
import { newId } from "../db/ids";
import { actorOf, assertCan, assertPartnerVisible, canSetStatus, type Principal } from "../auth/access";
import { resolvePartnerScope } from "../auth/scope";
import { hashSecret, matchesTrackingToken, newSecret } from "../auth/secrets";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../errors";
import { type Emit, guestActor, mutate, settleSnapshotPosition, snapshotPosition, type Trx } from "../events";
import { enqueueJob, JOB_TASKS } from "../events/jobs";
import { businessDay, displayCode } from "./business-day";
import type { OrderItemRecord, OrderRecord } from "./dto";
import { INT4_MAX, assertTotalsFit, lineTotal, orderTotals } from "./money";
import { type PaymentRecord, type SettleInput, settle } from "./payments";
import { CART_STATUSES, canTransition, isCartStatus, OPEN_STATUSES, type OrderStatus } from "./status";
import type { ServiceType } from "./dto";
import { type DeclaredAllergies, isAllergen, needsAllergyAck, readAllergens, sortAllergens } from "../menu/allergens";
import { foodIdsOf, type LineInput, type PricedLine, priceFromMenu, readPartnerWithMenu, type StationPrep } from "../menu/pricing";
import { fireCourse } from "./line-state";
import { type CustomerContact, customerContact, matchOrCreateCustomer } from "./customers";

/** A line's prep target when neither its food nor its station sets one. */
export const DEFAULT_PREP_MINUTES = 10;

export type CreateOrderInput = {
  partner: string;
  table?: string | null;
  customer?: string | null;
  source?: string;
  priority?: "NORMAL" | "HIGH";
  items: LineInput[];
  /** How it is served; defaults to delivery for delivery orders, dine-in otherwise. */
  serviceType?: ServiceType;
  /** A scheduled order: when the guest expects it (ISO-8601), in the future. */
  promisedAt?: string | null;
  /** What the guest declared: EU allergen codes and their own words. */
  allergies?: { codes?: string[]; note?: string | null } | null;
  /** The guest's contact: either makes them the partner's customer (lib/orders/customers.ts). */
  customerPhone?: string | null;
  customerEmail?: string | null;
  /** May the partner write to them about offers; only with a phone or an email. */
  marketingConsent?: boolean;
};

/** Where an order may come from; anonymous callers (kiosk, QR) may only say kiosk or qr. */
export const ORDER_SOURCES = ["counter", "kiosk", "qr", "delivery", "api"] as const;
const ANONYMOUS_SOURCES = new Set(["kiosk", "qr"]);

// --- reading --------------------------------------------------------------------------------

/**
 * One placed order. A table's cart (status CREATED or EXPIRED, lib/orders/carts.ts) is not an
 * order yet: it is "not found" here, and so on every staff path that reads through this.
 */
export async function loadOrder(db: Db, id: number): Promise<OrderRecord | undefined> {
  // Order ids are int4 on PostgreSQL: a larger one is no order (not a database error).
  if (!Number.isSafeInteger(id) || id <= 0 || id > INT4_MAX) return undefined;
  if (isPostgres(db)) return loadOrderAtOnce(db, id);
  const row = await db.selectFrom("orders").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row || isCartStatus(row.status)) return undefined;
  const items = await db.selectFrom("orderItems").selectAll().where("orderId", "=", id).orderBy("position").execute();
  const parts = await db.selectFrom("lineParts").selectAll().where("orderId", "=", id).orderBy("position").orderBy("station").execute();
  const payments = await db.selectFrom("payments").selectAll().where("orderId", "=", id).orderBy("position").execute();
  return toRecord(row, items, parts, payments);
}

/**
 * PostgreSQL: the order and its lines, parts and payments in one round trip (each list a JSON
 * array of its rows, in the order the four reads above give). JSON carries int8 columns as numbers
 * where the driver gives strings; toRecord converts every number either way.
 */
async function loadOrderAtOnce(db: Db, id: number): Promise<OrderRecord | undefined> {
  type Row = Selectable<OrdersTable> & {
    _items: Selectable<OrderItemsTable>[];
    _parts: Selectable<LinePartsTable>[];
    _payments: Selectable<PaymentsTable>[];
  };
  const { rows } = await sql<Row>`
    select o.*,
      coalesce((select json_agg(i order by i."position") from "orderItems" i where i."orderId" = o.id), '[]'::json) as "_items",
      coalesce((select json_agg(p order by p."position", p."station") from "lineParts" p where p."orderId" = o.id), '[]'::json) as "_parts",
      coalesce((select json_agg(y order by y."position") from "payments" y where y."orderId" = o.id), '[]'::json) as "_payments"
    from "orders" o where o.id = ${id}`.execute(db);
  const row = rows[0];
  if (!row || isCartStatus(row.status)) return undefined;
  const { _items, _parts, _payments, ...order } = row;
  return toRecord(order, _items, _parts, _payments);
}

function toPart(p: Selectable<LinePartsTable>): LinePart {
  return {
    id: p.id,
    orderItemId: p.orderItemId,
    station: p.station,
    course: Number(p.course),
    state: p.state as PartState,
    firedAt: p.firedAt,
    startedAt: p.startedAt,
    startedBy: p.startedBy,
    doneAt: p.doneAt,
    doneBy: p.doneBy,
    targetMinutes: Number(p.targetMinutes ?? DEFAULT_PREP_MINUTES),
  };
}

const toPayment = (p: Selectable<PaymentsTable>): PaymentRecord => ({
  method: p.method,
  amount: Number(p.amount),
  tendered: p.tendered === null ? null : Number(p.tendered),
  change: p.change === null ? null : Number(p.change),
});

function toRecord(
  row: Selectable<OrdersTable>,
  items: Selectable<OrderItemsTable>[],
  parts: Selectable<LinePartsTable>[],
  payments: Selectable<PaymentsTable>[],
): OrderRecord {
  return {
    id: Number(row.id),
    partnerId: row.partnerId,
    businessDay: row.businessDay,
    displayCode: row.displayCode,
    ticketNumber: row.ticketNumber === null ? null : Number(row.ticketNumber),
    table: row.table,
    customer: row.customer,
    source: row.source,
    priority: row.priority as OrderRecord["priority"],
    status: row.status as OrderStatus,
    paymentMethod: row.paymentMethod,
    subTotal: Number(row.subTotal),
    discount: Number(row.discount),
    surcharge: Number(row.surcharge),
    total: Number(row.total),
    createdAt: row.createdAt,
    confirmedAt: row.confirmedAt,
    statusChangedAt: row.statusChangedAt,
    userId: row.userId,
    cashRegisterId: row.cashRegisterId,
    courierName: row.courierName,
    courierId: row.courierId ?? null,
    courierAssignedBy: (row.courierAssignedBy ?? null) as OrderRecord["courierAssignedBy"],
    cancelReason: row.cancelReason,
    kitchenAckAt: row.kitchenAckAt ?? null,
    kitchenAlertAt: row.kitchenAlertAt ?? null,
    courierLocation: row.courierLocation ? JSON.parse(row.courierLocation) : null,
    serviceType: (row.serviceType ?? "dine-in") as ServiceType,
    promisedAt: row.promisedAt ?? null,
    allergies: row.allergies ? (JSON.parse(row.allergies) as DeclaredAllergies) : null,
    allergyAlert: Boolean(row.allergyAlert),
    allergyAckAt: row.allergyAckAt ?? null,
    allergyAckBy: row.allergyAckBy ?? null,
    fireAt: row.fireAt ?? null,
    expoConfirms: Boolean(row.expoConfirms),
    expoBumpedAt: row.expoBumpedAt ?? null,
    warnPercent: Number(row.warnPercent ?? 100),
    latePercent: Number(row.latePercent ?? 150),
    parts: parts.map(toPart),
    payments: payments.map(toPayment),
    customerId: row.customerId === null || row.customerId === undefined ? null : Number(row.customerId),
    orderItems: items.map(
      (i): OrderItemRecord => ({
        id: i.id,
        orderId: Number(i.orderId),
        foodId: i.foodId,
        name: i.name,
        station: i.station,
        quantity: Number(i.quantity),
        unitPrice: Number(i.unitPrice),
        unitSurcharge: Number(i.unitSurcharge),
        total: Number(i.total),
        notes: i.notes,
        modifiers: i.modifiers ? JSON.parse(i.modifiers) : [],
        allergens: readAllergens(i.allergens),
        course: Number(i.course ?? 1),
      }),
    ),
  };
}

/** One order for a principal; another partner's order is "not found". */
export async function getOrder({ db, principal, id }: { db: Db; principal: Principal; id: number }): Promise<OrderRecord> {
  assertCan(principal, "orders:read");
  const order = await loadOrder(db, id);
  if (!order) throw new NotFoundError("order");
  assertPartnerVisible(principal, order.partnerId, "order");
  return order;
}

/** One order for the customer holding its tracking token (from order creation). */
export async function getOrderByTrackingToken({ db, id, trackingToken }: { db: Db; id: number; trackingToken: string }) {
  const order = await loadOrder(db, id);
  if (!order || !(await tokenFollowsOrder(db, id, trackingToken))) throw new NotFoundError("order");
  return order;
}

/**
 * Whether a guest's token follows order `id`: its tracking token, or the cart token of any phone
 * that built it at the table (lib/orders/carts.ts), so every phone gets the track link.
 */
export async function tokenFollowsOrder(db: Db, id: number, token: string): Promise<boolean> {
  if (!Number.isSafeInteger(id) || id <= 0 || token.length > 200) return false;
  const hash = hashSecret(token);
  if (token.startsWith("cart_")) {
    const member = await db
      .selectFrom("cartMembers")
      .select("id")
      .where("orderId", "=", id)
      .where("tokenHash", "=", hash)
      .executeTakeFirst();
    return member !== undefined;
  }
  const row = await db.selectFrom("orders").select("trackingTokenHash").where("id", "=", id).executeTakeFirst();
  // The guest's own token, or the receipt's (lib/printing prints one derived from the stored hash).
  return matchesTrackingToken(token, row?.trackingTokenHash);
}

/**
 * Orders of the principal's partner(s), with the log position the list reflects. Both are read
 * in one snapshot (REPEATABLE READ on PostgreSQL; SQLite transactions are snapshots), so a
 * screen that subscribes from `lastEventId` sees every later change exactly once.
 */
/**
 * How many finished orders (picked up, delivered, cancelled) a list carries at most, newest
 * first; orders still in service are always all there (docs/contracts.md "REST surfaces").
 */
export const FINISHED_ORDERS_LISTED = 2_000;
/** A bound on the orders in service one list carries (a restaurant never has this many open). */
export const OPEN_ORDERS_LISTED = 20_000;

export async function listOrders({
  db,
  principal,
  statuses,
  since,
  partnerSlug,
  finishedLimit = FINISHED_ORDERS_LISTED,
}: {
  db: Db;
  principal: Principal;
  statuses?: readonly OrderStatus[];
  since?: string;
  /** `?partner=`: narrows an admin's list; another partner's slug is 404 (resolvePartnerScope). */
  partnerSlug?: string | null;
  finishedLimit?: number;
}): Promise<{ orders: OrderRecord[]; lastEventId: number; epoch: string; truncated: boolean }> {
  assertCan(principal, "orders:read");
  const scope = await resolvePartnerScope({ db, principal, partnerSlug });
  for (let attempt = 0; ; attempt++) {
    const { orders, truncated, position } = await listSnapshot({ db, scope, statuses, since, finishedLimit });
    const settled = await settleSnapshotPosition({ db, position, partnerId: scope, attempt });
    if (settled) return { orders, truncated, ...settled };
  }
}

async function listSnapshot({
  db,
  scope,
  statuses,
  since,
  finishedLimit,
}: {
  db: Db;
  scope: string | null;
  statuses?: readonly OrderStatus[];
  since?: string;
  finishedLimit: number;
}): Promise<{ orders: OrderRecord[]; truncated: boolean; position: Awaited<ReturnType<typeof snapshotPosition>> }> {
  return snapshotTransaction(db, async (trx) => {
    // Carts being built (or abandoned) are not orders yet.
    let q = trx.selectFrom("orders").selectAll().where("status", "not in", CART_STATUSES);
    if (scope !== null) q = q.where("partnerId", "=", scope);
    if (statuses && statuses.length > 0) q = q.where("status", "in", statuses);
    q = q.where("createdAt", ">=", since ?? new Date(Date.now() - 24 * 3_600_000).toISOString());
    // In service: open, or a delivery on its way. A screen reloaded in a long, busy day must get
    // every one of them (a silent cap once dropped the newest orders); of the finished ones it
    // gets the newest `finishedLimit`, and `truncated` says older ones were left out.
    const inService = (eb: ExpressionBuilder<Database, "orders">) =>
      eb.or([eb("status", "in", OPEN_STATUSES), eb.and([eb("status", "=", "PICKED_UP"), eb("source", "=", "delivery")])]);
    const open = await q.where(inService).orderBy("id", "asc").limit(OPEN_ORDERS_LISTED).execute();
    const finished = await q
      .where((eb) => eb.not(inService(eb)))
      .orderBy("id", "desc")
      .limit(finishedLimit + 1)
      .execute();
    const truncated = finished.length > finishedLimit || open.length >= OPEN_ORDERS_LISTED;
    const rows = [...open, ...finished.slice(0, finishedLimit)].sort((a, b) => Number(a.id) - Number(b.id));
    const ids = rows.map((r) => Number(r.id));
    const items = ids.length
      ? await trx.selectFrom("orderItems").selectAll().where("orderId", "in", ids).orderBy("orderId").orderBy("position").execute()
      : [];
    const parts = ids.length
      ? await trx
          .selectFrom("lineParts")
          .selectAll()
          .where("orderId", "in", ids)
          .orderBy("orderId")
          .orderBy("position")
          .orderBy("station")
          .execute()
      : [];
    const payments = ids.length
      ? await trx.selectFrom("payments").selectAll().where("orderId", "in", ids).orderBy("orderId").orderBy("position").execute()
      : [];
    const byOrder = groupBy(items, (i) => Number(i.orderId));
    const partsOf = groupBy(parts, (p) => Number(p.orderId));
    const paymentsOf = groupBy(payments, (p) => Number(p.orderId));
    const position = await snapshotPosition({ db: trx, partnerId: scope });
    const record = (r: Selectable<OrdersTable>) =>
      toRecord(r, byOrder.get(Number(r.id)) ?? [], partsOf.get(Number(r.id)) ?? [], paymentsOf.get(Number(r.id)) ?? []);
    return { orders: rows.map(record), truncated, position };
  });
}

/** loadOrder's orders, for rows a write returned: lines by position, parts by position then station. */
const byPosition = (a: { position: number }, b: { position: number }) => Number(a.position) - Number(b.position);
const byPositionThenStation = (a: { position: number; station: string }, b: { position: number; station: string }) =>
  byPosition(a, b) || (a.station < b.station ? -1 : a.station > b.station ? 1 : 0);
function sortRows<T>(rows: readonly T[], order: (a: T, b: T) => number): T[] {
  return [...rows].sort(order);
}

/**
 * The order as loadOrder would read it after a change in this transaction: the row the update
 * returned, the lines as they were, the parts with the changed ones replaced (issue 18 item 2).
 */
function afterChange(
  before: OrderRecord,
  row: Selectable<OrdersTable>,
  { parts = [], payments = before.payments }: { parts?: readonly LinePart[]; payments?: readonly PaymentRecord[] },
): OrderRecord {
  const changed = new Map(parts.map((p) => [p.id, p]));
  return {
    ...toRecord(row, [], [], []),
    orderItems: before.orderItems,
    parts: before.parts.map((p) => changed.get(p.id) ?? p),
    payments: [...payments],
  };
}

function groupBy<T>(rows: readonly T[], key: (row: T) => number): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

// --- creating -------------------------------------------------------------------------------

export async function createOrder({
  db,
  principal,
  input,
  now = new Date(),
}: {
  db: Db;
  principal: Principal | null;
  input: CreateOrderInput;
  now?: Date;
}): Promise<{ order: OrderRecord; trackingToken: string }> {
  if (principal) assertCan(principal, "orders:create");
  const placement = await planPlacement({ db, principal, input, now });
  const trackingToken = newSecret("trk_");
  const actor = principal ? actorOf(principal) : guestActor(input.customer?.trim() || null);
  const created = await mutate(db, actor, (trx, emit) => writePlacement(trx, emit, placement, { trackingToken }));
  return { order: created, trackingToken };
}

/**
 * Everything a placed order is checked against and computed from, whether it arrives whole
 * (POST /api/orders) or is a table's cart being submitted (lib/orders/carts.ts): one path, so
 * what follows a placed order (allergy alert, service type, scheduling, expo and colour settings,
 * the `order.created` every staff screen and auto-confirmation reads) is the same for both.
 */
export type Placement = {
  partner: Selectable<PartnersTable>;
  input: CreateOrderInput;
  source: string;
  lines: PricedLine[];
  /** Each ordered food's own prep target (null: its station's default), read with the prices. */
  foodPrepMinutes: ReadonlyMap<string, number | null>;
  /** The partner's stations' own prep targets, read with the menu. */
  stationPrep: StationPrep;
  allergies: DeclaredAllergies | null;
  serviceType: ServiceType;
  promisedAt: string | null;
  totals: ReturnType<typeof orderTotals>;
  day: string;
  createdAt: string;
  /** Who the guest is, when they gave a phone or an email (matched or created when it is written). */
  customer: CustomerContact | null;
};

export async function planPlacement({
  db,
  principal,
  input,
  now,
}: {
  db: Db | Trx;
  principal: Principal | null;
  input: CreateOrderInput;
  now: Date;
}): Promise<Placement> {
  const read = await readPartnerWithMenu(db, input.partner, foodIdsOf(input.items));
  if (!read) throw new NotFoundError("partner", { field: "partner" });
  const { partner, stationPrep } = read;
  // Another partner's slug answers exactly like an unknown one.
  if (principal) assertPartnerVisible(principal, partner.id, "partner", { field: "partner" });

  const source = input.source ?? (principal ? (principal.kind === "token" ? "api" : "counter") : "qr");
  if (!principal && !ANONYMOUS_SOURCES.has(source)) {
    throw new ValidationError("source", "a customer order comes from 'kiosk' or 'qr'");
  }
  if (!principal && input.priority === "HIGH") throw new ValidationError("priority", "only staff may mark an order HIGH");

  const { lines, prepMinutes: foodPrepMinutes } = priceFromMenu(read.menu, input.items);
  const allergies = declaredAllergies(input.allergies);
  const serviceType: ServiceType = input.serviceType ?? (source === "delivery" ? "delivery" : "dine-in");
  let promisedAt: string | null = null;
  if (input.promisedAt) {
    const at = Date.parse(input.promisedAt);
    if (Number.isNaN(at)) throw new ValidationError("promisedAt", "must be an ISO-8601 date and time");
    if (at < now.getTime() - 60_000) throw new ValidationError("promisedAt", "must not be in the past");
    if (at > now.getTime() + 14 * 86_400_000) throw new ValidationError("promisedAt", "must be within 14 days");
    promisedAt = new Date(at).toISOString();
  }
  const totals = orderTotals({ items: lines, discount: 0 });
  assertTotalsFit(totals);
  const day = businessDay({ at: now, timezone: partner.timezone, cutoverHour: partner.cutoverHour });
  // A national phone number is read in the restaurant's country (its locale's region).
  const customer = customerContact(input, { locale: partner.locale });
  return {
    partner,
    input,
    source,
    lines,
    foodPrepMinutes,
    stationPrep,
    allergies,
    serviceType,
    promisedAt,
    totals,
    day,
    createdAt: now.toISOString(),
    customer,
  };
}

/**
 * Writes a planned order and its `order.created` in the caller's transaction. A cart (`cart`)
 * becomes the order in place: its row turns PENDING (only if it is still CREATED) and its lines
 * are written again as priced now, keeping their ids (the ids its events named) and who added them.
 */
export async function writePlacement(
  trx: Trx,
  emit: Emit,
  p: Placement,
  {
    trackingToken,
    cart,
  }: {
    trackingToken: string;
    cart?: { id: number; itemIds: string[]; addedBy: (string | null)[]; submitted: NonNullable<OrderEventPayload["submitted"]> };
  },
): Promise<OrderRecord> {
  const { partner, input, lines, allergies, promisedAt, createdAt } = p;
  const ordinal = await nextDayCounter(trx, { partnerId: partner.id, businessDay: p.day, kind: "display" });
  // Before the order row (it points at the customer): its customer.* event precedes order.created.
  const customerId = p.customer
    ? await matchOrCreateCustomer(trx, emit, { partnerId: partner.id, contact: p.customer, at: createdAt })
    : null;
  const values = {
    partnerId: partner.id,
    businessDay: p.day,
    dayOrdinal: ordinal,
    displayCode: displayCode(ordinal),
    ticketNumber: null,
    table: input.table?.trim() || null,
    customer: input.customer?.trim() || null,
    source: p.source,
    priority: input.priority ?? "NORMAL",
    status: "PENDING",
    paymentMethod: null,
    ...p.totals,
    createdAt,
    confirmedAt: null,
    statusChangedAt: createdAt,
    userId: null,
    cashRegisterId: null,
    courierName: null,
    cancelReason: null,
    trackingTokenHash: hashSecret(trackingToken),
    serviceType: p.serviceType,
    promisedAt,
    allergies: allergies ? JSON.stringify(allergies) : null,
    allergyAlert: needsAllergyAck({ allergies, notes: lines.map((l) => l.notes) }) ? 1 : 0,
    expoConfirms: Number(partner.expoConfirms ?? 0),
    warnPercent: Number(partner.warnPercent ?? 100),
    latePercent: Number(partner.latePercent ?? 150),
    fireAt: promisedAt ? fireTimeFor(p, promisedAt) : null,
    customerId,
  };
  // Every write returns its rows, so the order is not read back (issue 18 item 2).
  let row: Selectable<OrdersTable>;
  if (cart) {
    const updated = await trx
      .updateTable("orders")
      .set(values)
      .where("id", "=", cart.id)
      .where("status", "=", "CREATED")
      .returningAll()
      .executeTakeFirst();
    if (!updated) throw new ConflictError("the cart is no longer open", { field: "cart" });
    row = updated;
    await trx.deleteFrom("orderItems").where("orderId", "=", cart.id).execute();
  } else {
    row = await trx.insertInto("orders").values(values).returningAll().executeTakeFirstOrThrow();
  }
  const id = Number(row.id);
  let items: Selectable<OrderItemsTable>[] = [];
  let parts: Selectable<LinePartsTable>[] = [];
  if (lines.length > 0) {
    const itemRows = lines.map(({ modifiers, allergens, ...l }, position) => ({
      id: cart?.itemIds[position] ?? newId(),
      orderId: id,
      position,
      ...l,
      modifiers: JSON.stringify(modifiers),
      allergens: JSON.stringify(allergens),
      total: lineTotal(l),
      ...(cart ? { addedBy: cart.addedBy[position] ?? null } : {}),
    }));
    const partRows = partRowsOf(p, id, itemRows);
    ({ items, parts } = await insertLines(trx, itemRows, partRows));
  }
  const order = toRecord(row, sortRows(items, byPosition), sortRows(parts, byPositionThenStation), []);
  await emit({
    version: EVENT_PAYLOAD_VERSION,
    partnerId: partner.id,
    type: "order.created",
    orderId: id,
    payload: cart ? { order, submitted: cart.submitted } : { order },
  });
  // A trusted source's order is confirmed by the job after the partner's delay (lib/orders/automation.ts).
  if (autoConfirms(partner, p.source)) {
    await enqueueJob(trx, {
      task: JOB_TASKS.autoConfirm,
      payload: { orderId: id, partnerId: partner.id },
      runAt: new Date(Date.parse(createdAt) + Number(partner.autoConfirmSeconds ?? 0) * 1000),
      jobKey: `auto_confirm:${id}`,
    });
  }
  return order;
}

/**
 * One part per line and station, HELD until the order is confirmed (lib/orders/line-state.ts):
 * the food's station, and each other station an option is cooked at ("side of fries" → fryer).
 */
function partRowsOf(p: Placement, orderId: number, items: readonly { id: string; position: number }[]) {
  const targets = prepTargets(p);
  return items.flatMap((item) => {
    const line = p.lines[Number(item.position)]!;
    const stations = new Set([line.station, ...line.modifiers.flatMap((m) => m.options.map((o) => o.station ?? line.station))]);
    return [...stations].map((station) => ({
      id: newId(),
      orderId,
      orderItemId: item.id,
      station,
      course: line.course,
      position: Number(item.position),
      state: "HELD",
      firedAt: null,
      startedAt: null,
      startedBy: null,
      doneAt: null,
      doneBy: null,
      // The dish's own target at its station; an option cooked elsewhere takes that station's default.
      targetMinutes: station === line.station ? targets.line(line) : targets.station(station),
    }));
  });
}

/**
 * An order's lines and their parts, as written. PostgreSQL: one statement (both inserts as
 * CTEs, their rows back as JSON arrays; toRecord converts every number either way).
 */
async function insertLines(
  trx: Trx,
  itemRows: Insertable<OrderItemsTable>[],
  partRows: Insertable<LinePartsTable>[],
): Promise<{ items: Selectable<OrderItemsTable>[]; parts: Selectable<LinePartsTable>[] }> {
  if (!isPostgres(trx)) {
    const items = await trx.insertInto("orderItems").values(itemRows).returningAll().execute();
    const parts = partRows.length ? await trx.insertInto("lineParts").values(partRows).returningAll().execute() : [];
    return { items, parts };
  }
  const written = await trx
    .with("i", (db) => db.insertInto("orderItems").values(itemRows).returningAll())
    .with("p", (db) => db.insertInto("lineParts").values(partRows).returningAll())
    .selectNoFrom([
      sql<Selectable<OrderItemsTable>[]>`(select coalesce(json_agg(i), '[]'::json) from i)`.as("items"),
      sql<Selectable<LinePartsTable>[]>`(select coalesce(json_agg(p), '[]'::json) from p)`.as("parts"),
    ])
    .executeTakeFirstOrThrow();
  return written;
}

/** Prep targets: a food's, else its station's default, else DEFAULT_PREP_MINUTES. */
function prepTargets(p: Placement) {
  const station = (key: string) => p.stationPrep.get(key) ?? DEFAULT_PREP_MINUTES;
  return { station, line: (l: PricedLine) => p.foodPrepMinutes.get(l.foodId) ?? station(l.station) };
}

/** A scheduled order fires so that its slowest line is done at promisedAt. */
function fireTimeFor(p: Placement, promisedAt: string): string {
  const targets = prepTargets(p);
  const longest = Math.max(...p.lines.map(targets.line));
  return new Date(Date.parse(promisedAt) - longest * 60_000).toISOString();
}

/** The guest's declaration, normalised: known codes in the EU order, their own words trimmed; nothing → null. */
function declaredAllergies(input: CreateOrderInput["allergies"]): DeclaredAllergies | null {
  if (!input) return null;
  (input.codes ?? []).forEach((c, i) => {
    if (!isAllergen(c)) throw new ValidationError(`allergies.codes.${i}`, `unknown allergen '${c}' (one of the EU 14)`);
  });
  const codes = sortAllergens(input.codes ?? []);
  const note = input.note?.trim() || null;
  return codes.length > 0 || note ? { codes, note } : null;
}

/**
 * The next value of a per-partner, per-business-day counter. The upsert locks the counter row
 * until commit, so concurrent confirms on PostgreSQL queue up instead of sharing a number.
 */
async function nextDayCounter(trx: Trx, key: { partnerId: string; businessDay: string; kind: "display" | "ticket" }) {
  const row = await trx
    .insertInto("dayCounters")
    .values({ ...key, value: 1 })
    .onConflict((oc) => oc.columns(["partnerId", "businessDay", "kind"]).doUpdateSet((eb) => ({ value: eb("dayCounters.value", "+", 1) })))
    .returning("value")
    .executeTakeFirstOrThrow();
  return Number(row.value);
}

// --- lifecycle ------------------------------------------------------------------------------

/** docs/contracts.md "Confirm": the discount, how it is paid (one method or a split) and cash tendered (lib/orders/payments.ts). */
export type ConfirmInput = SettleInput & { cashRegisterId?: string | null };

export async function confirmOrder({
  db,
  principal,
  id,
  input,
  now = new Date(),
}: {
  db: Db;
  principal: Principal;
  id: number;
  input: ConfirmInput;
  now?: Date;
}): Promise<OrderRecord> {
  assertCan(principal, "orders:confirm");
  return mutate(db, actorOf(principal), async (trx, emit) => {
    const order = await visibleOrder(trx, principal, id);
    return confirmInTrx(trx, emit, order, { input, userId: principal.kind === "user" ? principal.userId : null, now });
  });
}

/**
 * The one confirm: the cashier's (above) and the auto-confirm job's (lib/orders/automation.ts).
 * The status moves by a conditional update, so of two confirms (a person and the job, two nodes)
 * exactly one wins; the other throws a ConflictError and its transaction, ticket number included,
 * rolls back.
 */
export async function confirmInTrx(
  trx: Trx,
  emit: Emit,
  order: OrderRecord,
  { input, userId, now }: { input: ConfirmInput; userId: string | null; now: Date },
): Promise<OrderRecord> {
  const id = order.id;
  // Discount, payments, tendered: a 400 naming the field (a bad request whatever the order's state).
  const bill = settle(order, input);
  if (order.status !== "PENDING") throw illegal(order, "CONFIRMED");
  const ticketNumber = await nextDayCounter(trx, { partnerId: order.partnerId, businessDay: order.businessDay, kind: "ticket" });
  const at = now.toISOString();
  // Course 1 fires at confirmation; a scheduled order waits for its fire time (lib/orders/stations.ts fireDue).
  const fires = !order.fireAt || Date.parse(order.fireAt) <= now.getTime();
  const row = await trx
    .updateTable("orders")
    .set({
      status: "CONFIRMED",
      ticketNumber,
      paymentMethod: bill.paymentMethod,
      discount: bill.discount,
      total: bill.total,
      cashRegisterId: input.cashRegisterId ?? null,
      userId,
      confirmedAt: at,
      statusChangedAt: at,
      ...(fires && order.fireAt ? { fireAt: null } : {}),
    })
    .where("id", "=", id)
    .where("status", "=", "PENDING")
    .returningAll()
    .executeTakeFirst();
  // Someone else confirmed or cancelled it between our read and our write.
  if (!row) throw illegal((await loadOrder(trx, id))!, "CONFIRMED");
  const payments = await trx
    .insertInto("payments")
    .values(bill.payments.map((p, position) => ({ orderId: id, position, ...p, createdAt: at })))
    .returningAll()
    .execute();
  const fired = fires ? fireCourse(order.parts, "all", at) : { parts: [], changed: [] };
  await writeParts(trx, fired);
  const confirmed = afterChange(order, row, { parts: fired.parts, payments: sortRows(payments, byPosition).map(toPayment) });
  await emit({
    version: EVENT_PAYLOAD_VERSION,
    partnerId: order.partnerId,
    type: "order.confirmed",
    orderId: id,
    payload: { order: confirmed },
  });
  return confirmed;
}

export async function changeStatus({
  db,
  principal,
  id,
  status,
  reason,
  now = new Date(),
}: {
  db: Db;
  principal: Principal;
  id: number;
  status: OrderStatus;
  reason?: string | null;
  now?: Date;
}): Promise<OrderRecord> {
  if (status === "CANCELLED") assertCan(principal, "orders:cancel");
  else if (!canSetStatus(principal, status)) throw new ForbiddenError(`not allowed to set status ${status}`);
  if (status === "CONFIRMED") throw new ValidationError("status", "use POST /api/orders/{id}/confirm to confirm an order");
  if (status === "PENDING") throw new ValidationError("status", "an order cannot go back to PENDING");
  const cancelReason = reason?.trim() || null;
  if (status === "CANCELLED" && !cancelReason) throw new ValidationError("reason", "a cancellation needs a reason");

  return mutate(db, actorOf(principal), async (trx, emit) => {
    const order = await visibleOrder(trx, principal, id);
    const who = principal.kind === "user" ? principal.username : principal.name;
    return transitionInTrx(trx, emit, order, { status, cancelReason, who, now });
  });
}

/**
 * Every status change but the confirm: a person's (above) and the auto-cancel job's
 * (lib/orders/automation.ts). A conditional update on the status it read: of two changes, one wins.
 */
export async function transitionInTrx(
  trx: Trx,
  emit: Emit,
  order: OrderRecord,
  { status, cancelReason, who, now }: { status: OrderStatus; cancelReason: string | null; who: string; now: Date },
): Promise<OrderRecord> {
  const id = order.id;
  if (!canTransition({ from: order.status, to: status, source: order.source })) throw illegal(order, status);
  // An allergy ticket is bumped only after someone in the kitchen tapped "allergy seen".
  if (status === "READY" && order.allergyAlert && !order.allergyAckAt) {
    throw new ConflictError("acknowledge the allergy before bumping this order", {
      status: order.status,
      requested: status,
      allergy: true,
    });
  }
  const row = await trx
    .updateTable("orders")
    .set({
      status,
      statusChangedAt: now.toISOString(),
      ...(status === "CANCELLED" ? { cancelReason } : {}),
    })
    .where("id", "=", id)
    .where("status", "=", order.status)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw illegal((await loadOrder(trx, id))!, status);
  // Whole-order moves (expo's force, the pre-station screens) carry the lines along.
  const at = now.toISOString();
  let moved: LinePart[] = [];
  if (status === "READY") {
    moved = order.parts
      .filter((p) => p.state !== "DONE")
      .map((p) => ({ ...p, state: "DONE" as const, firedAt: p.firedAt ?? at, doneAt: at, doneBy: who }));
  } else if (status === "PREPARING" && order.status === "CONFIRMED") {
    moved = order.parts
      .filter((p) => p.state === "QUEUED")
      .map((p) => ({ ...p, state: "STARTED" as const, startedAt: at, startedBy: who }));
  } else if (status === "PREPARING" && order.status === "READY") {
    moved = order.parts.map((p) => ({ ...p, state: "STARTED" as const, doneAt: null, doneBy: null }));
  }
  await writeParts(trx, { parts: moved, changed: moved.map((p) => p.id) });
  if (status === "READY") await enqueueAutoAssign(trx, order);
  const changed = afterChange(order, row, { parts: moved });
  await emit({
    version: EVENT_PAYLOAD_VERSION,
    partnerId: order.partnerId,
    type: "order.status",
    orderId: id,
    payload: { order: changed, from: order.status, to: status, reason: cancelReason },
  });
  return changed;
}

export async function reprintOrder({
  db,
  principal,
  id,
  orderItemIds,
  receipt,
}: {
  db: Db;
  principal: Principal;
  id: number;
  orderItemIds: readonly string[];
  receipt: boolean;
}): Promise<{ order: OrderRecord; orderItemIds: string[]; receipt: boolean }> {
  assertCan(principal, "orders:reprint");
  if (orderItemIds.length === 0 && !receipt) {
    throw new ValidationError("orderItemIds", "choose at least one item or the receipt");
  }
  return mutate(db, actorOf(principal), async (trx, emit) => {
    const order = await visibleOrder(trx, principal, id);
    if (order.status === "PENDING" || order.status === "CANCELLED") {
      throw new ConflictError(`a ${order.status} order cannot be reprinted`, { status: order.status });
    }
    const known = new Set(order.orderItems.map((i) => i.id));
    orderItemIds.forEach((itemId, index) => {
      if (!known.has(itemId)) throw new ValidationError(`orderItemIds.${index}`, "not an item of this order");
    });
    const ids = [...new Set(orderItemIds)];
    await emit({
      version: EVENT_PAYLOAD_VERSION,
      partnerId: order.partnerId,
      type: "order.reprinted",
      orderId: id,
      payload: { order, reprint: { orderItemIds: ids, receipt } },
    });
    return { order, orderItemIds: ids, receipt };
  });
}

/**
 * The kitchen's tap on an allergy ticket (issue "The menu" item 7): stamps who saw it and when.
 * It also counts as the kitchen having seen the ticket — a heartbeat does not, for these — so an
 * allergy ticket nobody tapped raises the "not seen by kitchen" alarm. A second tap changes nothing.
 */
export async function acknowledgeAllergy({
  db,
  principal,
  id,
  now = new Date(),
}: {
  db: Db;
  principal: Principal;
  id: number;
  now?: Date;
}): Promise<OrderRecord> {
  assertCan(principal, "orders:allergy-ack");
  return mutate(db, actorOf(principal), async (trx, emit) => {
    const order = await visibleOrder(trx, principal, id);
    if (!order.allergyAlert) throw new ConflictError("this order declares no allergy", { status: order.status, allergy: false });
    if (order.allergyAckAt) return order;
    if (order.status === "PENDING" || order.status === "CANCELLED")
      throw new ConflictError(`a ${order.status} order is not in the kitchen`, { status: order.status });
    const at = now.toISOString();
    const who = principal.kind === "user" ? principal.username : principal.name;
    await trx
      .updateTable("orders")
      .set((eb) => ({ allergyAckAt: at, allergyAckBy: who, kitchenAckAt: eb.fn.coalesce("kitchenAckAt", eb.val(at)) }))
      .where("id", "=", id)
      .where("allergyAckAt", "is", null)
      .execute();
    const updated = (await loadOrder(trx, id))!;
    await emit({
      version: EVENT_PAYLOAD_VERSION,
      partnerId: order.partnerId,
      type: "order.allergy-acknowledged",
      orderId: id,
      payload: { order: updated },
    });
    return updated;
  });
}

/**
 * In the READY transition's transaction (lib/orders/service.ts transitionInTrx): a delivery with
 * no courier at a partner with active couriers gets its rider:auto_assign job, one per order.
 */
export async function enqueueAutoAssign(trx: Trx, order: OrderRecord): Promise<void> {
  if (order.source !== "delivery" || order.courierId || order.courierName) return;
  const any = await trx
    .selectFrom("couriers")
    .select("id")
    .where("partnerId", "=", order.partnerId)
    .where("active", "=", 1)
    .limit(1)
    .executeTakeFirst();
  if (!any) return;
  await enqueueJob(trx, { task: JOB_TASKS.autoAssign, payload: { orderId: order.id }, jobKey: `rider:auto_assign:${order.id}` });
}

/**
 * Writes the parts a plan changed (lib/orders/line-state.ts): one statement per distinct new
 * state, as a plan usually moves several parts the same way (a course fires, a station bumps).
 */
export async function writeParts(trx: Trx, { parts, changed }: { parts: readonly LinePart[]; changed: readonly string[] }) {
  const ids = new Set(changed);
  const writes = new Map<
    string,
    { set: Pick<LinePart, "state" | "firedAt" | "startedAt" | "startedBy" | "doneAt" | "doneBy">; ids: string[] }
  >();
  for (const p of parts) {
    if (!ids.has(p.id)) continue;
    const set = { state: p.state, firedAt: p.firedAt, startedAt: p.startedAt, startedBy: p.startedBy, doneAt: p.doneAt, doneBy: p.doneBy };
    const key = JSON.stringify(set);
    const write = writes.get(key);
    if (write) write.ids.push(p.id);
    else writes.set(key, { set, ids: [p.id] });
  }
  for (const { set, ids: partIds } of writes.values()) {
    await trx.updateTable("lineParts").set(set).where("id", "in", partIds).execute();
  }
}

export async function visibleOrder(trx: Trx, principal: Principal, id: number): Promise<OrderRecord> {
  const order = await loadOrder(trx, id);
  if (!order) throw new NotFoundError("order");
  assertPartnerVisible(principal, order.partnerId, "order");
  return order;
}

/** Whether the partner trusts this source's orders to be confirmed without the cashier. */
export function autoConfirms(partner: { autoConfirmSources: string }, source: string): boolean {
  try {
    const sources = JSON.parse(partner.autoConfirmSources) as unknown;
    return Array.isArray(sources) && sources.includes(source);
  } catch {
    return false;
  }
}

export function illegal(order: OrderRecord, to: string): ConflictError {
  return new ConflictError(`cannot change a ${order.status} order to ${to}`, { status: order.status, requested: to });
}

// --- helpers shared with other lib modules ---------------------------------------------------
