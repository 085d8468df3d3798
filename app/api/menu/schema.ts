import { z } from "zod";
import { key, money, name, text } from "@/lib/fields";

/**
 * Bodies of the menu API (issue "The menu", docs/contracts.md "Menu API"). Strict objects: an
 * unknown field is refused by name. Money is a decimal string; an option's delta may be signed.
 * Ranges, stations, categories and allergen codes are checked by lib/menu, which names the field.
 */
const allergens = z.array(key(32)).max(14, "at most 14 allergens");
const minutes = z.number("must be a number").int("must be a whole number").nullish();
const choices = z.number("must be a number").int("must be a whole number");
const signedMoney = z.string().max(17, "at most 17 characters");
const url = text(500).refine((v) => v === "" || /^(https?:\/\/|\/)[^\s]+$/.test(v), "must be an http(s) URL or a path");

export const stationBody = z.strictObject({ partner: key(64), key: key(32), name: name(64), prepMinutes: minutes });
export const stationPatch = z.strictObject({ name: name(64).optional(), prepMinutes: minutes });

export const categoryBody = z.strictObject({ partner: key(64), name: name(64) });
export const categoryPatch = z.strictObject({ name: name(64).optional() });

export const reorderBody = z.strictObject({ partner: key(64), ids: z.array(key(64)).min(1, "list at least one id").max(500) });
export const reorderOptionsBody = z.strictObject({ ids: z.array(key(64)).min(1, "list at least one id").max(100) });

const foodFields = {
  name: name(100),
  description: text(500, { multiline: true }).nullish(),
  imageUrl: url.nullish(),
  price: money,
  surcharge: money.optional(),
  categoryId: key(64),
  station: key(32),
  prepMinutes: minutes,
  allergens: allergens.optional(),
  available: z.boolean().optional(),
  modifierGroupIds: z.array(key(64)).max(20, "at most 20 groups").optional(),
};

export const foodBody = z.strictObject({ partner: key(64), ...foodFields });
/** Also the body of the pre-menu-model `POST /api/foods/{id}`, whose `category` is a name. */
export const foodPatch = z.strictObject({
  ...Object.fromEntries(Object.entries(foodFields).map(([k, v]) => [k, v.optional()])),
  category: name(64).optional(),
}) as unknown as z.ZodType<Partial<{ [K in keyof typeof foodFields]: z.infer<(typeof foodFields)[K]> }> & { category?: string }>;

export const availabilityBody = z.strictObject({
  available: z.boolean("must be true or false"),
  /** For `available: false`: back by hand, or by itself at the end of the business day. */
  until: z.enum(["manual", "end-of-day"]).optional(),
});

const optionFields = {
  name: name(64),
  priceDelta: signedMoney.optional(),
  allergens: allergens.optional(),
  station: key(32).nullish(),
  available: z.boolean().optional(),
};
export const optionBody = z.strictObject(optionFields);
export const optionPatch = z.strictObject({
  name: name(64).optional(),
  priceDelta: signedMoney.optional(),
  allergens: allergens.optional(),
  station: key(32).nullish(),
  available: z.boolean().optional(),
});

export const groupBody = z.strictObject({
  partner: key(64),
  name: name(64),
  min: choices,
  max: choices,
  options: z.array(optionBody).max(50, "at most 50 options").optional(),
});
export const groupPatch = z.strictObject({ name: name(64).optional(), min: choices.optional(), max: choices.optional() });

export const staffMenuQuery = z.strictObject({ partner: z.string("a partner slug is required").pipe(key(64)) });
