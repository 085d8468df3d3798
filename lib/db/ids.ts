import { createId } from "@paralleldrive/cuid2";

/** cuid-style string ids, as the seeds show for items, foods and users. */
export const newId = (): string => createId();

export const nowIso = (): string => new Date().toISOString();
