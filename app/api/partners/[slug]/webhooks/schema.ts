import { z } from "zod";
import { text } from "@/lib/fields";
import { WEBHOOK_EVENT_TYPES } from "@/lib/events/outbox";

export const webhookBody = z.strictObject({
  url: text(2000).pipe(z.string().min(1, "must not be blank")),
  events: z
    .array(z.enum(WEBHOOK_EVENT_TYPES, `one of ${WEBHOOK_EVENT_TYPES.join(", ")}`))
    .min(1, "name at least one event")
    .max(WEBHOOK_EVENT_TYPES.length)
    .optional(),
});
