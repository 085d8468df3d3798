import { z } from "zod";
import { key } from "@/lib/fields";
import { DEMO_MINUTES, DEMO_PARTNER } from "@/lib/demo/runner";

export const startDemoBody = z.strictObject({
  partner: key(64).default(DEMO_PARTNER),
  minutes: z
    .number("must be a number")
    .int("must be a whole number")
    .min(DEMO_MINUTES.min, `must be at least ${DEMO_MINUTES.min}`)
    .max(DEMO_MINUTES.max, `must be at most ${DEMO_MINUTES.max}`)
    .default(DEMO_MINUTES.default),
});

export const demoQuery = z.strictObject({ partner: key(64).default(DEMO_PARTNER) });
