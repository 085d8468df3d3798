import { z } from "zod";
import { password, username } from "@/lib/fields";

export const loginBody = z.strictObject({
  username,
  /** Compared with its hash, never stored or trimmed: only NUL is refused (no real password holds one). */
  password,
});
