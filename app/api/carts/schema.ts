import { z } from "zod";
import { intId, key, name, quantity, text } from "@/lib/fields";
import { SERVICE_TYPES } from "@/lib/orders/dto";

/**
 * A table's shared cart (docs/contracts.md#carts). Strict objects: a price, a total or any other
 * unknown field is refused by name; prices always come from the menu.
 */
export const openCartBody = z.strictObject({
  partner: key(64),
  table: name(32),
  /** What this phone is called at the table; "Guest N" when left out. */
  name: text(40).nullish(),
  /** Join exactly this cart (it must be this partner's and this table's). */
  cart: intId.optional(),
});

const modifiers = z
  .array(z.strictObject({ groupId: key(64), optionIds: z.array(key(64)).max(20, "at most 20 options") }))
  .max(20, "at most 20 groups");

export const addItemBody = z.strictObject({
  foodId: key(64),
  quantity,
  notes: text(500, { multiline: true }).nullish(),
  modifiers: modifiers.optional(),
});

export const changeItemBody = z.strictObject({
  quantity: quantity.optional(),
  notes: text(500, { multiline: true }).nullish(),
  modifiers: modifiers.optional(),
});

export const renameBody = z.strictObject({ name: name(40) });

export const submitCartBody = z.strictObject({
  customer: text(100).nullish(),
  serviceType: z.enum(SERVICE_TYPES).optional(),
  promisedAt: z.iso.datetime({ offset: true }).nullish(),
  allergies: z
    .strictObject({
      codes: z.array(key(32)).max(14, "at most 14 allergens").optional(),
      note: text(200).nullish(),
    })
    .nullish(),
});
