import "server-only";
import type { Db } from "../db";
import { newId } from "../db/ids";
import { hashSecret, newSecret } from "../auth/secrets";
import { ConflictError, NotFoundError, ValidationError, isAppError } from "../errors";
import { type Actor, type Emit, guestActor, mutate, systemActor, type Trx } from "../events";
import { readAllergens } from "../menu/allergens";
import { type LineInput, priceLines } from "../menu/pricing";
import type { CartChange, CartItemRecord, CartMemberRecord, CartRecord, CartState } from "./cart-dto";
import type { LineModifier, ServiceType } from "./dto";
import { type CartEventPayload, type CartEventType, EVENT_PAYLOAD_VERSION } from "./events";
import { assertTotalsFit, lineTotal, orderTotals } from "./money";
import { type CreateOrderInput, planPlacement, writePlacement } from "./service";
import type { OrderRecord } from "./dto";

/**
 * A table's shared cart (issue "The guest's side", docs/architecture.md#carts): every phone that
 * scans the table's QR code joins the one open cart of that table, adds lines under its own name
 * and sees the others' lines live; one of them submits it. The cart is the order row itself in
 * status CREATED (so the id the guests' events name is the order's id), plus a `carts` row and
 * one `cartMembers` row per phone. CREATED and EXPIRED rows are invisible to staff (loadOrder,
 * listOrders); submitting goes through the same planPlacement / writePlacement as POST /api/orders.
 *
 * Concurrency: every change locks the cart row first (a no-op UPDATE, held to commit on
 * PostgreSQL; SQLite's writers are serialised anyway), so changes to one cart apply one after the
 * other, each bumping the cart's and the line's version: of two phones changing one line, the
 * later change wins, and both get the cart at that version (response and stream).
 */

/** An open cart nobody touched for this long is abandoned (expireCarts). */
export const CART_IDLE_MS = 2 * 3_600_000;
/** Lines one cart may hold (as many as one order). */
export const MAX_CART_LINES = 100;
/** Phones one table's cart may have. */
export const MAX_CART_MEMBERS = 30;

export type CartLineInput = {
  foodId: string;
  quantity: number;
  notes?: string | null;
  modifiers?: { groupId: string; optionIds: string[] }[];
};

export type CartLinePatch = { quantity?: number; notes?: string | null; modifiers?: { groupId: string; optionIds: string[] }[] };

export type SubmitCartInput = {
  customer?: string | null;
  serviceType?: ServiceType;
  promisedAt?: string | null;
  allergies?: { codes?: string[]; note?: string | null } | null;
};

type Joined = { cart: CartRecord; member: CartMemberRecord; cartToken: string; joined: boolean };

// --- reading --------------------------------------------------------------------------------

export async function loadCart(db: Db, id: number, { idleMs = CART_IDLE_MS }: { idleMs?: number } = {}): Promise<CartRecord | undefined> {
  if (!Number.isSafeInteger(id) || id <= 0) return undefined;
  const cart = await db.selectFrom("carts").selectAll().where("orderId", "=", id).executeTakeFirst();
  if (!cart) return undefined;
  const order = await db.selectFrom("orders").select(["subTotal", "surcharge", "total"]).where("id", "=", id).executeTakeFirstOrThrow();
  const members = (
    await db.selectFrom("cartMembers").select(["id", "name", "number"]).where("orderId", "=", id).orderBy("number").execute()
  ).map((m) => ({ id: m.id, name: m.name, number: Number(m.number) }));
  const byId = new Map(members.map((m) => [m.id, m]));
  const rows = await db.selectFrom("orderItems").selectAll().where("orderId", "=", id).orderBy("position").execute();
  const items: CartItemRecord[] = rows.map((i) => ({
    id: i.id,
    foodId: i.foodId,
    name: i.name,
    quantity: Number(i.quantity),
    unitPrice: Number(i.unitPrice),
    unitSurcharge: Number(i.unitSurcharge),
    total: Number(i.total),
    notes: i.notes,
    modifiers: i.modifiers ? (JSON.parse(i.modifiers) as LineModifier[]) : [],
    allergens: readAllergens(i.allergens),
    addedBy: (i.addedBy && byId.get(i.addedBy)) || null,
    version: Number(i.version ?? 1),
  }));
  return {
    id,
    partnerId: cart.partnerId,
    table: cart.table,
    state: cart.state as CartState,
    version: Number(cart.version),
    openedAt: cart.openedAt,
    touchedAt: cart.touchedAt,
    expiresAt: new Date(Date.parse(cart.touchedAt) + idleMs).toISOString(),
    submittedAt: cart.submittedAt,
    expiredAt: cart.expiredAt,
    subTotal: Number(order.subTotal),
    surcharge: Number(order.surcharge),
    total: Number(order.total),
    itemCount: items.reduce((n, i) => n + i.quantity, 0),
    members,
    items,
  };
}

/** The cart a phone's token belongs to, with that phone; another cart's token (or a wrong one) is "not found". */
export async function getCart({
  db,
  id,
  token,
}: {
  db: Db;
  id: number;
  token: string;
}): Promise<{ cart: CartRecord; me: CartMemberRecord }> {
  const me = await memberOf(db, id, token);
  return { cart: (await loadCart(db, id))!, me };
}

/** A phone at the table, in the order's history: a guest, by its cart member id and name. */
const memberActor = (me: CartMemberRecord): Actor => ({ kind: "guest", id: me.id, name: me.name });

async function memberOf(db: Db, id: number, token: string): Promise<CartMemberRecord> {
  if (!Number.isSafeInteger(id) || id <= 0 || !token.startsWith("cart_") || token.length > 200) throw new NotFoundError("cart");
  const row = await db
    .selectFrom("cartMembers")
    .select(["id", "name", "number"])
    .where("tokenHash", "=", hashSecret(token))
    .where("orderId", "=", id)
    .executeTakeFirst();
  if (!row) throw new NotFoundError("cart");
  return { id: row.id, name: row.name, number: Number(row.number) };
}

/** Locks the cart's row until commit and checks it is still open (409 with its state otherwise). */
async function lockOpenCart(trx: Trx, id: number): Promise<{ partnerId: string; table: string }> {
  await trx
    .updateTable("carts")
    .set((eb) => ({ version: eb.ref("version") }))
    .where("orderId", "=", id)
    .execute();
  const row = await trx.selectFrom("carts").select(["partnerId", "table", "state"]).where("orderId", "=", id).executeTakeFirstOrThrow();
  if (row.state !== "OPEN") {
    throw new ConflictError(row.state === "SUBMITTED" ? "the cart was already submitted" : "the cart expired", {
      state: row.state,
      orderId: id,
    });
  }
  return row;
}

// --- opening and joining ---------------------------------------------------------------------

/**
 * POST /api/carts: the open cart of the partner's table, joined by this phone (`joined: true`),
 * or a new one (`joined: false`). `cart` joins that cart only, and only if it is this partner's
 * and this table's: anything else is "not found", exactly like a cart that does not exist.
 */
export async function openCart({
  db,
  input,
  now = new Date(),
}: {
  db: Db;
  input: { partner: string; table: string; name?: string | null; cart?: number };
  now?: Date;
}): Promise<Joined> {
  const table = input.table.trim();
  if (!table) throw new ValidationError("table", "must not be blank");
  const partner = await db.selectFrom("partners").select(["id"]).where("slug", "=", input.partner).executeTakeFirst();
  if (!partner) throw new NotFoundError("partner", { field: "partner" });
  const name = input.name?.trim() || null;

  if (input.cart !== undefined) {
    const row = await db.selectFrom("carts").select(["partnerId", "table", "state"]).where("orderId", "=", input.cart).executeTakeFirst();
    if (!row || row.partnerId !== partner.id || row.table !== table) throw new NotFoundError("cart", { field: "cart" });
    return mutate(db, guestActor(name), (trx, emit) => join(trx, emit, input.cart!, name, now));
  }
  for (let attempt = 0; ; attempt++) {
    try {
      return await mutate(db, guestActor(name), async (trx, emit) => {
        const open = await trx
          .selectFrom("carts")
          .select("orderId")
          .where("partnerId", "=", partner.id)
          .where("openTable", "=", table)
          .executeTakeFirst();
        if (open) return join(trx, emit, Number(open.orderId), name, now);
        return create(trx, emit, partner.id, table, name, now);
      });
    } catch (err) {
      // Two phones opening the table's cart at the same instant: the unique open-table constraint
      // lets one create it; the other's transaction fails and, on the retry, joins it. A cart sent
      // or expired between finding it and joining it: the retry opens the table's next one.
      const closed = isAppError(err) && err.status === 409 && (err.details?.state === "SUBMITTED" || err.details?.state === "EXPIRED");
      if (attempt >= 2 || (isAppError(err) && !closed)) throw err;
    }
  }
}

async function create(trx: Trx, emit: Emit, partnerId: string, table: string, name: string | null, now: Date): Promise<Joined> {
  const at = now.toISOString();
  const inserted = await trx
    .insertInto("orders")
    .values({
      partnerId,
      // Not on any business day, and no display code, until it is submitted (writePlacement).
      businessDay: `cart:${newId()}`,
      dayOrdinal: 0,
      displayCode: "",
      ticketNumber: null,
      table,
      customer: null,
      source: "qr",
      priority: "NORMAL",
      status: "CREATED",
      paymentMethod: null,
      subTotal: 0,
      discount: 0,
      surcharge: 0,
      total: 0,
      createdAt: at,
      confirmedAt: null,
      statusChangedAt: at,
      userId: null,
      cashRegisterId: null,
      courierName: null,
      cancelReason: null,
      trackingTokenHash: null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const id = Number(inserted.id);
  await trx
    .insertInto("carts")
    .values({
      orderId: id,
      partnerId,
      table,
      openTable: table,
      state: "OPEN",
      openedAt: at,
      touchedAt: at,
      submittedAt: null,
      expiredAt: null,
    })
    .execute();
  const { member, cartToken } = await addMember(trx, id, name, now);
  const cart = (await loadCart(trx, id))!;
  await emitCart(emit, "cart.opened", cart, { change: { kind: "opened", by: member } });
  return { cart, member, cartToken, joined: false };
}

async function join(trx: Trx, emit: Emit, id: number, name: string | null, now: Date): Promise<Joined> {
  await lockOpenCart(trx, id);
  const { member, cartToken } = await addMember(trx, id, name, now);
  const cart = await touch(trx, id, now);
  await emitCart(emit, "cart.member", cart, { change: { kind: "joined", by: member } });
  return { cart, member, cartToken, joined: true };
}

async function addMember(trx: Trx, id: number, name: string | null, now: Date) {
  const { guests } = await trx
    .updateTable("carts")
    .set((eb) => ({ guests: eb("guests", "+", 1) }))
    .where("orderId", "=", id)
    .returning("guests")
    .executeTakeFirstOrThrow();
  const number = Number(guests);
  if (number > MAX_CART_MEMBERS) throw new ConflictError(`a table's cart has at most ${MAX_CART_MEMBERS} phones`, { state: "OPEN" });
  const cartToken = newSecret("cart_");
  const member = { id: newId(), name: name ?? `Guest ${number}`, number };
  await trx
    .insertInto("cartMembers")
    .values({ ...member, orderId: id, tokenHash: hashSecret(cartToken), joinedAt: now.toISOString() })
    .execute();
  return { member, cartToken };
}

/** A phone gives itself a name ("Ana" instead of "Guest 2"). */
export async function renameCartMember({
  db,
  id,
  token,
  name,
  now = new Date(),
}: {
  db: Db;
  id: number;
  token: string;
  name: string;
  now?: Date;
}): Promise<{ cart: CartRecord; me: CartMemberRecord }> {
  const me = await memberOf(db, id, token);
  const trimmed = name.trim();
  if (!trimmed) throw new ValidationError("name", "must not be blank");
  return mutate(db, memberActor(me), async (trx, emit) => {
    await lockOpenCart(trx, id);
    await trx.updateTable("cartMembers").set({ name: trimmed }).where("id", "=", me.id).execute();
    const renamed = { ...me, name: trimmed };
    const cart = await touch(trx, id, now);
    await emitCart(emit, "cart.member", cart, { change: { kind: "renamed", by: renamed } });
    return { cart, me: renamed };
  });
}

// --- lines ----------------------------------------------------------------------------------

/** POST /api/carts/{id}/items: one line priced and checked by the menu's rules (lib/menu/pricing.ts), under this phone's name. */
export async function addCartItem({
  db,
  id,
  token,
  input,
  now = new Date(),
}: {
  db: Db;
  id: number;
  token: string;
  input: CartLineInput;
  now?: Date;
}): Promise<{ cart: CartRecord; item: CartItemRecord }> {
  const me = await memberOf(db, id, token);
  return mutate(db, memberActor(me), async (trx, emit) => {
    const { partnerId } = await lockOpenCart(trx, id);
    const [line] = await priceOne(trx, partnerId, input);
    const existing = await trx
      .selectFrom("orderItems")
      .select((eb) => [eb.fn.countAll().as("n"), eb.fn.max("position").as("last")])
      .where("orderId", "=", id)
      .executeTakeFirstOrThrow();
    if (Number(existing.n) >= MAX_CART_LINES) throw new ValidationError("items", `a cart holds at most ${MAX_CART_LINES} lines`);
    const itemId = newId();
    const { modifiers, allergens, ...l } = line!;
    await trx
      .insertInto("orderItems")
      .values({
        id: itemId,
        orderId: id,
        position: existing.last === null ? 0 : Number(existing.last) + 1,
        ...l,
        modifiers: JSON.stringify(modifiers),
        allergens: JSON.stringify(allergens),
        total: lineTotal(l),
        addedBy: me.id,
        version: 1,
      })
      .execute();
    const cart = await retotal(trx, id, now);
    const item = cart.items.find((i) => i.id === itemId)!;
    await emitCart(emit, "cart.item-added", cart, { item });
    await emitCart(emit, "cart.updated", cart, { change: { kind: "added", by: me, itemId, name: item.name } });
    return { cart, item };
  });
}

/**
 * PATCH /api/carts/{id}/items/{itemId}: quantity, notes and/or options of a line, whoever added
 * it. The line keeps its id and gets the next version; the stream says so as seeds/002 can —
 * `order-item-removed` then `order-item-added` with the same itemId — and the new totals.
 */
export async function changeCartItem({
  db,
  id,
  itemId,
  token,
  patch,
  now = new Date(),
}: {
  db: Db;
  id: number;
  itemId: string;
  token: string;
  patch: CartLinePatch;
  now?: Date;
}): Promise<{ cart: CartRecord; item: CartItemRecord }> {
  const me = await memberOf(db, id, token);
  if (patch.quantity === undefined && patch.notes === undefined && patch.modifiers === undefined) {
    throw new ValidationError("body", "change at least one of quantity, notes, modifiers");
  }
  return mutate(db, memberActor(me), async (trx, emit) => {
    const { partnerId } = await lockOpenCart(trx, id);
    const before = (await loadCart(trx, id))!.items.find((i) => i.id === itemId);
    if (!before) throw new NotFoundError("item", { field: "itemId" });
    const [line] = await priceOne(trx, partnerId, {
      foodId: before.foodId,
      quantity: patch.quantity ?? before.quantity,
      notes: patch.notes === undefined ? before.notes : patch.notes,
      modifiers: patch.modifiers ?? chosenOptions(before.modifiers),
    });
    const { modifiers, allergens, ...l } = line!;
    await trx
      .updateTable("orderItems")
      .set((eb) => ({
        ...l,
        modifiers: JSON.stringify(modifiers),
        allergens: JSON.stringify(allergens),
        total: lineTotal(l),
        version: eb("version", "+", 1),
      }))
      .where("id", "=", itemId)
      .where("orderId", "=", id)
      .execute();
    const cart = await retotal(trx, id, now);
    const item = cart.items.find((i) => i.id === itemId)!;
    await emitCart(emit, "cart.item-removed", cart, { itemId });
    await emitCart(emit, "cart.item-added", cart, { item });
    await emitCart(emit, "cart.updated", cart, { change: { kind: "changed", by: me, itemId, name: item.name } });
    return { cart, item };
  });
}

/** DELETE /api/carts/{id}/items/{itemId}. */
export async function removeCartItem({
  db,
  id,
  itemId,
  token,
  now = new Date(),
}: {
  db: Db;
  id: number;
  itemId: string;
  token: string;
  now?: Date;
}): Promise<{ cart: CartRecord }> {
  const me = await memberOf(db, id, token);
  return mutate(db, memberActor(me), async (trx, emit) => {
    await lockOpenCart(trx, id);
    const row = await trx.selectFrom("orderItems").select("name").where("id", "=", itemId).where("orderId", "=", id).executeTakeFirst();
    if (!row) throw new NotFoundError("item", { field: "itemId" });
    await trx.deleteFrom("orderItems").where("id", "=", itemId).where("orderId", "=", id).execute();
    const cart = await retotal(trx, id, now);
    await emitCart(emit, "cart.item-removed", cart, { itemId });
    await emitCart(emit, "cart.updated", cart, { change: { kind: "removed", by: me, itemId, name: row.name } });
    return { cart };
  });
}

/** One line through the menu's pricing; its errors name the body's own fields (`modifiers.0.optionIds`, not `items.0.…`). */
async function priceOne(trx: Trx, partnerId: string, input: LineInput) {
  try {
    const lines = await priceLines(trx, partnerId, [input]);
    assertTotalsFit(orderTotals({ items: lines, discount: 0 }), "quantity");
    return lines;
  } catch (err) {
    throw refield(err, "items.0", "");
  }
}

/** A ValidationError about `from…` renamed to `to…` (the message and details kept). */
function refield(err: unknown, from: string, to: string): unknown {
  if (!isAppError(err) || err.code !== "VALIDATION_FAILED") return err;
  const field = String(err.details?.field ?? "");
  if (field !== from && !field.startsWith(`${from}.`)) return err;
  const rest = field.slice(from.length);
  const renamed = to ? `${to}${rest}` : rest.replace(/^\./, "") || "body";
  const { field: _field, ...extra } = err.details ?? {};
  return new ValidationError(renamed, err.message.slice(field.length + 2), extra);
}

const chosenOptions = (modifiers: LineModifier[]) => modifiers.map((m) => ({ groupId: m.groupId, optionIds: m.options.map((o) => o.id) }));

/** The order row's totals from its lines, the cart's version and idle clock moved on; the cart as it is now. */
async function retotal(trx: Trx, id: number, now: Date): Promise<CartRecord> {
  const items = await trx.selectFrom("orderItems").select(["unitPrice", "unitSurcharge", "quantity"]).where("orderId", "=", id).execute();
  const totals = orderTotals({
    items: items.map((i) => ({ unitPrice: Number(i.unitPrice), unitSurcharge: Number(i.unitSurcharge), quantity: Number(i.quantity) })),
    discount: 0,
  });
  assertTotalsFit(totals, "quantity");
  await trx.updateTable("orders").set(totals).where("id", "=", id).execute();
  return touch(trx, id, now);
}

async function touch(trx: Trx, id: number, now: Date): Promise<CartRecord> {
  await trx
    .updateTable("carts")
    .set((eb) => ({ version: eb("version", "+", 1), touchedAt: now.toISOString() }))
    .where("orderId", "=", id)
    .execute();
  return (await loadCart(trx, id))!;
}

async function emitCart(emit: Emit, type: CartEventType, cart: CartRecord, extra: Omit<CartEventPayload, "cart"> = {}) {
  await emit({ version: EVENT_PAYLOAD_VERSION, partnerId: cart.partnerId, type, orderId: cart.id, payload: { cart, ...extra } });
}

// --- submitting -----------------------------------------------------------------------------

/**
 * POST /api/carts/{id}/submit: the cart becomes the PENDING order staff see, through the same
 * planPlacement / writePlacement as POST /api/orders — every line priced again now (a dish 86'd
 * since it was added is refused, naming the line), the declared allergies, the service type.
 * The submitting phone gets the order and a tracking token; every phone's cart token also
 * follows the order (tokenFollowsOrder), so each one opens its own track link.
 */
export async function submitCart({
  db,
  id,
  token,
  input,
  now = new Date(),
}: {
  db: Db;
  id: number;
  token: string;
  input: SubmitCartInput;
  now?: Date;
}): Promise<{ order: OrderRecord; trackingToken: string; cart: CartRecord }> {
  const me = await memberOf(db, id, token);
  return mutate(db, memberActor(me), async (trx, emit) => {
    const { partnerId, table } = await lockOpenCart(trx, id);
    const before = (await loadCart(trx, id))!;
    if (before.items.length === 0) throw new ValidationError("items", "the cart is empty: add something first");
    const partner = await trx.selectFrom("partners").select("slug").where("id", "=", partnerId).executeTakeFirstOrThrow();
    const order: CreateOrderInput = {
      partner: partner.slug,
      table,
      source: "qr",
      customer: input.customer ?? null,
      serviceType: input.serviceType,
      promisedAt: input.promisedAt ?? null,
      allergies: input.allergies ?? null,
      items: before.items.map((i) => ({ foodId: i.foodId, quantity: i.quantity, notes: i.notes, modifiers: chosenOptions(i.modifiers) })),
    };
    let placement: Awaited<ReturnType<typeof planPlacement>>;
    try {
      placement = await planPlacement({ db: trx, principal: null, input: order, now });
    } catch (err) {
      // `items.3.foodId` → `items.<that line's id>.foodId`: the phones know lines by id.
      const index = isAppError(err) ? /^items\.(\d+)/.exec(String(err.details?.field ?? ""))?.[1] : undefined;
      throw index === undefined ? err : refield(err, `items.${index}`, `items.${before.items[Number(index)]!.id}`);
    }
    const trackingToken = newSecret("trk_");
    const at = now.toISOString();
    const placed = await writePlacement(trx, emit, placement, {
      trackingToken,
      cart: {
        id,
        itemIds: before.items.map((i) => i.id),
        addedBy: before.items.map((i) => i.addedBy?.id ?? null),
        submitted: { at, by: me },
      },
    });
    await trx
      .updateTable("carts")
      .set((eb) => ({ state: "SUBMITTED", openTable: null, submittedAt: at, touchedAt: at, version: eb("version", "+", 1) }))
      .where("orderId", "=", id)
      .execute();
    return { order: placed, trackingToken, cart: (await loadCart(trx, id))! };
  });
}

// --- abandoned carts ------------------------------------------------------------------------

/**
 * Open carts untouched for `idleMs` are abandoned: EXPIRED, the table free for a new cart, a
 * `cart.expired` for the phones. Every node's timer runs it (lib/process-runtime.ts); the
 * conditional update (still OPEN, still untouched since we read it) is won by one transaction,
 * so each cart expires exactly once, and one touched in between is left alone.
 */
export async function expireCarts({
  db,
  now = new Date(),
  idleMs = CART_IDLE_MS,
}: {
  db: Db;
  now?: Date;
  idleMs?: number;
}): Promise<number[]> {
  const cutoff = new Date(now.getTime() - idleMs).toISOString();
  const due = await db
    .selectFrom("carts")
    .select(["orderId", "touchedAt"])
    .where("state", "=", "OPEN")
    .where("touchedAt", "<", cutoff)
    .limit(200)
    .execute();
  const expired: number[] = [];
  for (const { orderId, touchedAt } of due) {
    const id = Number(orderId);
    const won = await mutate(db, systemActor("cart-expiry"), async (trx, emit) => {
      const at = now.toISOString();
      const result = await trx
        .updateTable("carts")
        .set((eb) => ({ state: "EXPIRED", openTable: null, expiredAt: at, version: eb("version", "+", 1) }))
        .where("orderId", "=", id)
        .where("state", "=", "OPEN")
        .where("touchedAt", "=", touchedAt)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return false;
      await trx.updateTable("orders").set({ status: "EXPIRED", statusChangedAt: at }).where("id", "=", id).execute();
      const cart = (await loadCart(trx, id, { idleMs }))!;
      const change: CartChange = { kind: "expired", by: null };
      await emitCart(emit, "cart.expired", cart, { change });
      return true;
    });
    if (won) expired.push(id);
  }
  return expired;
}
