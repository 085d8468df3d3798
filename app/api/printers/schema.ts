import { z } from "zod";
import { key, name } from "@/lib/fields";

/**
 * Bodies of the printers API (issue "Network printers", docs/contracts.md "Printers"). Strict
 * objects: an unknown field is refused by name. Host, port range, paper width, code page and
 * station keys are checked by lib/printing, which names the field.
 */
const port = z.number("must be a number").int("must be a whole number");
const printerFields = {
  name: name(64),
  host: key(253),
  port: port.optional(),
  paperWidth: z.number("must be a number").int("must be a whole number").optional(),
  stations: z.array(key(32)).max(50, "at most 50 stations").optional(),
  receipt: z.boolean("must be true or false").optional(),
  codePage: key(32).optional(),
  buzzer: z.boolean("must be true or false").optional(),
  /** Another printer's name; null or "" for none. */
  backup: name(64).nullable().or(z.literal("")).optional(),
  enabled: z.boolean("must be true or false").optional(),
};

export const printerBody = z.strictObject({ partner: key(64), ...printerFields });
export const printerPatch = z.strictObject({
  name: printerFields.name.optional(),
  host: printerFields.host.optional(),
  port: printerFields.port,
  paperWidth: printerFields.paperWidth,
  stations: printerFields.stations,
  receipt: printerFields.receipt,
  codePage: printerFields.codePage,
  buzzer: printerFields.buzzer,
  backup: printerFields.backup,
  enabled: printerFields.enabled,
  paused: z.boolean("must be true or false").optional(),
});
export const printersQuery = z.strictObject({ partner: key(64).optional() });
