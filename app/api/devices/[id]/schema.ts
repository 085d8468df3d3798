import { z } from "zod";
import { tokenName } from "@/lib/fields";

export const renameBody = z.strictObject({ name: tokenName });
