import "server-only";
import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js";
import type { Selectable } from "kysely";
import { actorOf, assertCan, assertPartnerVisible, partnerScope, type Principal } from "../auth/access";
import { createDeviceToken } from "../auth/service";
import { revokeDeviceToken } from "../auth/revocation";
import type { CouriersTable, Db } from "../db";
import { newId } from "../db/ids";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../errors";
import { BOUNDS, name as nameSchema, parseField } from "../fields";
import { type Emit, mutate, systemActor, type Trx } from "../events";
import { enqueueJob, JOB_TASKS } from "../events/jobs";
import type { OrderRecord } from "./dto";
import { EVENT_PAYLOAD_VERSION } from "./events";
import { loadOrder, transitionInTrx, visibleOrder } from "./service";

/**
 * A partner's couriers (issue "Jobs and notifications" item 3). Operators keep the roster (name,
 * E.164 phone, active); a courier signs their phone in with a device token of role "courier"
 * (lib/auth: the same table, hashing, revocation and cookie as a paired screen), sees their own
 * deliveries on /courier, marks them picked up / delivered, says whether they are available and
 * reports where they are over /ws.
 *
 * rider:auto_assign (lib/jobs/tasks.ts) is enqueued in the transaction that turns a delivery READY
 * while it has no courier and the partner has active couriers; it picks the nearest available
 * courier to the restaurant by their last position, or the one assigned longest ago when no
 * position is known, and writes it with a conditional update that only fills an empty courier —
 * so it happens once across nodes and retries, and a person's choice (before or after) wins.
 */

export type CourierRecord = {
  id: string;
  partnerId: string;
  name: string;
  phone: string;
  active: boolean;
  available: boolean;
  lastLocation: { lat: number; lng: number; at: string } | null;
  lastAssignedAt: string | null;
  /** Whether a phone is signed in (a live courier token). */
  signedIn: boolean;
  createdAt: string;
  updatedAt: string;
};

/** A position older than this does not say where the courier is now: rider:auto_assign ignores it. */
export const COURIER_LOCATION_FRESH_MS = 30 * 60_000;

const toCourier = (row: Selectable<CouriersTable>, signedIn = row.tokenId !== null): CourierRecord => ({
  id: row.id,
  partnerId: row.partnerId,
  name: row.name,
  phone: row.phone,
  active: Boolean(Number(row.active)),
  available: Boolean(Number(row.available)),
  lastLocation:
    row.lastLat === null || row.lastLng === null || !row.lastLocationAt
      ? null
      : { lat: Number(row.lastLat), lng: Number(row.lastLng), at: row.lastLocationAt },
  lastAssignedAt: row.lastAssignedAt,
  signedIn,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

/** A phone as libphonenumber-js reads it (a national number in the restaurant's country), E.164; else 400 naming the field. */
export function parseCourierPhone(value: unknown, { locale, field = "phone" }: { locale: string; field?: string }): string {
  if (typeof value !== "string" || value.trim() === "") throw new ValidationError(field, "must be a phone number");
  const region = locale.split("-")[1];
  const defaultCountry = region && /^[A-Z]{2}$/.test(region) ? (region as CountryCode) : undefined;
  const parsed = parsePhoneNumberFromString(value.trim(), defaultCountry ? { defaultCountry } : undefined);
  if (!parsed?.isValid())
    throw new ValidationError(field, "is not a valid phone number (use the international form, e.g. +44 20 7946 0958)");
  return parsed.number;
}

const parseName = (value: unknown) => parseField(nameSchema(BOUNDS.courierName), "name", value);

function parseBool(field: string, value: unknown): boolean {
  if (typeof value !== "boolean") throw new ValidationError(field, "must be true or false");
  return value;
}

async function partnerOf(db: Db, principal: Principal, slug: string) {
  const row = await db.selectFrom("partners").select(["id", "locale"]).where("slug", "=", slug).executeTakeFirst();
  const scope = partnerScope(principal);
  if (!row || (scope !== null && scope !== row.id)) throw new NotFoundError("partner", { field: "partner" });
  return row;
}

async function liveTokenIds(db: Db, rows: readonly Selectable<CouriersTable>[]): Promise<Set<string>> {
  const ids = rows.map((r) => r.tokenId).filter((id): id is string => id !== null);
  if (ids.length === 0) return new Set();
  const live = await db.selectFrom("deviceTokens").select("id").where("id", "in", ids).where("revokedAt", "is", null).execute();
  return new Set(live.map((r) => r.id));
}

// --- the roster (operators) ------------------------------------------------------------------

export async function listCouriers({
  db,
  principal,
  partner,
}: {
  db: Db;
  principal: Principal;
  partner: string;
}): Promise<CourierRecord[]> {
  assertCan(principal, "couriers:manage");
  const p = await partnerOf(db, principal, partner);
  const rows = await db.selectFrom("couriers").selectAll().where("partnerId", "=", p.id).orderBy("name").orderBy("id").execute();
  const live = await liveTokenIds(db, rows);
  return rows.map((r) => toCourier(r, r.tokenId !== null && live.has(r.tokenId)));
}

export type CourierInput = { name: string; phone: string; active?: boolean; available?: boolean };

export async function createCourier({
  db,
  principal,
  partner,
  input,
  now = new Date(),
}: {
  db: Db;
  principal: Principal;
  partner: string;
  input: CourierInput;
  now?: Date;
}): Promise<CourierRecord> {
  assertCan(principal, "couriers:manage");
  const p = await partnerOf(db, principal, partner);
  const name = parseName(input.name);
  const phone = parseCourierPhone(input.phone, { locale: p.locale });
  const active = input.active === undefined ? true : parseBool("active", input.active);
  const available = input.available === undefined ? false : parseBool("available", input.available);
  const taken = await db.selectFrom("couriers").select("id").where("partnerId", "=", p.id).where("phone", "=", phone).executeTakeFirst();
  if (taken) throw new ValidationError("phone", "another courier of this restaurant has this phone number");
  const at = now.toISOString();
  const row = {
    id: newId(),
    partnerId: p.id,
    name,
    phone,
    active: active ? 1 : 0,
    available: available ? 1 : 0,
    lastLat: null,
    lastLng: null,
    lastLocationAt: null,
    lastAssignedAt: null,
    tokenId: null,
    createdAt: at,
    updatedAt: at,
  };
  await db.insertInto("couriers").values(row).execute();
  return toCourier(row);
}

/** A courier of the caller's partner (another partner's is 404 `courier`, as a missing one). */
async function visibleCourier(db: Db, principal: Principal, id: string): Promise<Selectable<CouriersTable>> {
  const row = await db.selectFrom("couriers").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw new NotFoundError("courier", { field: "id" });
  assertPartnerVisible(principal, row.partnerId, "courier", { field: "id" });
  return row;
}

export async function updateCourier({
  db,
  principal,
  id,
  input,
  now = new Date(),
}: {
  db: Db;
  principal: Principal;
  id: string;
  input: Partial<CourierInput>;
  now?: Date;
}): Promise<CourierRecord> {
  assertCan(principal, "couriers:manage");
  const row = await visibleCourier(db, principal, id);
  if (Object.values(input).every((v) => v === undefined)) throw new ValidationError("body", "nothing to change");
  const set: { updatedAt: string; name?: string; phone?: string; active?: number; available?: number } = { updatedAt: now.toISOString() };
  if (input.name !== undefined) set.name = parseName(input.name);
  if (input.phone !== undefined) {
    const p = await db.selectFrom("partners").select("locale").where("id", "=", row.partnerId).executeTakeFirstOrThrow();
    const phone = parseCourierPhone(input.phone, { locale: p.locale });
    const taken = await db
      .selectFrom("couriers")
      .select("id")
      .where("partnerId", "=", row.partnerId)
      .where("phone", "=", phone)
      .where("id", "!=", id)
      .executeTakeFirst();
    if (taken) throw new ValidationError("phone", "another courier of this restaurant has this phone number");
    set.phone = phone;
  }
  if (input.active !== undefined) set.active = parseBool("active", input.active) ? 1 : 0;
  if (input.available !== undefined) set.available = parseBool("available", input.available) ? 1 : 0;
  await db.updateTable("couriers").set(set).where("id", "=", id).execute();
  if (set.available === 1) await reassignWaiting(db, row.partnerId);
  // A courier taken off the roster is signed out of their phone too.
  if (set.active === 0 && row.tokenId) await revokeDeviceToken({ db, id: row.tokenId });
  const updated = await db.selectFrom("couriers").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  return toCourier(updated, (await liveTokenIds(db, [updated])).size > 0);
}

/**
 * Signs a courier's phone in: a new device token of role "courier" (the previous one is revoked),
 * returned once, with the /courier link that carries it in the fragment (never sent to a server log).
 */
export async function issueCourierToken({ db, principal, id }: { db: Db; principal: Principal; id: string }) {
  assertCan(principal, "couriers:manage");
  const row = await visibleCourier(db, principal, id);
  if (!row.active) throw new ConflictError("this courier is not active", { active: false });
  if (row.tokenId) await revokeDeviceToken({ db, id: row.tokenId });
  const token = await createDeviceToken({
    db,
    partnerId: row.partnerId,
    role: "courier",
    channels: [],
    name: `courier ${row.name}`.slice(0, 80),
  });
  await db.updateTable("couriers").set({ tokenId: token.id, updatedAt: new Date().toISOString() }).where("id", "=", id).execute();
  return { courierId: id, tokenId: token.id, token: token.token, path: `/courier#token=${token.token}` };
}

// --- the courier's own phone -----------------------------------------------------------------

/** The courier a principal is: a live courier token's row. Anyone else is 403. */
export async function courierOf(db: Db, principal: Principal): Promise<Selectable<CouriersTable>> {
  assertCan(principal, "courier:deliver");
  if (principal.kind !== "token") throw new ForbiddenError("only a courier's phone has deliveries");
  const row = await db.selectFrom("couriers").selectAll().where("tokenId", "=", principal.tokenId).executeTakeFirst();
  if (!row?.active || row.partnerId !== principal.partnerId) throw new ForbiddenError("this phone is not signed in as an active courier");
  return row;
}

export type CourierDelivery = {
  id: number;
  displayCode: string;
  status: OrderRecord["status"];
  customer: string | null;
  table: string | null;
  total: number;
  createdAt: string;
  statusChangedAt: string;
  items: { name: string; quantity: number }[];
};

const toDelivery = (o: OrderRecord): CourierDelivery => ({
  id: o.id,
  displayCode: o.displayCode,
  status: o.status,
  customer: o.customer,
  table: o.table,
  total: o.total,
  createdAt: o.createdAt,
  statusChangedAt: o.statusChangedAt,
  items: o.orderItems.map((i) => ({ name: i.name, quantity: i.quantity })),
});

/** The courier and their deliveries still on the way (READY, PICKED_UP), oldest first. */
export async function myDeliveries({ db, principal }: { db: Db; principal: Principal }) {
  const me = await courierOf(db, principal);
  const ids = await db
    .selectFrom("orders")
    .select("id")
    .where("courierId", "=", me.id)
    .where("status", "in", ["READY", "PICKED_UP", "PREPARING", "CONFIRMED"])
    .orderBy("id")
    .limit(50)
    .execute();
  const orders = (await Promise.all(ids.map((r) => loadOrder(db, Number(r.id))))).filter((o): o is OrderRecord => o !== undefined);
  return { courier: toCourier(me), deliveries: orders.map(toDelivery) };
}

export async function setMyAvailability({ db, principal, available }: { db: Db; principal: Principal; available: boolean }) {
  const me = await courierOf(db, principal);
  const on = parseBool("available", available);
  await db
    .updateTable("couriers")
    .set({ available: on ? 1 : 0, updatedAt: new Date().toISOString() })
    .where("id", "=", me.id)
    .execute();
  if (on) await reassignWaiting(db, me.partnerId);
  return myDeliveries({ db, principal });
}

/** A courier's delivery: another courier's (or another partner's, or no order) is 404, as a missing one. */
async function myOrder(trx: Trx, courierId: string, id: number): Promise<OrderRecord> {
  const order = await loadOrder(trx, id);
  if (!order || order.courierId !== courierId) throw new NotFoundError("delivery", { field: "id" });
  return order;
}

export const COURIER_STATUSES = ["PICKED_UP", "DELIVERED"] as const;

/** "Picked up" / "delivered" from the courier's phone, through the same conditional status change as the cashier's. */
export async function markDelivery({
  db,
  principal,
  id,
  status,
  now = new Date(),
}: {
  db: Db;
  principal: Principal;
  id: number;
  status: string;
  now?: Date;
}): Promise<CourierDelivery> {
  const me = await courierOf(db, principal);
  if (!(COURIER_STATUSES as readonly string[]).includes(status))
    throw new ValidationError("status", `must be one of ${COURIER_STATUSES.join(", ")}`);
  const order = await mutate(db, actorOf(principal), async (trx, emit) => {
    const order = await myOrder(trx, me.id, id);
    return transitionInTrx(trx, emit, order, {
      status: status as (typeof COURIER_STATUSES)[number],
      cancelReason: null,
      who: me.name,
      now,
    });
  });
  return toDelivery(order);
}

const checkLatLng = (lat: number, lng: number) => {
  if (!Number.isFinite(lat) || lat < -90 || lat > 90) throw new ValidationError("lat", "must be a latitude, -90 to 90");
  if (!Number.isFinite(lng) || lng < -180 || lng > 180) throw new ValidationError("lng", "must be a longitude, -180 to 180");
};

async function storeCourierPosition(trx: Db, courierId: string, location: { lat: number; lng: number; at: string }) {
  await trx
    .updateTable("couriers")
    .set({ lastLat: location.lat, lastLng: location.lng, lastLocationAt: location.at })
    .where("id", "=", courierId)
    .execute();
}

/** Where an idle courier is (no delivery named): kept on their row for rider:auto_assign, not logged. */
export async function recordCourierPosition({
  db,
  principal,
  lat,
  lng,
  now = new Date(),
}: {
  db: Db;
  principal: Principal;
  lat: number;
  lng: number;
  now?: Date;
}): Promise<void> {
  const me = await courierOf(db, principal);
  checkLatLng(lat, lng);
  await storeCourierPosition(db, me.id, { lat, lng, at: now.toISOString() });
}

/**
 * A courier's position for a delivery they carry (docs/contracts.md#seeds-004). Kept as the order's latest location
 * and logged, so every node's WebSocket and the customer's stream get it, resumable like the rest.
 * Staff (operator, admin), integration tokens and the delivery's own courier may report it; screens
 * and the kitchen may not; another partner's order — or, for a courier, another courier's — is 404;
 * an order that is not a delivery with a courier on its way 409.
 */
export async function recordCourierLocation({
  db,
  principal,
  id,
  lat,
  lng,
  now = new Date(),
}: {
  db: Db;
  principal: Principal;
  id: number;
  lat: number;
  lng: number;
  now?: Date;
}): Promise<OrderRecord> {
  assertCan(principal, "orders:location");
  const me = principal.kind === "token" && principal.role === "courier" ? await courierOf(db, principal) : null;
  checkLatLng(lat, lng);
  return mutate(db, actorOf(principal), async (trx, emit) => {
    const order = me ? await myOrder(trx, me.id, id) : await visibleOrder(trx, principal, id);
    if (order.source !== "delivery" || !order.courierName)
      throw new ConflictError("only a delivery with a courier has a location", { status: order.status });
    if (order.status === "DELIVERED" || order.status === "CANCELLED")
      throw new ConflictError(`a ${order.status} order is no longer on its way`, { status: order.status });
    const location = { lat, lng, at: now.toISOString() };
    await trx
      .updateTable("orders")
      .set({ courierLocation: JSON.stringify(location) })
      .where("id", "=", id)
      .execute();
    const courierId = me?.id ?? order.courierId ?? null;
    if (courierId) await storeCourierPosition(trx, courierId, location);
    const updated = (await loadOrder(trx, id))!;
    await emit({
      version: EVENT_PAYLOAD_VERSION,
      partnerId: order.partnerId,
      type: "order.location",
      orderId: id,
      payload: { order: updated },
    });
    return updated;
  });
}

// --- assignment ----------------------------------------------------------------------------

async function emitCourier(trx: Trx, emit: Emit, before: OrderRecord, by: "manual" | "job"): Promise<OrderRecord> {
  const updated = (await loadOrder(trx, before.id))!;
  await emit({
    version: EVENT_PAYLOAD_VERSION,
    partnerId: before.partnerId,
    type: "order.courier",
    orderId: before.id,
    payload: { order: updated, courier: { by, previous: before.courierName } },
  });
  return updated;
}

/**
 * A person hands a delivery to a courier (POST /api/orders/{id}/courier): a courier of the roster
 * by `courierId`, or a name typed at the cashier — linked to the roster when an active courier
 * has exactly that name, else kept as free text (a platform's own rider). Any time until it is
 * delivered; it replaces whatever the job chose, and the job never replaces it.
 */
export async function assignCourier({
  db,
  principal,
  id,
  courierId,
  courierName,
}: {
  db: Db;
  principal: Principal;
  id: number;
  courierId?: string;
  courierName?: string;
}): Promise<OrderRecord> {
  assertCan(principal, "orders:confirm");
  if ((courierId === undefined) === (courierName === undefined))
    throw new ValidationError(courierId === undefined ? "courierId" : "courierName", "give either courierId or courierName");
  const typed = courierName?.trim();
  if (courierName !== undefined && !typed) throw new ValidationError("courierName", "must not be empty");
  return mutate(db, actorOf(principal), async (trx, emit) => {
    const order = await visibleOrder(trx, principal, id);
    if (order.source !== "delivery")
      throw new ConflictError("only delivery orders have a courier", { status: order.status, source: order.source });
    if (order.status === "CANCELLED" || order.status === "DELIVERED")
      throw new ConflictError(`a ${order.status} order cannot get a courier`, { status: order.status });
    let courier: Selectable<CouriersTable> | undefined;
    if (courierId !== undefined) {
      courier = await trx
        .selectFrom("couriers")
        .selectAll()
        .where("id", "=", courierId)
        .where("partnerId", "=", order.partnerId)
        .executeTakeFirst();
      if (!courier) throw new NotFoundError("courier", { field: "courierId" });
      if (!courier.active) throw new ConflictError("this courier is not active", { field: "courierId", active: false });
    } else {
      const named = await trx
        .selectFrom("couriers")
        .selectAll()
        .where("partnerId", "=", order.partnerId)
        .where("active", "=", 1)
        .where("name", "=", typed!)
        .limit(2)
        .execute();
      courier = named.length === 1 ? named[0] : undefined;
    }
    const updated = await trx
      .updateTable("orders")
      .set({ courierName: courier?.name ?? typed!, courierId: courier?.id ?? null, courierAssignedBy: "manual" })
      .where("id", "=", id)
      .where("status", "=", order.status)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw new ConflictError("the order changed meanwhile; try again", { status: order.status });
    if (courier) await trx.updateTable("couriers").set({ lastAssignedAt: new Date().toISOString() }).where("id", "=", courier.id).execute();
    return emitCourier(trx, emit, order, "manual");
  });
}

/** Great-circle distance in metres. */
export function haversineMetres(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const R = 6_371_000;
  const rad = (d: number) => (d * Math.PI) / 180;
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * The courier rider:auto_assign picks among the available ones: the nearest to the restaurant by
 * a fresh last position when the restaurant's location is known and some courier has one; else
 * round-robin — the one assigned longest ago (never assigned first), then the oldest on the roster.
 */
export function pickCourier(
  couriers: readonly CourierRecord[],
  restaurant: { lat: number; lng: number } | null,
  now: Date,
): CourierRecord | undefined {
  const roundRobin = (a: CourierRecord, b: CourierRecord) =>
    (a.lastAssignedAt ?? "").localeCompare(b.lastAssignedAt ?? "") || a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);
  if (restaurant) {
    const located = couriers
      .filter((c) => c.lastLocation && now.getTime() - Date.parse(c.lastLocation.at) <= COURIER_LOCATION_FRESH_MS)
      .map((c) => ({ c, d: haversineMetres(restaurant, c.lastLocation!) }));
    if (located.length > 0) return located.sort((x, y) => x.d - y.d || roundRobin(x.c, y.c))[0]!.c;
  }
  return [...couriers].sort(roundRobin)[0];
}

/** Thrown (and so retried with backoff, then listed as failed) while a partner with couriers has none available. */
export class NoCourierAvailableError extends Error {
  constructor(orderId: number) {
    super(`no courier available for order ${orderId}`);
    this.name = "NoCourierAvailableError";
  }
}

/**
 * rider:auto_assign: the courier for a READY delivery that has none. Returns the courier chosen,
 * or null when there is nothing to do (assigned meanwhile — by a person or another node —, no
 * longer READY, the partner has no active courier). The write fills an empty courier only, so
 * of two runs one assigns and the other changes nothing.
 */
export async function autoAssignCourier({
  db,
  orderId,
  now = new Date(),
}: {
  db: Db;
  orderId: number;
  now?: Date;
}): Promise<CourierRecord | null> {
  const order = await loadOrder(db, orderId);
  if (order?.source !== "delivery" || order.status !== "READY" || order.courierId || order.courierName) return null;
  const rows = await db.selectFrom("couriers").selectAll().where("partnerId", "=", order.partnerId).where("active", "=", 1).execute();
  if (rows.length === 0) return null;
  const candidates = rows.filter((r) => Number(r.available) === 1).map((r) => toCourier(r));
  const partner = await db
    .selectFrom("partners")
    .select(["latitude", "longitude"])
    .where("id", "=", order.partnerId)
    .executeTakeFirstOrThrow();
  const restaurant =
    partner.latitude === null || partner.longitude === null ? null : { lat: Number(partner.latitude), lng: Number(partner.longitude) };
  const chosen = pickCourier(candidates, restaurant, now);
  if (!chosen) throw new NoCourierAvailableError(orderId);
  return mutate(db, systemActor(JOB_TASKS.autoAssign), async (trx, emit) => {
    const done = await trx
      .updateTable("orders")
      .set({ courierId: chosen.id, courierName: chosen.name, courierAssignedBy: "job" })
      .where("id", "=", orderId)
      .where("status", "=", "READY")
      .where("courierId", "is", null)
      .where("courierName", "is", null)
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) return null;
    await trx.updateTable("couriers").set({ lastAssignedAt: now.toISOString() }).where("id", "=", chosen.id).execute();
    await emitCourier(trx, emit, order, "job");
    return chosen;
  });
}

/** When a courier becomes available: the partner's READY deliveries still without one get their job again (deduped by key). */
export async function reassignWaiting(db: Db, partnerId: string): Promise<number> {
  const waiting = await db
    .selectFrom("orders")
    .select("id")
    .where("partnerId", "=", partnerId)
    .where("source", "=", "delivery")
    .where("status", "=", "READY")
    .where("courierId", "is", null)
    .where("courierName", "is", null)
    .limit(500)
    .execute();
  for (const { id } of waiting)
    await enqueueJob(db, { task: JOB_TASKS.autoAssign, payload: { orderId: Number(id) }, jobKey: `rider:auto_assign:${id}` });
  return waiting.length;
}
