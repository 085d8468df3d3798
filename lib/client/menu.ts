import { queryOptions } from "@tanstack/react-query";
import type { CategoryDto, FoodDto, GroupDto, StationDto } from "../menu/model";
import { DEFAULT_MONEY_STYLE, displayMoney, type MoneyStyle } from "../money-format";
import { ApiError, postJson, sendJson } from "./api";

/**
 * The back office's server state (/menu): the staff menu of one partner, refetched after every
 * write and when the tablet comes back to the tab. The writes are the menu API (docs/contracts.md
 * "Menu API"); a 400 names its field in `details.field`, which `fieldErrors` turns into the
 * message shown under that input.
 */
export type StaffMenu = {
  partner: { id: string; slug: string; name: string; currency: string; locale: string };
  stations: StationDto[];
  categories: CategoryDto[];
  foods: FoodDto[];
  modifierGroups: GroupDto[];
};

export const menuKeys = {
  all: ["menu"] as const,
  staff: (partner: string) => ["menu", "staff", partner] as const,
};

export function staffMenuQuery(partner: string) {
  return queryOptions({
    queryKey: menuKeys.staff(partner),
    queryFn: async ({ signal }): Promise<StaffMenu> => {
      const res = await fetch(`/api/menu/manage?partner=${encodeURIComponent(partner)}`, {
        signal,
        cache: "no-store",
        credentials: "same-origin",
      });
      const json = await res.json().catch(() => null);
      if (!res.ok) throw new ApiError(res.status, json?.error?.message ?? `menu: HTTP ${res.status}`, json?.error?.details);
      return json as StaffMenu;
    },
    enabled: partner !== "",
    refetchOnWindowFocus: true,
    staleTime: 0,
  });
}

export type StationInput = { key: string; name: string; prepMinutes: number | null };
export type FoodInput = {
  name: string;
  description: string | null;
  imageUrl: string | null;
  price: string;
  surcharge: string;
  categoryId: string;
  station: string;
  prepMinutes: number | null;
  allergens: string[];
  available: boolean;
  modifierGroupIds: string[];
};
export type OptionInput = { name: string; priceDelta: string; allergens: string[]; station: string | null; available: boolean };
export type GroupInput = { name: string; min: number; max: number };

const id = (v: string) => encodeURIComponent(v);

/** One function per menu endpoint; each returns what the server answered. */
export const menuApi = {
  createStation: (partner: string, s: StationInput) => postJson<StationDto>("/api/stations", { partner, ...s }),
  updateStation: (stationId: string, s: Omit<StationInput, "key">) => sendJson<StationDto>("PATCH", `/api/stations/${id(stationId)}`, s),
  createCategory: (partner: string, name: string) => postJson<CategoryDto>("/api/categories", { partner, name }),
  renameCategory: (categoryId: string, name: string) => sendJson<CategoryDto>("PATCH", `/api/categories/${id(categoryId)}`, { name }),
  archiveCategory: (categoryId: string) => sendJson("DELETE", `/api/categories/${id(categoryId)}`),
  createFood: (partner: string, f: FoodInput) => postJson<FoodDto>("/api/foods", { partner, ...f }),
  updateFood: (foodId: string, f: Partial<FoodInput>) => sendJson<FoodDto>("PATCH", `/api/foods/${id(foodId)}`, f),
  archiveFood: (foodId: string) => sendJson<FoodDto>("DELETE", `/api/foods/${id(foodId)}`),
  createGroup: (partner: string, g: GroupInput & { options: OptionInput[] }) =>
    postJson<GroupDto>("/api/modifier-groups", { partner, ...g }),
  updateGroup: (groupId: string, g: GroupInput) => sendJson<GroupDto>("PATCH", `/api/modifier-groups/${id(groupId)}`, g),
  archiveGroup: (groupId: string) => sendJson("DELETE", `/api/modifier-groups/${id(groupId)}`),
  addOption: (groupId: string, o: OptionInput) => postJson<GroupDto>(`/api/modifier-groups/${id(groupId)}/options`, o),
  updateOption: (groupId: string, optionId: string, o: OptionInput) =>
    sendJson<GroupDto>("PATCH", `/api/modifier-groups/${id(groupId)}/options/${id(optionId)}`, o),
  archiveOption: (groupId: string, optionId: string) =>
    sendJson<GroupDto>("DELETE", `/api/modifier-groups/${id(groupId)}/options/${id(optionId)}`),
  reorder: (kind: "stations" | "categories" | "foods" | "modifier-groups", partner: string, ids: string[]) =>
    postJson<{ ids: string[] }>(`/api/${kind}/reorder`, { partner, ids }),
  reorderOptions: (groupId: string, ids: string[]) => postJson<GroupDto>(`/api/modifier-groups/${id(groupId)}/options/reorder`, { ids }),
};

// --- pure helpers (tested in menu.test.ts) ---------------------------------------------------

/** `ids` with `item` moved by `delta` places (clamped); the same array when it cannot move. */
export function moveItem<T>(ids: readonly T[], item: T, delta: number): T[] {
  const from = ids.indexOf(item);
  if (from < 0) return [...ids];
  const to = Math.min(ids.length - 1, Math.max(0, from + delta));
  if (to === from) return [...ids];
  const out = [...ids];
  out.splice(from, 1);
  out.splice(to, 0, item);
  return out;
}

/**
 * Every food id of the partner in display order once the foods of `categoryId` are in the order
 * `siblings`: the foods endpoint orders one list per partner, so the whole list is sent, with the
 * other categories' foods where they were.
 */
export function reorderedFoodsTo(
  foods: readonly Pick<FoodDto, "id" | "categoryId">[],
  categoryId: string,
  siblings: readonly string[],
): string[] {
  let next = 0;
  return foods.map((f) => (f.categoryId === categoryId ? (siblings[next++] ?? f.id) : f.id));
}

export type FieldErrors = Record<string, string>;

/**
 * The server's refusal as messages by field: a 400's `details.field` (a dotted path such as
 * `price` or `options.2.priceDelta`) keys its message with the "field: " prefix taken off;
 * anything else lands under `form`.
 */
export function fieldErrors(err: unknown): FieldErrors {
  if (err instanceof ApiError) {
    const field = typeof err.details?.field === "string" ? err.details.field : null;
    if (field && field !== "body" && field !== "partner") {
      const message = err.message.startsWith(`${field}: `) ? err.message.slice(field.length + 2) : err.message;
      return { [field]: message };
    }
    return { form: err.message };
  }
  return { form: err instanceof Error ? err.message : String(err) };
}

const PRICE = /^\d+(\.\d+)?$/;
const SIGNED_PRICE = /^[+-]?\d+(\.\d+)?$/;

/**
 * The obvious mistakes, caught before a round trip: a blank name, a price that is not a number.
 * The server stays the authority (decimals, ranges, stations, categories).
 */
export function checkFood(f: Pick<FoodInput, "name" | "price" | "surcharge" | "categoryId" | "station">): FieldErrors {
  const errors: FieldErrors = {};
  if (!f.name.trim()) errors.name = "Give the dish a name";
  if (!f.price.trim()) errors.price = "Enter a price, e.g. 12.50";
  else if (!PRICE.test(f.price.trim())) errors.price = "Use a number, e.g. 12.50";
  if (f.surcharge.trim() && !PRICE.test(f.surcharge.trim())) errors.surcharge = "Use a number, e.g. 0.50";
  if (!f.categoryId) errors.categoryId = "Choose a category";
  if (!f.station) errors.station = "Choose a station";
  return errors;
}

export function checkOption(o: Pick<OptionInput, "name" | "priceDelta">, prefix = ""): FieldErrors {
  const errors: FieldErrors = {};
  if (!o.name.trim()) errors[`${prefix}name`] = "Give the option a name";
  if (o.priceDelta.trim() && !SIGNED_PRICE.test(o.priceDelta.trim()))
    errors[`${prefix}priceDelta`] = "Use a signed number, e.g. +1.50 or -0.50";
  return errors;
}

export function checkGroup(g: { name: string; min: string; max: string }): FieldErrors {
  const errors: FieldErrors = {};
  if (!g.name.trim()) errors.name = "Give the group a name";
  if (!/^\d+$/.test(g.min.trim())) errors.min = "A whole number, 0 for optional";
  if (!/^\d+$/.test(g.max.trim())) errors.max = "A whole number, at least 1";
  return errors;
}

/** "+1.50", "-0.50", "" for zero: how a delta reads on a card. */
export function signedDelta(delta: string, style: MoneyStyle = DEFAULT_MONEY_STYLE): string {
  const n = Number(delta);
  if (!Number.isFinite(n) || n === 0) return "";
  return `${n > 0 ? "+" : "−"}${displayMoney(Math.abs(n), style)}`;
}

/** How the back office writes this restaurant's amounts (its currency and locale). */
export const menuMoneyStyle = (menu: Pick<StaffMenu, "partner">): MoneyStyle =>
  menu.partner.currency && menu.partner.locale ? { currency: menu.partner.currency, locale: menu.partner.locale } : DEFAULT_MONEY_STYLE;
