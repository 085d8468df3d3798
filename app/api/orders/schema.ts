import { z } from "zod";
import { ORDER_SOURCES } from "@/lib/orders/service";
import { ORDER_STATUSES, type OrderStatus } from "@/lib/orders/status";

/**
 * Strict objects: a client that sends a price, a total or any other unknown field is refused
 * by name. Prices always come from the menu.
 */
export const createOrderBody = z.strictObject({
  partner: z.string().min(1).max(64),
  table: z.string().max(32).nullish(),
  customer: z.string().max(100).nullish(),
  source: z.enum(ORDER_SOURCES).optional(),
  priority: z.enum(["NORMAL", "HIGH"]).optional(),
  items: z
    .array(
      z.strictObject({
        foodId: z.string().min(1).max(64),
        quantity: z.number().int("must be a whole number").min(1, "must be at least 1").max(99, "must be at most 99"),
        notes: z.string().max(500, "at most 500 characters").nullish(),
      }),
    )
    .min(1, "an order needs at least one item")
    .max(100),
});

export const listOrdersQuery = z.strictObject({
  status: z
    .string()
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
  partner: z.string().max(64).optional(),
});
