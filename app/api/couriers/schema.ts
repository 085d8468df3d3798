import { z } from "zod";
import { BOUNDS, name, text } from "@/lib/fields";

/** PATCH /api/couriers/{id}: any of the roster's fields (lib/orders/couriers.ts checks the phone). */
export const courierPatch = z.strictObject({
  name: name(BOUNDS.courierName).optional(),
  phone: text(32).optional(),
  active: z.boolean("must be true or false").optional(),
  available: z.boolean("must be true or false").optional(),
});
