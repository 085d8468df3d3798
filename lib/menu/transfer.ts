import "server-only";
import { z } from "zod";
import { type Principal, assertCan, assertPartnerVisible } from "../auth/access";
import type { Db } from "../db";
import { newId, nowIso } from "../db/ids";
import { AppError, NotFoundError } from "../errors";
import { key, money, name, text } from "../fields";
import { mutate, type Trx } from "../events";
import { EVENT_PAYLOAD_VERSION, type MenuChange } from "../orders/events";
import { formatMoney, parseMoney, parseSignedMoney } from "../orders/money";
import { isAllergen, sortAllergens } from "./allergens";
import { loadCatalog } from "./catalog";
import { toFoodDto } from "./model";

/**
 * A whole menu as one JSON file (issue "The menu" item 4, docs/contracts.md "Menu file"): what
 * `npm run pass -- menu export` writes and `menu import` reads, so a restaurant group copies a
 * menu between locations; lib/menu/demo-menu.json is the demo restaurant in it.
 *
 * No ids: stations are named by `key`, categories by `name`, modifier groups by `key` (or, when a
 * food names one that no key matches, by a unique `name`). Availability is not part of a menu
 * (it is the day's 86 state): everything imported is available.
 *
 * Import REPLACES the partner's menu: its live categories, foods and modifier groups are archived
 * (old orders still read them) and the file's are created; stations are kept and the file's are
 * created or renamed by key. Everything is validated first and every error reported with its
 * JSON path (`foods[3].modifierGroups[0]: unknown group 'Sauce'`); one error and nothing is
 * written. On success it is one transaction with the events of each change.
 */
export const MENU_FILE_FORMAT = "pass-menu";
export const MENU_FILE_VERSION = 1;

const minutes = z.number("must be a number").int("must be a whole number").min(1, "must be at least 1").max(240, "must be at most 240");
const count = z.number("must be a number").int("must be a whole number");
const allergenCodes = z.array(key(32)).max(14, "at most 14 allergens");
const url = text(500).refine((v) => v === "" || /^(https?:\/\/|\/)[^\s]+$/.test(v), "must be an http(s) URL or a path");

const stationSchema = z.strictObject({ key: key(32), name: name(64), prepMinutes: minutes.nullish() });
const categorySchema = z.strictObject({ name: name(64) });
const optionSchema = z.strictObject({
  name: name(64),
  priceDelta: z.string("must be a decimal string").max(17, "at most 17 characters").optional(),
  allergens: allergenCodes.optional(),
  station: key(32).nullish(),
});
const groupSchema = z.strictObject({
  key: key(64).optional(),
  name: name(64),
  min: count,
  max: count,
  options: z.array(optionSchema).min(1, "a group needs at least one option").max(50, "at most 50 options"),
});
const foodSchema = z.strictObject({
  name: name(100),
  category: name(64),
  station: key(32),
  price: money,
  surcharge: money.optional(),
  description: text(500, { multiline: true }).nullish(),
  imageUrl: url.nullish(),
  prepMinutes: minutes.nullish(),
  allergens: allergenCodes.optional(),
  /** Modifier groups by `key` (or by a unique `name`), in the order the guest sees them. */
  modifierGroups: z.array(key(64)).max(20, "at most 20 groups").optional(),
});

export const menuFileSchema = z.strictObject({
  format: z.literal(MENU_FILE_FORMAT, `must be "${MENU_FILE_FORMAT}"`),
  version: z.literal(MENU_FILE_VERSION, `must be ${MENU_FILE_VERSION}`),
  stations: z.array(stationSchema).max(50, "at most 50 stations").optional(),
  categories: z.array(categorySchema).max(100, "at most 100 categories"),
  modifierGroups: z.array(groupSchema).max(200, "at most 200 groups").optional(),
  foods: z.array(foodSchema).max(1000, "at most 1000 foods"),
});

export type MenuFile = z.infer<typeof menuFileSchema>;

/** The canonical form `exportMenu` writes: every field present, in display order. */
export type ExportedMenu = {
  format: typeof MENU_FILE_FORMAT;
  version: typeof MENU_FILE_VERSION;
  stations: { key: string; name: string; prepMinutes: number | null }[];
  categories: { name: string }[];
  modifierGroups: {
    key: string;
    name: string;
    min: number;
    max: number;
    options: { name: string; priceDelta: string; allergens: string[]; station: string | null }[];
  }[];
  foods: {
    name: string;
    category: string;
    station: string;
    price: string;
    surcharge: string;
    description: string | null;
    imageUrl: string | null;
    prepMinutes: number | null;
    allergens: string[];
    modifierGroups: string[];
  }[];
};

export type MenuFileError = { path: string; message: string };

/** 400 listing every error of a menu file; `field` is the first one's path. */
export class MenuFileInvalid extends AppError {
  constructor(readonly errors: MenuFileError[]) {
    super(
      400,
      "VALIDATION_FAILED",
      `the menu file has ${errors.length} error(s): ${errors
        .slice(0, 5)
        .map((e) => `${e.path}: ${e.message}`)
        .join("; ")}${errors.length > 5 ? "; …" : ""}`,
      { field: errors[0]?.path ?? "body", errors },
    );
  }
}

/** `foods[3].modifierGroups[0]` from zod's ["foods", 3, "modifierGroups", 0]. */
export function jsonPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || "(file)";
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60) || "group";

const STATION_KEY = /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/;

// --- export -----------------------------------------------------------------------------------

/** The partner's live menu in the file shape; group keys are their names as slugs (`size`, `size-2`). */
export async function exportMenu(db: Db, partnerId: string): Promise<ExportedMenu> {
  const c = await loadCatalog(db, partnerId);
  const keyOf = new Map<string, string>();
  const used = new Set<string>();
  for (const g of c.modifierGroups) {
    let k = slug(g.name);
    for (let n = 2; used.has(k); n++) k = `${slug(g.name)}-${n}`;
    used.add(k);
    keyOf.set(g.id, k);
  }
  const categoryName = new Map(c.categories.map((cat) => [cat.id, cat.name]));
  return {
    format: MENU_FILE_FORMAT,
    version: MENU_FILE_VERSION,
    stations: c.stations.map((s) => ({ key: s.key, name: s.name, prepMinutes: s.prepMinutes })),
    categories: c.categories.map((cat) => ({ name: cat.name })),
    modifierGroups: c.modifierGroups.map((g) => ({
      key: keyOf.get(g.id)!,
      name: g.name,
      min: g.min,
      max: g.max,
      options: g.options.map((o) => ({ name: o.name, priceDelta: o.priceDelta, allergens: o.allergens, station: o.station })),
    })),
    foods: c.foods.map((f) => ({
      name: f.name,
      category: (f.categoryId && categoryName.get(f.categoryId)) || f.category,
      station: f.station,
      price: f.price,
      surcharge: f.surcharge,
      description: f.description,
      imageUrl: f.imageUrl,
      prepMinutes: f.prepMinutes,
      allergens: f.allergens,
      modifierGroups: f.modifierGroupIds.map((id) => keyOf.get(id)!).filter(Boolean),
    })),
  };
}

// --- validation -------------------------------------------------------------------------------

type Planned = {
  stations: { key: string; name: string; prepMinutes: number | null }[];
  categories: string[];
  groups: {
    name: string;
    min: number;
    max: number;
    options: { name: string; priceDelta: number; allergens: string[]; station: string | null }[];
  }[];
  foods: {
    name: string;
    category: string;
    station: string;
    price: number;
    surcharge: number;
    description: string | null;
    imageUrl: string | null;
    prepMinutes: number | null;
    allergens: string[];
    groups: number[];
  }[];
};

function capture<T>(errors: MenuFileError[], path: string, run: () => T): T | undefined {
  try {
    return run();
  } catch (err) {
    if (err instanceof AppError) errors.push({ path, message: err.message.replace(/^[^:]+: /, "") });
    else throw err;
    return undefined;
  }
}

function checkAllergens(errors: MenuFileError[], path: string, codes: readonly string[] | undefined): string[] {
  (codes ?? []).forEach((c, i) => {
    if (!isAllergen(c)) errors.push({ path: `${path}[${i}]`, message: `unknown allergen '${c}' (one of the EU 14)` });
  });
  return sortAllergens(codes ?? []);
}

/**
 * Every error of a menu file with its JSON path, or the plan to write. `existingStations` are the
 * partner's station keys (kept by an import; a food may name one the file does not list).
 */
export function validateMenuFile(input: unknown, existingStations: readonly string[] = []): { errors: MenuFileError[]; plan?: Planned } {
  const parsed = menuFileSchema.safeParse(input);
  if (!parsed.success) {
    return { errors: parsed.error.issues.map((i) => ({ path: jsonPath(i.path), message: i.message })) };
  }
  const file = parsed.data;
  const errors: MenuFileError[] = [];
  const plan: Planned = { stations: [], categories: [], groups: [], foods: [] };

  const stationKeys = new Set(existingStations);
  const seenStations = new Set<string>();
  (file.stations ?? []).forEach((s, i) => {
    if (!STATION_KEY.test(s.key))
      errors.push({ path: `stations[${i}].key`, message: "lower-case letters, digits and '-', at most 32 characters" });
    if (seenStations.has(s.key)) errors.push({ path: `stations[${i}].key`, message: `station '${s.key}' is listed twice` });
    seenStations.add(s.key);
    stationKeys.add(s.key);
    plan.stations.push({ key: s.key, name: s.name, prepMinutes: s.prepMinutes ?? null });
  });
  const checkStation = (path: string, k: string) => {
    if (!stationKeys.has(k)) errors.push({ path, message: `unknown station '${k}' (list it under "stations")` });
  };

  const categoryByName = new Map<string, string>();
  file.categories.forEach((c, i) => {
    const lower = c.name.toLowerCase();
    if (categoryByName.has(lower)) errors.push({ path: `categories[${i}].name`, message: `category '${c.name}' is listed twice` });
    else categoryByName.set(lower, c.name);
    plan.categories.push(c.name);
  });

  const groups = file.modifierGroups ?? [];
  const byKey = new Map<string, number>();
  const byName = new Map<string, number[]>();
  groups.forEach((g, i) => {
    const at = `modifierGroups[${i}]`;
    if (g.key !== undefined) {
      if (byKey.has(g.key)) errors.push({ path: `${at}.key`, message: `group key '${g.key}' is used twice` });
      else byKey.set(g.key, i);
    }
    byName.set(g.name, [...(byName.get(g.name) ?? []), i]);
    if (g.min < 0 || g.min > 20) errors.push({ path: `${at}.min`, message: "must be a whole number 0–20" });
    if (g.max < 1 || g.max > 20) errors.push({ path: `${at}.max`, message: "must be a whole number 1–20" });
    if (g.min > g.max) errors.push({ path: `${at}.min`, message: `must not exceed max (${g.max})` });
    if (g.min > g.options.length) errors.push({ path: `${at}.min`, message: `the group has only ${g.options.length} option(s)` });
    const names = new Set<string>();
    const options = g.options.map((o, j) => {
      const oat = `${at}.options[${j}]`;
      if (names.has(o.name.toLowerCase())) errors.push({ path: `${oat}.name`, message: `option '${o.name}' is listed twice` });
      names.add(o.name.toLowerCase());
      if (o.station) checkStation(`${oat}.station`, o.station);
      return {
        name: o.name,
        priceDelta: capture(errors, `${oat}.priceDelta`, () => parseSignedMoney(o.priceDelta ?? "0", "priceDelta")) ?? 0,
        allergens: checkAllergens(errors, `${oat}.allergens`, o.allergens),
        station: o.station || null,
      };
    });
    plan.groups.push({ name: g.name, min: g.min, max: g.max, options });
  });
  const resolveGroup = (ref: string): number | string => {
    const k = byKey.get(ref);
    if (k !== undefined) return k;
    const named = byName.get(ref) ?? [];
    if (named.length === 1) return named[0]!;
    if (named.length > 1) return `group name '${ref}' is ambiguous (${named.length} groups): use a key`;
    return `unknown group '${ref}'`;
  };

  const foodNames = new Set<string>();
  file.foods.forEach((f, i) => {
    const at = `foods[${i}]`;
    if (foodNames.has(f.name.toLowerCase())) errors.push({ path: `${at}.name`, message: `food '${f.name}' is listed twice` });
    foodNames.add(f.name.toLowerCase());
    const category = categoryByName.get(f.category.toLowerCase());
    if (!category) errors.push({ path: `${at}.category`, message: `unknown category '${f.category}' (list it under "categories")` });
    checkStation(`${at}.station`, f.station);
    const price = capture(errors, `${at}.price`, () => parseMoney(f.price, "price"));
    const surcharge = capture(errors, `${at}.surcharge`, () => parseMoney(f.surcharge ?? "0", "surcharge"));
    const linked: number[] = [];
    (f.modifierGroups ?? []).forEach((ref, j) => {
      const r = resolveGroup(ref);
      if (typeof r === "string") errors.push({ path: `${at}.modifierGroups[${j}]`, message: r });
      else if (linked.includes(r)) errors.push({ path: `${at}.modifierGroups[${j}]`, message: `group '${ref}' is listed twice` });
      else linked.push(r);
    });
    // The cheapest line the guest could build must not cost less than nothing (a negative line).
    if (price !== undefined) {
      let cheapest = price;
      for (const g of linked) {
        const deltas = plan.groups[g]!.options.map((o) => o.priceDelta).sort((a, b) => a - b);
        cheapest += deltas
          .slice(0, plan.groups[g]!.max)
          .filter((d) => d < 0)
          .reduce((a, b) => a + b, 0);
      }
      if (cheapest < 0)
        errors.push({
          path: `${at}.modifierGroups`,
          message: `the options can make '${f.name}' cost less than nothing (${formatMoney(cheapest)})`,
        });
    }
    plan.foods.push({
      name: f.name,
      category: category ?? f.category,
      station: f.station,
      price: price ?? 0,
      surcharge: surcharge ?? 0,
      description: f.description || null,
      imageUrl: f.imageUrl || null,
      prepMinutes: f.prepMinutes ?? null,
      allergens: checkAllergens(errors, `${at}.allergens`, f.allergens),
      groups: linked,
    });
  });
  return errors.length ? { errors } : { errors, plan };
}

// --- import -----------------------------------------------------------------------------------

export type ImportSummary = {
  partner: string;
  stations: { created: number; updated: number };
  categories: number;
  modifierGroups: number;
  options: number;
  foods: number;
  archived: { categories: number; modifierGroups: number; foods: number };
};

/**
 * Replaces the partner's menu with the file's (see the module comment). `principal` null is the
 * CLI or first start (trusted); otherwise it needs `menu:write` on that partner. Throws
 * MenuFileInvalid (400, every error with its path) before writing anything.
 */
export async function importMenu(db: Db, principal: Principal | null, partnerSlug: string, json: unknown): Promise<ImportSummary> {
  if (principal) assertCan(principal, "menu:write");
  return mutate(db, async (trx, emit) => {
    const partner = await trx.selectFrom("partners").selectAll().where("slug", "=", partnerSlug).executeTakeFirst();
    if (!partner) throw new NotFoundError("partner", { field: "partner" });
    if (principal) assertPartnerVisible(principal, partner.id, "partner", { field: "partner" });
    const existing = await trx.selectFrom("stations").selectAll().where("partnerId", "=", partner.id).orderBy("position").execute();
    const { errors, plan } = validateMenuFile(
      json,
      existing.map((s) => s.key),
    );
    if (!plan) throw new MenuFileInvalid(errors);
    return writePlan(trx, emit, partner.id, partner.slug, plan, existing);
  });
}

type Emit = Parameters<Parameters<typeof mutate>[1]>[1];

async function writePlan(
  trx: Trx,
  emit: Emit,
  partnerId: string,
  slugOf: string,
  plan: Planned,
  existing: { id: string; key: string; name: string; prepMinutes: number | null }[],
): Promise<ImportSummary> {
  const now = nowIso();
  const menu = (change: MenuChange) =>
    emit({ version: EVENT_PAYLOAD_VERSION, partnerId, type: "menu.changed", orderId: null, payload: change });

  // 1. The old menu leaves (archived: old orders and the back office's history still read it).
  const oldFoods = await trx
    .selectFrom("foods")
    .selectAll()
    .where("partnerId", "=", partnerId)
    .where("archived", "=", 0)
    .orderBy("position")
    .execute();
  for (const f of oldFoods) {
    await trx.updateTable("foods").set({ archived: 1, updatedAt: now }).where("id", "=", f.id).execute();
    const links = await trx.selectFrom("foodModifierGroups").select("groupId").where("foodId", "=", f.id).orderBy("position").execute();
    const food = toFoodDto(
      { ...f, archived: 1, updatedAt: now },
      links.map((l) => l.groupId),
    );
    await emit({
      version: EVENT_PAYLOAD_VERSION,
      partnerId,
      type: "food.archived",
      orderId: null,
      payload: { food, changed: { archived: true } },
    });
  }
  const oldGroups = await trx
    .selectFrom("modifierGroups")
    .select("id")
    .where("partnerId", "=", partnerId)
    .where("archived", "=", 0)
    .execute();
  for (const g of oldGroups) {
    await trx.updateTable("modifierGroups").set({ archived: 1, updatedAt: now }).where("id", "=", g.id).execute();
    await menu({ entity: "group", action: "archived", id: g.id });
  }
  const oldCategories = await trx
    .selectFrom("categories")
    .select("id")
    .where("partnerId", "=", partnerId)
    .where("archived", "=", 0)
    .execute();
  for (const c of oldCategories) {
    await trx.updateTable("categories").set({ archived: 1, updatedAt: now }).where("id", "=", c.id).execute();
    await menu({ entity: "category", action: "archived", id: c.id });
  }

  // 2. Stations by key: the file's first, in its order, then the others as they were.
  const byKey = new Map(existing.map((s) => [s.key, s]));
  let created = 0;
  let updated = 0;
  for (const s of plan.stations) {
    const old = byKey.get(s.key);
    if (!old) {
      const id = newId();
      await trx
        .insertInto("stations")
        .values({ id, partnerId, key: s.key, name: s.name, position: 0, prepMinutes: s.prepMinutes, createdAt: now })
        .execute();
      await menu({ entity: "station", action: "created", id });
      created++;
    } else if (old.name !== s.name || (old.prepMinutes === null ? null : Number(old.prepMinutes)) !== s.prepMinutes) {
      await trx.updateTable("stations").set({ name: s.name, prepMinutes: s.prepMinutes }).where("id", "=", old.id).execute();
      await menu({ entity: "station", action: "updated", id: old.id });
      updated++;
    }
  }
  const order = [...plan.stations.map((s) => s.key), ...existing.map((s) => s.key).filter((k) => !plan.stations.some((s) => s.key === k))];
  for (const [position, k] of order.entries())
    await trx.updateTable("stations").set({ position }).where("partnerId", "=", partnerId).where("key", "=", k).execute();

  // 3. The new menu.
  const categoryId = new Map<string, string>();
  for (const [position, categoryName] of plan.categories.entries()) {
    const id = newId();
    categoryId.set(categoryName.toLowerCase(), id);
    await trx.insertInto("categories").values({ id, partnerId, name: categoryName, position, archived: 0, updatedAt: now }).execute();
    await menu({ entity: "category", action: "created", id });
  }
  const groupIds: string[] = [];
  let options = 0;
  for (const [position, g] of plan.groups.entries()) {
    const id = newId();
    groupIds.push(id);
    await trx
      .insertInto("modifierGroups")
      .values({ id, partnerId, name: g.name, minChoices: g.min, maxChoices: g.max, position, archived: 0, updatedAt: now })
      .execute();
    await trx
      .insertInto("modifierOptions")
      .values(
        g.options.map((o, i) => ({
          id: newId(),
          groupId: id,
          partnerId,
          name: o.name,
          priceDelta: o.priceDelta,
          allergens: JSON.stringify(o.allergens),
          station: o.station,
          available: 1,
          availableAgainAt: null,
          position: i,
          archived: 0,
          updatedAt: now,
        })),
      )
      .execute();
    options += g.options.length;
    await menu({ entity: "group", action: "created", id });
  }
  for (const [position, f] of plan.foods.entries()) {
    const id = newId();
    const row = {
      id,
      partnerId,
      name: f.name,
      description: f.description,
      imageUrl: f.imageUrl,
      price: f.price,
      surcharge: f.surcharge,
      category: f.category,
      categoryId: categoryId.get(f.category.toLowerCase())!,
      station: f.station,
      prepMinutes: f.prepMinutes,
      allergens: JSON.stringify(f.allergens),
      available: 1,
      archived: 0,
      availableAgainAt: null,
      position,
      updatedAt: now,
    };
    await trx.insertInto("foods").values(row).execute();
    const linked = f.groups.map((g) => groupIds[g]!);
    if (linked.length)
      await trx
        .insertInto("foodModifierGroups")
        .values(linked.map((groupId, i) => ({ foodId: id, groupId, position: i })))
        .execute();
    await emit({
      version: EVENT_PAYLOAD_VERSION,
      partnerId,
      type: "food.created",
      orderId: null,
      payload: { food: toFoodDto(row, linked), changed: {} },
    });
  }
  return {
    partner: slugOf,
    stations: { created, updated },
    categories: plan.categories.length,
    modifierGroups: plan.groups.length,
    options,
    foods: plan.foods.length,
    archived: { categories: oldCategories.length, modifierGroups: oldGroups.length, foods: oldFoods.length },
  };
}
