import "server-only";
import { type Selectable, sql } from "kysely";
import {
  type Db,
  type FoodModifierGroupsTable,
  type FoodsTable,
  isPostgres,
  type ModifierGroupsTable,
  type ModifierOptionsTable,
  type PartnersTable,
} from "../db";
import { ValidationError } from "../errors";
import type { Trx } from "../events";
import type { LineModifier } from "../orders/dto";
import { formatMoney } from "../orders/money";
import { type AllergenCode, readAllergens, sortAllergens } from "./allergens";

/**
 * Every line of a new order priced and checked against the menu (issue "The menu" item 5): the
 * food and each chosen option must be this partner's, live and available; each of the food's
 * groups gets between min and max options; unitPrice = food price + Σ option deltas. Errors
 * name the field (`items.2.modifiers.0.optionIds.1`) and nothing is written.
 */
export type LineInput = {
  foodId: string;
  quantity: number;
  notes?: string | null;
  modifiers?: { groupId: string; optionIds: string[] }[];
  course?: number;
};

export type PricedLine = {
  foodId: string;
  name: string;
  station: string;
  quantity: number;
  unitPrice: number;
  unitSurcharge: number;
  notes: string | null;
  modifiers: LineModifier[];
  allergens: AllergenCode[];
  course: number;
};

export async function priceLines(db: Db | Trx, partnerId: string, items: readonly LineInput[]): Promise<PricedLine[]> {
  return (await priceMenuLines(db, partnerId, items)).lines;
}

/** The menu rows a set of lines is priced from (readMenuRows; on PostgreSQL also read with the partner, lib/orders/service.ts). */
export type MenuRows = {
  foods: Selectable<FoodsTable>[];
  /** Ordered by position. */
  links: Selectable<FoodModifierGroupsTable>[];
  /** Live groups among those linked to the foods. */
  groups: Selectable<ModifierGroupsTable>[];
  /** Live options of the linked groups, ordered by position. */
  options: Selectable<ModifierOptionsTable>[];
};

/** The distinct foods a set of lines names. */
export const foodIdsOf = (items: readonly LineInput[]): string[] => [...new Set(items.map((i) => i.foodId))];

export async function readMenuRows(db: Db | Trx, partnerId: string, foodIds: readonly string[]): Promise<MenuRows> {
  const foods = await db.selectFrom("foods").selectAll().where("partnerId", "=", partnerId).where("id", "in", foodIds).execute();
  const links = await db.selectFrom("foodModifierGroups").selectAll().where("foodId", "in", foodIds).orderBy("position").execute();
  const groupIds = [...new Set(links.map((l) => l.groupId))];
  const groups = groupIds.length
    ? await db
        .selectFrom("modifierGroups")
        .selectAll()
        .where("partnerId", "=", partnerId)
        .where("id", "in", groupIds)
        .where("archived", "=", 0)
        .execute()
    : [];
  const options = groupIds.length
    ? await db
        .selectFrom("modifierOptions")
        .selectAll()
        .where("groupId", "in", groupIds)
        .where("archived", "=", 0)
        .orderBy("position")
        .execute()
    : [];
  return { foods, links, groups, options };
}

/**
 * priceLines, with each priced food's own prep target (minutes; null: its station's default), so
 * placing an order reads the foods once (issue 18 item 2: no re-reads on the write path).
 */
export async function priceMenuLines(
  db: Db | Trx,
  partnerId: string,
  items: readonly LineInput[],
): Promise<{ lines: PricedLine[]; prepMinutes: Map<string, number | null> }> {
  return priceFromMenu(await readMenuRows(db, partnerId, foodIdsOf(items)), items);
}

/** Prices and checks `items` against rows already read (pure: every error names its field). */
export function priceFromMenu(
  { foods, links, groups, options }: MenuRows,
  items: readonly LineInput[],
): { lines: PricedLine[]; prepMinutes: Map<string, number | null> } {
  const foodById = new Map(foods.map((f) => [f.id, f]));
  const groupById = new Map(groups.map((g) => [g.id, g]));
  const optionById = new Map(options.map((o) => [o.id, o]));
  const groupsOfFood = new Map<string, string[]>();
  for (const l of links) if (groupById.has(l.groupId)) groupsOfFood.set(l.foodId, [...(groupsOfFood.get(l.foodId) ?? []), l.groupId]);

  const prepMinutes = new Map(foods.map((f) => [f.id, f.prepMinutes === null ? null : Number(f.prepMinutes)]));
  const lines = items.map((item, index) => {
    const at = `items.${index}`;
    const food = foodById.get(item.foodId);
    // A food of another partner is reported exactly like an unknown one; an archived one is off the menu.
    if (!food || food.archived) throw new ValidationError(`${at}.foodId`, "unknown food");
    if (!food.available) throw new ValidationError(`${at}.foodId`, `'${food.name}' is not available`);
    const ofFood = groupsOfFood.get(food.id) ?? [];
    const chosen = new Map<string, string[]>();
    (item.modifiers ?? []).forEach((m, j) => {
      const field = `${at}.modifiers.${j}`;
      if (!ofFood.includes(m.groupId)) throw new ValidationError(`${field}.groupId`, `not a modifier group of '${food.name}'`);
      if (chosen.has(m.groupId)) throw new ValidationError(`${field}.groupId`, "the group is listed twice");
      const seen = new Set<string>();
      m.optionIds.forEach((id, k) => {
        const option = optionById.get(id);
        if (!option || option.groupId !== m.groupId) throw new ValidationError(`${field}.optionIds.${k}`, "not an option of this group");
        if (seen.has(id)) throw new ValidationError(`${field}.optionIds.${k}`, "chosen twice");
        if (!option.available) throw new ValidationError(`${field}.optionIds.${k}`, `'${option.name}' is not available`);
        seen.add(id);
      });
      chosen.set(m.groupId, m.optionIds);
    });
    const modifiers: LineModifier[] = [];
    const allergens: string[] = readAllergens(food.allergens);
    let unitPrice = Number(food.price);
    for (const groupId of ofFood) {
      const group = groupById.get(groupId)!;
      const ids = chosen.get(groupId) ?? [];
      const [min, max] = [Number(group.minChoices), Number(group.maxChoices)];
      const j = (item.modifiers ?? []).findIndex((m) => m.groupId === groupId);
      const field = j >= 0 ? `${at}.modifiers.${j}.optionIds` : `${at}.modifiers`;
      if (ids.length < min)
        throw new ValidationError(field, `'${group.name}' needs at least ${min} choice(s) for '${food.name}'`, { groupId, min, max });
      if (ids.length > max) throw new ValidationError(field, `'${group.name}' allows at most ${max} choice(s)`, { groupId, min, max });
      if (ids.length === 0) continue;
      const picked = ids.map((id) => optionById.get(id)!);
      for (const o of picked) {
        unitPrice += Number(o.priceDelta);
        allergens.push(...readAllergens(o.allergens));
      }
      modifiers.push({
        groupId,
        groupName: group.name,
        options: picked.map((o) => ({ id: o.id, name: o.name, priceDelta: Number(o.priceDelta), station: o.station })),
      });
    }
    if (unitPrice < 0) {
      throw new ValidationError(`${at}.modifiers`, `the options make '${food.name}' cost less than nothing (${formatMoney(unitPrice)})`);
    }
    return {
      foodId: food.id,
      name: food.name,
      station: food.station,
      quantity: item.quantity,
      unitPrice,
      unitSurcharge: Number(food.surcharge),
      notes: item.notes?.trim() ? item.notes.trim() : null,
      modifiers,
      allergens: sortAllergens(allergens),
      course: item.course ?? 1,
    };
  });
  return { lines, prepMinutes };
}

/** A partner's stations' own prep targets (minutes; null: DEFAULT_PREP_MINUTES), by key. */
export type StationPrep = ReadonlyMap<string, number | null>;

const stationPrepOf = (rows: readonly { key: string; prepMinutes: number | string | null }[]): StationPrep =>
  new Map(rows.map((s) => [s.key, s.prepMinutes === null ? null : Number(s.prepMinutes)]));

/**
 * Everything an order is priced and planned from, by the partner's slug: the partner, the menu
 * rows of `foodIds` and the stations' prep targets. On PostgreSQL one round trip (the lists as
 * JSON arrays beside the partner's row; JSON gives int8 columns as numbers where the driver gives
 * strings, and every reader converts with Number either way); elsewhere the same reads in turn.
 */
export async function readPartnerWithMenu(
  db: Db | Trx,
  slug: string,
  foodIds: readonly string[],
): Promise<{ partner: Selectable<PartnersTable>; menu: MenuRows; stationPrep: StationPrep } | undefined> {
  if (!isPostgres(db)) {
    const partner = await db.selectFrom("partners").selectAll().where("slug", "=", slug).executeTakeFirst();
    if (!partner) return undefined;
    const menu = await readMenuRows(db, partner.id, foodIds);
    const stations = await db.selectFrom("stations").select(["key", "prepMinutes"]).where("partnerId", "=", partner.id).execute();
    return { partner, menu, stationPrep: stationPrepOf(stations) };
  }
  type Row = Selectable<PartnersTable> & {
    _foods: MenuRows["foods"];
    _links: MenuRows["links"];
    _groups: MenuRows["groups"];
    _options: MenuRows["options"];
    _stations: { key: string; prepMinutes: number | null }[];
  };
  const ids = [...foodIds];
  // The same rows, filters and orders as readMenuRows.
  const { rows } = await sql<Row>`
    with linked as (select l.* from "foodModifierGroups" l where l."foodId" = any(${ids}::text[]))
    select p.*,
      (select coalesce(json_agg(f), '[]'::json) from "foods" f where f."partnerId" = p.id and f.id = any(${ids}::text[])) as "_foods",
      (select coalesce(json_agg(l order by l."position"), '[]'::json) from linked l) as "_links",
      (select coalesce(json_agg(g), '[]'::json) from "modifierGroups" g
        where g."partnerId" = p.id and g.archived = 0 and g.id in (select "groupId" from linked)) as "_groups",
      (select coalesce(json_agg(o order by o."position"), '[]'::json) from "modifierOptions" o
        where o.archived = 0 and o."groupId" in (select "groupId" from linked)) as "_options",
      (select coalesce(json_agg(json_build_object('key', s.key, 'prepMinutes', s."prepMinutes")), '[]'::json)
        from "stations" s where s."partnerId" = p.id) as "_stations"
    from "partners" p where p.slug = ${slug}`.execute(db);
  const row = rows[0];
  if (!row) return undefined;
  const { _foods, _links, _groups, _options, _stations, ...partner } = row;
  return { partner, menu: { foods: _foods, links: _links, groups: _groups, options: _options }, stationPrep: stationPrepOf(_stations) };
}
