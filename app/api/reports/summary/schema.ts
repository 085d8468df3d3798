import { z } from "zod";
import { key } from "@/lib/fields";
import { CSV_TABLES } from "@/lib/reports/csv";

const day = z.string("required, a date YYYY-MM-DD").regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD");

/** GET /api/reports/summary's query (docs/contracts.md "Reports"); unknown parameters are refused by name. */
export const summaryQuery = z.strictObject({
  partner: key(64).optional(),
  from: day,
  to: day,
  format: z.enum(["json", "csv"]).optional(),
  /** With format=csv: one table; without, all of them one after the other. */
  table: z.enum(CSV_TABLES).optional(),
});

export const zListQuery = z.strictObject({ partner: key(64).optional() });
