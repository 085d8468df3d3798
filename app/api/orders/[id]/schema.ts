import { z } from "zod";
import { BOUNDS, key, money, name, text } from "@/lib/fields";
import { ORDER_STATUSES } from "@/lib/orders/status";

export const confirmBody = z.strictObject({
  paymentMethod: z.enum(["CASH", "CARD", "OTHER"]),
  discount: money.optional(),
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

export const courierBody = z.strictObject({
  courierName: name(BOUNDS.courierName),
});
