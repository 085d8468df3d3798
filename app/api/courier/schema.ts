import { z } from "zod";
import { key } from "@/lib/fields";
import { COURIER_STATUSES } from "@/lib/orders/couriers";

/** The courier's phone (app/courier): signing in with the link's token, availability, a delivery's step. */
export const sessionBody = z.strictObject({ token: key(200) });
export const availabilityBody = z.strictObject({ available: z.boolean("must be true or false") });
export const deliveryBody = z.strictObject({ status: z.enum(COURIER_STATUSES) });
