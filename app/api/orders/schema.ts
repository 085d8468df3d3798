import { z } from "zod";
import { key, quantity, text } from "@/lib/fields";
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
      }),
    )
    .min(1, "an order needs at least one item")
    .max(100),
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
