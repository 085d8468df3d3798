import type { Selectable } from "kysely";
import type { CategoriesTable, FoodsTable, ModifierGroupsTable, ModifierOptionsTable, StationsTable } from "../db/schema";
import { formatMoney } from "../orders/money";
import { readAllergens } from "./allergens";

/**
 * The menu as the API and every screen read it (SPEC §2b, docs/contracts.md "Menu"). Money is a
 * decimal string as everywhere on the wire; an option's `priceDelta` may be negative ("-0.5").
 */
export type StationDto = ReturnType<typeof toStationDto>;
export type CategoryDto = ReturnType<typeof toCategoryDto>;
export type FoodDto = ReturnType<typeof toFoodDto>;
export type OptionDto = ReturnType<typeof toOptionDto>;
export type GroupDto = ReturnType<typeof toGroupDto>;

export const toStationDto = (s: Selectable<StationsTable>) => ({
  id: s.id,
  key: s.key,
  name: s.name,
  position: Number(s.position),
  prepMinutes: s.prepMinutes === null ? null : Number(s.prepMinutes),
});

export const toCategoryDto = (c: Selectable<CategoriesTable>) => ({
  id: c.id,
  name: c.name,
  position: Number(c.position),
  archived: Boolean(c.archived),
});

type FoodRowLike = Pick<Selectable<FoodsTable>, "id" | "name" | "price" | "surcharge" | "category" | "station" | "available"> &
  Partial<Selectable<FoodsTable>>;

/**
 * A food. The first seven fields are the shape `GET /api/menu` and `POST /api/foods/{id}` had
 * before the menu model and keep; the rest is SPEC §2b.
 */
export function toFoodDto(f: FoodRowLike, modifierGroupIds: readonly string[] = []) {
  return {
    id: f.id,
    name: f.name,
    price: formatMoney(Number(f.price)),
    surcharge: formatMoney(Number(f.surcharge)),
    category: f.category,
    station: f.station,
    available: Boolean(f.available),
    categoryId: f.categoryId ?? null,
    description: f.description ?? null,
    imageUrl: f.imageUrl ?? null,
    prepMinutes: f.prepMinutes === null || f.prepMinutes === undefined ? null : Number(f.prepMinutes),
    allergens: readAllergens(f.allergens),
    availableAgainAt: f.availableAgainAt ?? null,
    position: Number(f.position ?? 0),
    archived: Boolean(f.archived ?? 0),
    modifierGroupIds: [...modifierGroupIds],
  };
}

export const toOptionDto = (o: Selectable<ModifierOptionsTable>) => ({
  id: o.id,
  groupId: o.groupId,
  name: o.name,
  priceDelta: formatMoney(Number(o.priceDelta)),
  allergens: readAllergens(o.allergens),
  station: o.station,
  available: Boolean(o.available),
  availableAgainAt: o.availableAgainAt,
  position: Number(o.position),
  archived: Boolean(o.archived),
});

export const toGroupDto = (g: Selectable<ModifierGroupsTable>, options: readonly Selectable<ModifierOptionsTable>[]) => ({
  id: g.id,
  name: g.name,
  min: Number(g.minChoices),
  max: Number(g.maxChoices),
  required: Number(g.minChoices) > 0,
  position: Number(g.position),
  archived: Boolean(g.archived),
  options: options.map(toOptionDto),
});
