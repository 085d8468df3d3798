import { z } from "zod";
import { BOUNDS, key, name, password, text, tokenName, username } from "@/lib/fields";

/**
 * Bodies of the back office's routes (issue "Cashier and back office" item 2). Shapes and bounds
 * here; the rules (a known currency, locale, time zone, ranges, a station of the partner) are the
 * lib functions' own, shared with the CLI.
 */
const wholeOrNull = z.number("must be a number or null").int("must be a whole number").nullable();

export const partnerPatch = z.strictObject({
  name: name(BOUNDS.partnerName).optional(),
  imageUrl: text(500).nullable().optional(),
  timezone: key(BOUNDS.timezone).optional(),
  cutoverHour: z.number("must be a number").int("must be a whole number").optional(),
  currency: key(3).optional(),
  locale: key(35).optional(),
  kitchenAckSeconds: wholeOrNull.optional(),
  defaultPaymentMethod: key(16).optional(),
  autoConfirmSources: z.array(key(16), "must be a list of order sources").max(10).optional(),
  autoConfirmSeconds: wholeOrNull.optional(),
  autoCancelMinutes: wholeOrNull.optional(),
  expoConfirms: z.boolean("must be true or false").optional(),
  warnPercent: z.number("must be a number").int("must be a whole number").optional(),
  latePercent: z.number("must be a number").int("must be a whole number").optional(),
  tables: z.array(text(20), "must be a list of table names").max(200, "at most 200 tables").optional(),
  // The invoice's header and tax lines (lib/orders/partner-profile.ts checks names, ranges, decimals).
  address: text(200).nullable().optional(),
  taxId: text(40).nullable().optional(),
  taxRates: z
    .array(z.strictObject({ name: text(30), percent: z.number("must be a number") }), "must be a list of { name, percent }")
    .max(5, "at most 5 tax rates")
    .optional(),
  latitude: z.number("must be a number or null").nullable().optional(),
  longitude: z.number("must be a number or null").nullable().optional(),
});

const role = z.enum(["admin", "operator", "kitchen"], "must be one of admin, operator, kitchen");

export const userBody = z.strictObject({ username, role, password });
export const userPatch = z.strictObject({
  role: role.optional(),
  password: password.optional(),
  disabled: z.boolean("must be true or false").optional(),
});

export const deviceBody = z.strictObject({
  name: tokenName,
  role: z.enum(
    ["operator", "kitchen", "printer", "display", "integration"],
    "must be one of operator, kitchen, printer, display, integration",
  ),
  expiresInDays: z.number("must be a number").int("must be a whole number").nullable().optional(),
});

export const pairingClaim = z.strictObject({
  code: text(20).min(1, "must not be blank"),
  role: key(16),
  station: key(32).nullable().optional(),
  name: tokenName,
});

/** lib/orders/couriers.ts checks the phone (libphonenumber-js, E.164) and the name's bounds. */
export const courierBody = z.strictObject({
  name: name(BOUNDS.courierName),
  phone: text(32),
  active: z.boolean("must be true or false").optional(),
  available: z.boolean("must be true or false").optional(),
});
