import { z } from "zod";
import { ORDER_STATUSES } from "@/lib/orders/status";

export const confirmBody = z.strictObject({
  paymentMethod: z.enum(["CASH", "CARD", "OTHER"]),
  discount: z.string().max(16).optional(),
  cashRegisterId: z.string().min(1).max(64).nullish(),
});

export const statusBody = z.strictObject({
  status: z.enum(ORDER_STATUSES),
  reason: z.string().max(200).nullish(),
});

export const reprintBody = z.strictObject({
  orderItemIds: z.array(z.string().min(1).max(64)).max(100),
  receipt: z.boolean(),
});

export const courierBody = z.strictObject({
  courierName: z.string().min(1).max(80),
});
