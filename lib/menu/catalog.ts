import "server-only";
import type { Selectable } from "kysely";
import { type Principal, assertCan, assertPartnerVisible } from "../auth/access";
import type { Db, FoodsTable, ModifierOptionsTable } from "../db";
import { newId, nowIso } from "../db/ids";
import { ConflictError, NotFoundError, ValidationError } from "../errors";
import { mutate, type Trx } from "../events";
import { EVENT_PAYLOAD_VERSION, type MenuChange } from "../orders/events";
import { parseMoney, parseSignedMoney } from "../orders/money";
import { type AllergenCode, isAllergen, sortAllergens } from "./allergens";
import { type FoodDto, toCategoryDto, toFoodDto, toGroupDto, toStationDto } from "./model";

/**
 * Building a menu (issue "The menu", SPEC §2b): stations, categories, foods, modifier groups and
 * their options, each change in one transaction with the event that announces it, so `/ws`
 * product_changes, the customer page and every screen follow live (docs/architecture.md "The menu").
 * Operators write their own partner's menu, admins any; another partner's rows are 404.
 */

type Emit = Parameters<Parameters<typeof mutate>[1]>[1];

// --- reading --------------------------------------------------------------------------------

export type Catalog = Awaited<ReturnType<typeof loadCatalog>>;

/** The whole menu of a partner, in display order; archived rows only when asked (old orders, the back office). */
export async function loadCatalog(db: Db | Trx, partnerId: string, { archived = false }: { archived?: boolean } = {}) {
  const live = archived ? [0, 1] : [0];
  const [stations, categories, foods, groups, options, links] = await Promise.all([
    db.selectFrom("stations").selectAll().where("partnerId", "=", partnerId).orderBy("position").orderBy("key").execute(),
    db
      .selectFrom("categories")
      .selectAll()
      .where("partnerId", "=", partnerId)
      .where("archived", "in", live)
      .orderBy("position")
      .orderBy("name")
      .execute(),
    db
      .selectFrom("foods")
      .selectAll()
      .where("partnerId", "=", partnerId)
      .where("archived", "in", live)
      .orderBy("position")
      .orderBy("name")
      .execute(),
    db
      .selectFrom("modifierGroups")
      .selectAll()
      .where("partnerId", "=", partnerId)
      .where("archived", "in", live)
      .orderBy("position")
      .orderBy("name")
      .execute(),
    db
      .selectFrom("modifierOptions")
      .selectAll()
      .where("partnerId", "=", partnerId)
      .where("archived", "in", live)
      .orderBy("position")
      .orderBy("name")
      .execute(),
    db
      .selectFrom("foodModifierGroups")
      .innerJoin("foods", "foods.id", "foodModifierGroups.foodId")
      .select(["foodModifierGroups.foodId", "foodModifierGroups.groupId", "foodModifierGroups.position"])
      .where("foods.partnerId", "=", partnerId)
      .orderBy("foodModifierGroups.position")
      .execute(),
  ]);
  const groupIds = new Set(groups.map((g) => g.id));
  const groupsOf = new Map<string, string[]>();
  for (const l of links) {
    if (!groupIds.has(l.groupId)) continue;
    groupsOf.set(l.foodId, [...(groupsOf.get(l.foodId) ?? []), l.groupId]);
  }
  const optionsOf = new Map<string, Selectable<ModifierOptionsTable>[]>();
  for (const o of options) optionsOf.set(o.groupId, [...(optionsOf.get(o.groupId) ?? []), o]);
  return {
    stations: stations.map(toStationDto),
    categories: categories.map(toCategoryDto),
    foods: foods.map((f) => toFoodDto(f, groupsOf.get(f.id) ?? [])),
    modifierGroups: groups.map((g) => toGroupDto(g, optionsOf.get(g.id) ?? [])),
  };
}

/** The back office's view: everything of one partner that is not archived, unavailable included. */
export async function getStaffMenu({ db, principal, partner }: { db: Db; principal: Principal; partner: string }) {
  // Whoever may 86 from a screen (cashier, kitchen) or build the menu; not printers or boards.
  assertCan(principal, "menu:86");
  const row = await partnerBySlug(db, principal, partner);
  return {
    partner: { id: row.id, slug: row.slug, name: row.name, currency: row.currency, locale: row.locale },
    ...(await loadCatalog(db, row.id)),
  };
}

// --- partner and permission -----------------------------------------------------------------

async function partnerBySlug(db: Db | Trx, principal: Principal, slug: string) {
  const row = await db.selectFrom("partners").selectAll().where("slug", "=", slug).executeTakeFirst();
  if (!row) throw new NotFoundError("partner", { field: "partner" });
  assertPartnerVisible(principal, row.id, "partner", { field: "partner" });
  return row;
}

/** A row of a menu table by id, visible to the principal; another partner's is "not found". */
async function visibleRow<T extends "stations" | "categories" | "foods" | "modifierGroups" | "modifierOptions">(
  trx: Trx,
  principal: Principal,
  table: T,
  id: string,
  what: string,
) {
  // One query shape for every menu table (they all have id and partnerId).
  const row = (await trx
    .selectFrom(table as "stations")
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirst()) as (Record<string, unknown> & { partnerId: string }) | undefined;
  if (!row) throw new NotFoundError(what);
  assertPartnerVisible(principal, row.partnerId, what);
  return row;
}

async function menuEvent(emit: Emit, partnerId: string, change: MenuChange) {
  await emit({ version: EVENT_PAYLOAD_VERSION, partnerId, type: "menu.changed", orderId: null, payload: change });
}

async function foodEvent(
  emit: Emit,
  type: "food.created" | "food.updated" | "food.archived",
  partnerId: string,
  food: FoodDto,
  changed: Record<string, unknown>,
  extra: { restored?: boolean } = {},
) {
  await emit({ version: EVENT_PAYLOAD_VERSION, partnerId, type, orderId: null, payload: { food, changed, ...extra } });
}

// --- field rules shared by create and update -------------------------------------------------

const STATION_KEY = /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/;

function allergenList(codes: readonly string[], field: string): AllergenCode[] {
  codes.forEach((c, i) => {
    if (!isAllergen(c))
      throw new ValidationError(`${field}.${i}`, `unknown allergen '${c}' (one of the EU 14: see GET /api/menu/allergens)`);
  });
  return sortAllergens(codes);
}

function prepMinutes(value: number | null | undefined, field = "prepMinutes"): number | null {
  if (value === null || value === undefined) return null;
  if (!Number.isInteger(value) || value < 1 || value > 240) throw new ValidationError(field, "must be a whole number of minutes, 1–240");
  return value;
}

async function assertStation(trx: Trx, partnerId: string, key: string, field: string) {
  const row = await trx.selectFrom("stations").select("id").where("partnerId", "=", partnerId).where("key", "=", key).executeTakeFirst();
  if (!row) throw new ValidationError(field, `no station '${key}' at this restaurant (create it first)`);
}

async function liveCategory(trx: Trx, partnerId: string, id: string, field: string) {
  const row = await trx.selectFrom("categories").selectAll().where("id", "=", id).where("partnerId", "=", partnerId).executeTakeFirst();
  if (!row || row.archived) throw new ValidationError(field, "unknown category");
  return row;
}

async function nextPosition(trx: Trx, table: "stations" | "categories" | "foods" | "modifierGroups", partnerId: string) {
  const row = await trx
    .selectFrom(table)
    .select((eb) => eb.fn.max<number>("position").as("max"))
    .where("partnerId", "=", partnerId)
    .executeTakeFirst();
  return row?.max === null || row?.max === undefined ? 0 : Number(row.max) + 1;
}

// --- stations -------------------------------------------------------------------------------

export type StationInput = { partner: string; key: string; name: string; prepMinutes?: number | null };

export async function createStation({ db, principal, input }: { db: Db; principal: Principal; input: StationInput }) {
  assertCan(principal, "menu:write");
  if (!STATION_KEY.test(input.key)) throw new ValidationError("key", "lower-case letters, digits and '-', at most 32 characters");
  return mutate(db, async (trx, emit) => {
    const partner = await partnerBySlug(trx, principal, input.partner);
    const taken = await trx
      .selectFrom("stations")
      .select("id")
      .where("partnerId", "=", partner.id)
      .where("key", "=", input.key)
      .executeTakeFirst();
    if (taken) throw new ValidationError("key", `station '${input.key}' already exists`);
    const row = {
      id: newId(),
      partnerId: partner.id,
      key: input.key,
      name: input.name,
      position: await nextPosition(trx, "stations", partner.id),
      prepMinutes: prepMinutes(input.prepMinutes),
      createdAt: nowIso(),
    };
    await trx.insertInto("stations").values(row).execute();
    await menuEvent(emit, partner.id, { entity: "station", action: "created", id: row.id });
    return toStationDto(row);
  });
}

export async function updateStation({
  db,
  principal,
  id,
  patch,
}: {
  db: Db;
  principal: Principal;
  id: string;
  patch: { name?: string; prepMinutes?: number | null };
}) {
  assertCan(principal, "menu:write");
  if (patch.name === undefined && patch.prepMinutes === undefined) throw new ValidationError("body", "nothing to change");
  return mutate(db, async (trx, emit) => {
    const row = await visibleRow(trx, principal, "stations", id, "station");
    const set: Record<string, unknown> = {};
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.prepMinutes !== undefined) set.prepMinutes = prepMinutes(patch.prepMinutes);
    await trx.updateTable("stations").set(set).where("id", "=", id).execute();
    await menuEvent(emit, row.partnerId, { entity: "station", action: "updated", id });
    return toStationDto((await trx.selectFrom("stations").selectAll().where("id", "=", id).executeTakeFirstOrThrow())!);
  });
}

// --- categories -----------------------------------------------------------------------------

export async function createCategory({ db, principal, input }: { db: Db; principal: Principal; input: { partner: string; name: string } }) {
  assertCan(principal, "menu:write");
  return mutate(db, async (trx, emit) => {
    const partner = await partnerBySlug(trx, principal, input.partner);
    await assertCategoryNameFree(trx, partner.id, input.name, null);
    const row = {
      id: newId(),
      partnerId: partner.id,
      name: input.name,
      position: await nextPosition(trx, "categories", partner.id),
      archived: 0,
      updatedAt: nowIso(),
    };
    await trx.insertInto("categories").values(row).execute();
    await menuEvent(emit, partner.id, { entity: "category", action: "created", id: row.id });
    return toCategoryDto(row);
  });
}

async function assertCategoryNameFree(trx: Trx, partnerId: string, name: string, exceptId: string | null) {
  const rows = await trx
    .selectFrom("categories")
    .select(["id", "name"])
    .where("partnerId", "=", partnerId)
    .where("archived", "=", 0)
    .execute();
  if (rows.some((r) => r.id !== exceptId && r.name.toLowerCase() === name.toLowerCase()))
    throw new ValidationError("name", `a category '${name}' already exists`);
}

export async function updateCategory({ db, principal, id, patch }: { db: Db; principal: Principal; id: string; patch: { name?: string } }) {
  assertCan(principal, "menu:write");
  if (patch.name === undefined) throw new ValidationError("body", "nothing to change");
  const name = patch.name;
  return mutate(db, async (trx, emit) => {
    const row = await visibleRow(trx, principal, "categories", id, "category");
    if (row.archived) throw new ConflictError("the category is archived", { field: "id" });
    await assertCategoryNameFree(trx, row.partnerId, name, id);
    const now = nowIso();
    await trx.updateTable("categories").set({ name, updatedAt: now }).where("id", "=", id).execute();
    // Foods keep the category's name for the seeds shapes (`category` on GET /api/menu).
    await trx.updateTable("foods").set({ category: name, updatedAt: now }).where("categoryId", "=", id).execute();
    await menuEvent(emit, row.partnerId, { entity: "category", action: "updated", id });
    return toCategoryDto((await trx.selectFrom("categories").selectAll().where("id", "=", id).executeTakeFirstOrThrow())!);
  });
}

export async function archiveCategory({ db, principal, id }: { db: Db; principal: Principal; id: string }) {
  assertCan(principal, "menu:write");
  return mutate(db, async (trx, emit) => {
    const row = await visibleRow(trx, principal, "categories", id, "category");
    if (row.archived) throw new ConflictError("the category is already archived", { field: "id" });
    const dishes = await trx.selectFrom("foods").select("id").where("categoryId", "=", id).where("archived", "=", 0).execute();
    if (dishes.length > 0)
      throw new ConflictError(`the category still has ${dishes.length} dish(es): move or archive them first`, {
        field: "id",
        foods: dishes.length,
      });
    await trx.updateTable("categories").set({ archived: 1, updatedAt: nowIso() }).where("id", "=", id).execute();
    await menuEvent(emit, row.partnerId, { entity: "category", action: "archived", id });
    return { id, archived: true };
  });
}

// --- reordering -----------------------------------------------------------------------------

type Orderable = "categories" | "foods" | "modifierGroups" | "stations";

/**
 * New positions: the listed ids first, in the order given, then the rest as they were. Every id
 * must be a live row of this partner (and, for options, of this group); a duplicate is refused.
 */
export async function reorder({
  db,
  principal,
  table,
  partner,
  ids,
}: {
  db: Db;
  principal: Principal;
  table: Orderable;
  partner: string;
  ids: readonly string[];
}) {
  assertCan(principal, "menu:write");
  return mutate(db, async (trx, emit) => {
    const p = await partnerBySlug(trx, principal, partner);
    let q = trx.selectFrom(table).select(["id", "position"]).where("partnerId", "=", p.id);
    if (table !== "stations") q = q.where("archived", "=", 0);
    const rows = await q.orderBy("position").execute();
    await applyOrder(trx, table, rows, ids);
    await menuEvent(emit, p.id, { entity: ENTITY[table], action: "reordered", id: null });
    return { ids: await ordered(trx, table, p.id) };
  });
}

const ENTITY = { categories: "category", foods: "food", modifierGroups: "group", stations: "station", modifierOptions: "option" } as const;

async function applyOrder(trx: Trx, table: Orderable | "modifierOptions", rows: { id: string }[], ids: readonly string[]) {
  const known = new Set(rows.map((r) => r.id));
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (!known.has(id)) throw new ValidationError(`ids.${i}`, `unknown ${ENTITY[table]}`);
    if (seen.has(id)) throw new ValidationError(`ids.${i}`, "listed twice");
    seen.add(id);
  });
  const order = [...ids, ...rows.map((r) => r.id).filter((id) => !seen.has(id))];
  for (const [position, id] of order.entries()) await trx.updateTable(table).set({ position }).where("id", "=", id).execute();
}

async function ordered(trx: Trx, table: Orderable, partnerId: string) {
  let q = trx.selectFrom(table).select("id").where("partnerId", "=", partnerId);
  if (table !== "stations") q = q.where("archived", "=", 0);
  return (await q.orderBy("position").execute()).map((r) => r.id);
}

// --- foods ----------------------------------------------------------------------------------

export type FoodInput = {
  partner: string;
  name: string;
  description?: string | null;
  imageUrl?: string | null;
  price: string;
  surcharge?: string;
  categoryId: string;
  station: string;
  prepMinutes?: number | null;
  allergens?: string[];
  available?: boolean;
  modifierGroupIds?: string[];
};

export type FoodPatch = Partial<Omit<FoodInput, "partner">> & { category?: string };

async function linkGroups(trx: Trx, partnerId: string, foodId: string, groupIds: readonly string[]) {
  const groups = groupIds.length
    ? await trx
        .selectFrom("modifierGroups")
        .select("id")
        .where("partnerId", "=", partnerId)
        .where("archived", "=", 0)
        .where("id", "in", groupIds)
        .execute()
    : [];
  const known = new Set(groups.map((g) => g.id));
  const seen = new Set<string>();
  groupIds.forEach((id, i) => {
    // Another partner's group is reported exactly like an unknown one.
    if (!known.has(id)) throw new ValidationError(`modifierGroupIds.${i}`, "unknown modifier group");
    if (seen.has(id)) throw new ValidationError(`modifierGroupIds.${i}`, "listed twice");
    seen.add(id);
  });
  await trx.deleteFrom("foodModifierGroups").where("foodId", "=", foodId).execute();
  if (groupIds.length) {
    await trx
      .insertInto("foodModifierGroups")
      .values(groupIds.map((groupId, position) => ({ foodId, groupId, position })))
      .execute();
  }
}

async function foodDto(trx: Trx, id: string): Promise<FoodDto> {
  const row = (await trx.selectFrom("foods").selectAll().where("id", "=", id).executeTakeFirstOrThrow())!;
  const links = await trx.selectFrom("foodModifierGroups").select("groupId").where("foodId", "=", id).orderBy("position").execute();
  return toFoodDto(
    row,
    links.map((l) => l.groupId),
  );
}

export async function createFood({ db, principal, input }: { db: Db; principal: Principal; input: FoodInput }) {
  assertCan(principal, "menu:write");
  const price = parseMoney(input.price, "price");
  const surcharge = input.surcharge === undefined ? 0 : parseMoney(input.surcharge, "surcharge");
  const allergens = allergenList(input.allergens ?? [], "allergens");
  const prep = prepMinutes(input.prepMinutes);
  return mutate(db, async (trx, emit) => {
    const partner = await partnerBySlug(trx, principal, input.partner);
    const category = await liveCategory(trx, partner.id, input.categoryId, "categoryId");
    await assertStation(trx, partner.id, input.station, "station");
    const id = newId();
    await trx
      .insertInto("foods")
      .values({
        id,
        partnerId: partner.id,
        name: input.name,
        description: input.description || null,
        imageUrl: input.imageUrl || null,
        price,
        surcharge,
        category: category.name,
        categoryId: category.id,
        station: input.station,
        prepMinutes: prep,
        allergens: JSON.stringify(allergens),
        available: input.available === false ? 0 : 1,
        archived: 0,
        availableAgainAt: null,
        position: await nextPosition(trx, "foods", partner.id),
        updatedAt: nowIso(),
      })
      .execute();
    await linkGroups(trx, partner.id, id, input.modifierGroupIds ?? []);
    const dto = await foodDto(trx, id);
    await foodEvent(emit, "food.created", partner.id, dto, {});
    return dto;
  });
}

/** PATCH semantics: only the given fields change; `food.updated` names them (seeds/001 `changed_fields`). */
export async function updateFood({ db, principal, id, patch }: { db: Db; principal: Principal; id: string; patch: FoodPatch }) {
  assertCan(principal, "menu:write");
  const set: Record<string, string | number | null> = {};
  if (patch.name !== undefined) set.name = patch.name.trim();
  if (patch.description !== undefined) set.description = patch.description || null;
  if (patch.imageUrl !== undefined) set.imageUrl = patch.imageUrl || null;
  if (patch.price !== undefined) set.price = parseMoney(patch.price, "price");
  if (patch.surcharge !== undefined) set.surcharge = parseMoney(patch.surcharge, "surcharge");
  if (patch.prepMinutes !== undefined) set.prepMinutes = prepMinutes(patch.prepMinutes);
  if (patch.allergens !== undefined) set.allergens = JSON.stringify(allergenList(patch.allergens, "allergens"));
  if (patch.available !== undefined) {
    set.available = patch.available ? 1 : 0;
    set.availableAgainAt = null;
  }
  const groupIds = patch.modifierGroupIds;
  if (
    Object.keys(set).length === 0 &&
    patch.station === undefined &&
    patch.categoryId === undefined &&
    patch.category === undefined &&
    groupIds === undefined
  ) {
    throw new ValidationError("body", "nothing to change");
  }
  return mutate(db, async (trx, emit) => {
    const food = await visibleRow(trx, principal, "foods", id, "food");
    if (food.archived) throw new ConflictError("the food is archived", { field: "id" });
    if (patch.station !== undefined) {
      await assertStation(trx, food.partnerId, patch.station.trim(), "station");
      set.station = patch.station.trim();
    }
    if (patch.categoryId !== undefined) {
      const category = await liveCategory(trx, food.partnerId, patch.categoryId, "categoryId");
      set.categoryId = category.id;
      set.category = category.name;
    } else if (patch.category !== undefined) {
      // The pre-menu-model field: a category by name (POST /api/foods/{id} keeps working).
      const wanted = patch.category.trim().toLowerCase();
      const categories = await trx
        .selectFrom("categories")
        .selectAll()
        .where("partnerId", "=", food.partnerId)
        .where("archived", "=", 0)
        .execute();
      const category = categories.find((c) => c.name.toLowerCase() === wanted);
      if (!category) throw new ValidationError("category", `no category '${patch.category.trim()}' (create it first)`);
      set.categoryId = category.id;
      set.category = category.name;
    }
    const before = await foodDto(trx, id);
    if (Object.keys(set).length)
      await trx
        .updateTable("foods")
        .set({ ...(set as Partial<Selectable<FoodsTable>>), updatedAt: nowIso() })
        .where("id", "=", id)
        .execute();
    if (groupIds !== undefined) await linkGroups(trx, food.partnerId, id, groupIds);
    const dto = await foodDto(trx, id);
    const changed = changedFields(before, dto);
    await foodEvent(emit, "food.updated", food.partnerId, dto, changed);
    return dto;
  });
}

function changedFields(before: FoodDto, after: FoodDto): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(after) as (keyof FoodDto)[]) {
    if (JSON.stringify(before[k]) !== JSON.stringify(after[k])) out[k] = after[k];
  }
  return out;
}

/** Archived foods leave the menu but stay readable by the orders that have them (SPEC §2b). */
export async function archiveFood({ db, principal, id }: { db: Db; principal: Principal; id: string }) {
  assertCan(principal, "menu:write");
  return mutate(db, async (trx, emit) => {
    const food = await visibleRow(trx, principal, "foods", id, "food");
    if (food.archived) throw new ConflictError("the food is already archived", { field: "id" });
    await trx.updateTable("foods").set({ archived: 1, updatedAt: nowIso() }).where("id", "=", id).execute();
    const dto = await foodDto(trx, id);
    await foodEvent(emit, "food.archived", food.partnerId, dto, { archived: true });
    return dto;
  });
}

// --- modifier groups and options --------------------------------------------------------------

export type OptionInput = {
  name: string;
  priceDelta?: string;
  allergens?: string[];
  station?: string | null;
  available?: boolean;
};

export type GroupInput = { partner: string; name: string; min: number; max: number; options?: OptionInput[] };

function choiceBounds(min: number, max: number, optionCount: number | null) {
  if (!Number.isInteger(min) || min < 0 || min > 20) throw new ValidationError("min", "must be a whole number 0–20");
  if (!Number.isInteger(max) || max < 1 || max > 20) throw new ValidationError("max", "must be a whole number 1–20");
  if (min > max) throw new ValidationError("min", `must not exceed max (${max})`);
  if (optionCount !== null && min > optionCount) throw new ValidationError("min", `the group has only ${optionCount} option(s)`);
}

/** `prefix` is where the option sits in the body ("options.2." in a new group, "" for POST …/options). */
async function optionRow(trx: Trx, partnerId: string, groupId: string, o: OptionInput, position: number, prefix: string) {
  if (o.station) await assertStation(trx, partnerId, o.station, `${prefix}station`);
  return {
    id: newId(),
    groupId,
    partnerId,
    name: o.name,
    priceDelta: o.priceDelta === undefined ? 0 : parseSignedMoney(o.priceDelta, `${prefix}priceDelta`),
    allergens: JSON.stringify(allergenList(o.allergens ?? [], `${prefix}allergens`)),
    station: o.station || null,
    available: o.available === false ? 0 : 1,
    availableAgainAt: null,
    position,
    archived: 0,
    updatedAt: nowIso(),
  };
}

async function groupDto(trx: Trx, id: string) {
  const g = (await trx.selectFrom("modifierGroups").selectAll().where("id", "=", id).executeTakeFirstOrThrow())!;
  const options = await trx
    .selectFrom("modifierOptions")
    .selectAll()
    .where("groupId", "=", id)
    .where("archived", "=", 0)
    .orderBy("position")
    .execute();
  return toGroupDto(g, options);
}

export async function createGroup({ db, principal, input }: { db: Db; principal: Principal; input: GroupInput }) {
  assertCan(principal, "menu:write");
  const options = input.options ?? [];
  choiceBounds(input.min, input.max, input.options ? options.length : null);
  return mutate(db, async (trx, emit) => {
    const partner = await partnerBySlug(trx, principal, input.partner);
    const id = newId();
    await trx
      .insertInto("modifierGroups")
      .values({
        id,
        partnerId: partner.id,
        name: input.name,
        minChoices: input.min,
        maxChoices: input.max,
        position: await nextPosition(trx, "modifierGroups", partner.id),
        archived: 0,
        updatedAt: nowIso(),
      })
      .execute();
    for (const [i, o] of options.entries()) {
      await trx
        .insertInto("modifierOptions")
        .values(await optionRow(trx, partner.id, id, o, i, `options.${i}.`))
        .execute();
    }
    await menuEvent(emit, partner.id, { entity: "group", action: "created", id });
    return groupDto(trx, id);
  });
}

export async function updateGroup({
  db,
  principal,
  id,
  patch,
}: {
  db: Db;
  principal: Principal;
  id: string;
  patch: { name?: string; min?: number; max?: number };
}) {
  assertCan(principal, "menu:write");
  if (patch.name === undefined && patch.min === undefined && patch.max === undefined)
    throw new ValidationError("body", "nothing to change");
  return mutate(db, async (trx, emit) => {
    const g = await visibleRow(trx, principal, "modifierGroups", id, "modifier group");
    if (g.archived) throw new ConflictError("the modifier group is archived", { field: "id" });
    const count = (await trx.selectFrom("modifierOptions").select("id").where("groupId", "=", id).where("archived", "=", 0).execute())
      .length;
    const min = patch.min ?? Number(g.minChoices);
    const max = patch.max ?? Number(g.maxChoices);
    choiceBounds(min, max, count);
    await trx
      .updateTable("modifierGroups")
      .set({ ...(patch.name !== undefined ? { name: patch.name } : {}), minChoices: min, maxChoices: max, updatedAt: nowIso() })
      .where("id", "=", id)
      .execute();
    await menuEvent(emit, g.partnerId, { entity: "group", action: "updated", id });
    return groupDto(trx, id);
  });
}

export async function archiveGroup({ db, principal, id }: { db: Db; principal: Principal; id: string }) {
  assertCan(principal, "menu:write");
  return mutate(db, async (trx, emit) => {
    const g = await visibleRow(trx, principal, "modifierGroups", id, "modifier group");
    if (g.archived) throw new ConflictError("the modifier group is already archived", { field: "id" });
    await trx.updateTable("modifierGroups").set({ archived: 1, updatedAt: nowIso() }).where("id", "=", id).execute();
    await trx.deleteFrom("foodModifierGroups").where("groupId", "=", id).execute();
    await menuEvent(emit, g.partnerId, { entity: "group", action: "archived", id });
    return { id, archived: true };
  });
}

export async function addOption({ db, principal, groupId, input }: { db: Db; principal: Principal; groupId: string; input: OptionInput }) {
  assertCan(principal, "menu:write");
  return mutate(db, async (trx, emit) => {
    const g = await visibleRow(trx, principal, "modifierGroups", groupId, "modifier group");
    if (g.archived) throw new ConflictError("the modifier group is archived", { field: "id" });
    const last = await trx
      .selectFrom("modifierOptions")
      .select((eb) => eb.fn.max<number>("position").as("max"))
      .where("groupId", "=", groupId)
      .executeTakeFirst();
    const position = last?.max === null || last?.max === undefined ? 0 : Number(last.max) + 1;
    const row = await optionRow(trx, g.partnerId, groupId, input, position, "");
    await trx.insertInto("modifierOptions").values(row).execute();
    await menuEvent(emit, g.partnerId, { entity: "option", action: "created", id: row.id });
    return groupDto(trx, groupId);
  });
}

export async function updateOption({
  db,
  principal,
  groupId,
  id,
  patch,
}: {
  db: Db;
  principal: Principal;
  groupId: string;
  id: string;
  patch: Partial<OptionInput>;
}) {
  assertCan(principal, "menu:write");
  if (Object.keys(patch).length === 0) throw new ValidationError("body", "nothing to change");
  return mutate(db, async (trx, emit) => {
    const o = await visibleRow(trx, principal, "modifierOptions", id, "option");
    if (o.groupId !== groupId) throw new NotFoundError("option");
    if (o.archived) throw new ConflictError("the option is archived", { field: "id" });
    const set: Record<string, string | number | null> = {};
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.priceDelta !== undefined) set.priceDelta = parseSignedMoney(patch.priceDelta, "priceDelta");
    if (patch.allergens !== undefined) set.allergens = JSON.stringify(allergenList(patch.allergens, "allergens"));
    if (patch.station !== undefined) {
      if (patch.station) await assertStation(trx, o.partnerId, patch.station, "station");
      set.station = patch.station || null;
    }
    if (patch.available !== undefined) {
      set.available = patch.available ? 1 : 0;
      set.availableAgainAt = null;
    }
    await trx
      .updateTable("modifierOptions")
      .set({ ...set, updatedAt: nowIso() })
      .where("id", "=", id)
      .execute();
    await menuEvent(emit, o.partnerId, { entity: "option", action: "updated", id });
    return groupDto(trx, groupId);
  });
}

export async function archiveOption({ db, principal, groupId, id }: { db: Db; principal: Principal; groupId: string; id: string }) {
  assertCan(principal, "menu:write");
  return mutate(db, async (trx, emit) => {
    const o = await visibleRow(trx, principal, "modifierOptions", id, "option");
    if (o.groupId !== groupId) throw new NotFoundError("option");
    if (o.archived) throw new ConflictError("the option is already archived", { field: "id" });
    await trx.updateTable("modifierOptions").set({ archived: 1, updatedAt: nowIso() }).where("id", "=", id).execute();
    await menuEvent(emit, o.partnerId, { entity: "option", action: "archived", id });
    return groupDto(trx, groupId);
  });
}

export async function reorderOptions({
  db,
  principal,
  groupId,
  ids,
}: {
  db: Db;
  principal: Principal;
  groupId: string;
  ids: readonly string[];
}) {
  assertCan(principal, "menu:write");
  return mutate(db, async (trx, emit) => {
    const g = await visibleRow(trx, principal, "modifierGroups", groupId, "modifier group");
    const rows = await trx
      .selectFrom("modifierOptions")
      .select("id")
      .where("groupId", "=", groupId)
      .where("archived", "=", 0)
      .orderBy("position")
      .execute();
    await applyOrder(trx, "modifierOptions", rows, ids);
    await menuEvent(emit, g.partnerId, { entity: "option", action: "reordered", id: groupId });
    return groupDto(trx, groupId);
  });
}
