import { z } from "zod";
import { money, name } from "@/lib/fields";

export const foodPatchBody = z.strictObject({
  name: name(100).optional(),
  price: money.optional(),
  surcharge: money.optional(),
  available: z.boolean().optional(),
  category: name(64).optional(),
  station: name(64).optional(),
});
