import { z } from "zod";

export const foodPatchBody = z.strictObject({
  name: z.string().min(1).max(100).optional(),
  price: z.string().max(16).optional(),
  surcharge: z.string().max(16).optional(),
  available: z.boolean().optional(),
  category: z.string().min(1).max(64).optional(),
  station: z.string().min(1).max(64).optional(),
});
