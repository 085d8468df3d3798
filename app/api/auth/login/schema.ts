import { z } from "zod";
import { name } from "@/lib/fields";

export const loginBody = z.strictObject({
  username: name(64),
  /** Compared with its hash, never stored or trimmed: only NUL is refused (no real password holds one). */
  password: z
    .string()
    .min(1)
    .max(256)
    .refine((v) => !v.includes("\u0000"), "must not contain NUL"),
});
