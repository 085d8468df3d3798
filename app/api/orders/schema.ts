import { z } from "zod";
import { key, quantity, text } from "@/lib/fields";
import { SERVICE_TYPES } from "@/lib/orders/dto";
import { ORDER_SOURCES } from "@/lib/orders/service";
import { ORDER_STATUSES, type OrderStatus } from "@/lib/orders/status";

/**
 * Strict objects: a client that sends a price, a total or any other unknown field is refused
 * by name. Prices always come from the menu.
 */
export const createOrderBody = z.strictObject({
  partner: key(64),
  table: text(32).nullish(),
  customer: text(100).nullish(),
  source: z.enum(ORDER_SOURCES).optional(),
  priority: z.enum(["NORMAL", "HIGH"]).optional(),
  items: z
    .array(
      z.strictObject({
        foodId: key(64),
        quantity,
        notes: text(500, { multiline: true }).nullish(),
        /** Chosen options per modifier group; priced and checked against the menu (lib/menu/pricing.ts). */
        modifiers: z
          .array(z.strictObject({ groupId: key(64), optionIds: z.array(key(64)).max(20, "at most 20 options") }))
          .max(20, "at most 20 groups")
          .optional(),
        course: z
          .number("must be a number")
          .int("must be a whole number")
          .min(1, "must be at least 1")
          .max(9, "must be at most 9")
          .optional(),
      }),
    )
    .min(1, "an order needs at least one item")
    .max(100),
  serviceType: z.enum(SERVICE_TYPES).optional(),
  promisedAt: z.iso.datetime({ offset: true }).nullish(),
  allergies: z
    .strictObject({
      codes: z.array(key(32)).max(14, "at most 14 allergens").optional(),
      note: text(200).nullish(),
    })
    .nullish(),
  /** Either makes the guest the partner's customer; parsed (E.164) and checked in lib/orders/customers.ts. */
  customerPhone: text(32).nullish(),
  customerEmail: text(254).nullish(),
  marketingConsent: z.boolean("must be true or false").optional(),
});

export const listOrdersQuery = z.strictObject({
  status: z
    .string()
    .max(200, "at most 200 characters")
    .transform((text, ctx) => {
      const list = text
        .split(",")
        .map((x) => x.trim().toUpperCase())
        .filter(Boolean);
      const unknown = list.find((s) => !(ORDER_STATUSES as readonly string[]).includes(s));
      if (unknown) {
        ctx.addIssue({ code: "custom", message: `unknown status '${unknown}' (one of ${ORDER_STATUSES.join(", ")})` });
        return z.NEVER;
      }
      return list as OrderStatus[];
    })
    .optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  partner: text(64).optional(),
});
