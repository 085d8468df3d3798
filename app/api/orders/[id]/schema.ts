import { z } from "zod";
import { BOUNDS, key, money, name, text } from "@/lib/fields";
import { MAX_PERCENT, MAX_SPLIT, PAYMENT_METHODS } from "@/lib/orders/payments";
import { ORDER_STATUSES } from "@/lib/orders/status";

/** docs/contracts.md "Confirm": the amounts are checked against the bill by lib/orders/payments.ts settle. */
export const confirmBody = z.strictObject({
  paymentMethod: z.enum(PAYMENT_METHODS).optional(),
  discount: money.optional(),
  discountPercent: z.number("must be a number").min(0, "must be at least 0").max(MAX_PERCENT, `must be at most ${MAX_PERCENT}`).optional(),
  tendered: money.optional(),
  payments: z
    .array(z.strictObject({ method: z.enum(PAYMENT_METHODS), amount: money, tendered: money.optional() }))
    .max(MAX_SPLIT, `at most ${MAX_SPLIT} payments`)
    .optional(),
  cashRegisterId: key(64).nullish(),
});

export const statusBody = z.strictObject({
  status: z.enum(ORDER_STATUSES),
  reason: text(200).nullish(),
});

export const reprintBody = z.strictObject({
  orderItemIds: z.array(key(64)).max(100),
  receipt: z.boolean(),
});

/** Either a courier of the roster (`courierId`) or a typed name (lib/orders/couriers.ts assignCourier). */
export const courierBody = z.strictObject({
  courierName: name(BOUNDS.courierName).optional(),
  courierId: key(64).optional(),
});
