/**
 * Input bounded by what the storage accepts, shared by every schema (REST bodies and queries,
 * stream filters, /ws messages). PostgreSQL refuses NUL in text and integers past int4 with an
 * error; SQLite stores them. Checking here makes both answer the same 400 naming the field.
 */
import { z } from "zod";
import { ValidationError } from "./errors";
import { INT4_MAX, MAX_AMOUNT_MINOR, MAX_QUANTITY } from "./orders/money";

export { INT4_MAX, MAX_AMOUNT_MINOR, MAX_QUANTITY };

/**
 * C0 controls (U+0000–U+001F) and DEL; multi-line text keeps \t, \n and \r. Lone UTF-16
 * surrogates are refused too: they have no UTF-8 encoding.
 */
export function hasControlCharacters(value: string, { multiline = false } = {}): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x7f) return true;
    if (c < 0x20 && !(multiline && (c === 0x09 || c === 0x0a || c === 0x0d))) return true;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return true;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return true;
  }
  return false;
}

/**
 * Free text: no NUL or other control characters (multi-line text keeps \t \n \r), at most
 * `max` characters, trimmed. Optional text may be blank (the service stores null).
 */
export function text(max: number, { multiline = false } = {}) {
  return z
    .string()
    .max(max, `at most ${max} characters`)
    .refine(
      (v) => !hasControlCharacters(v, { multiline }),
      multiline ? "must not contain control characters" : "must not contain control characters or line breaks",
    )
    .trim();
}

/** A required name: `text` that is not blank once trimmed. */
export function name(max: number) {
  return text(max).min(1, "must not be blank");
}

/** A key sent back to us (a slug, a food id, an item id): one line, no spaces around it. */
export function key(max = 64) {
  return name(max);
}

/**
 * The names Pass stores, with the bounds every way in shares (the REST schemas, the CLI, the
 * services that write them): one line, no control characters, not blank, at most this long.
 */
export const BOUNDS = {
  username: 64,
  /** A user's password, as sign-in accepts it (never trimmed; only NUL is refused). */
  password: 256,
  partnerName: 100,
  tokenName: 80,
  courierName: 80,
  /** Slugs, ids and other keys sent back to us; a partner slug itself is at most 48 (lib/orders/menu.ts). */
  key: 64,
  timezone: 64,
} as const;

export const username = name(BOUNDS.username);
export const partnerName = name(BOUNDS.partnerName);
export const tokenName = name(BOUNDS.tokenName);
export const password = z
  .string()
  .min(1, "must not be empty")
  .max(BOUNDS.password, `at most ${BOUNDS.password} characters`)
  .refine((v) => !v.includes("\u0000"), "must not contain NUL");

/** `schema` applied to one value; a refusal is the ValidationError naming `field` (what the REST schemas answer). */
export function parseField<S extends z.ZodType>(schema: S, field: string, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ValidationError(field, result.error.issues[0]?.message ?? "invalid");
}

/** An integer id of a PostgreSQL `integer` column: 1..2147483647. */
export const intId = z
  .number("must be an integer id")
  .int("must be a whole number")
  .min(1, "must be at least 1")
  .max(INT4_MAX, `must be at most ${INT4_MAX}`);

/** Parses an integer id written in decimal (a path segment, a query parameter); null if it is not one. */
export function parseIntId(value: string | null | undefined): number | null {
  if (typeof value !== "string" || !/^[1-9]\d{0,9}$/.test(value)) return null;
  const id = Number(value);
  return id <= INT4_MAX ? id : null;
}

/** A decimal money string as the wire writes it ("12.5"), parsed and bounded by the service (parseMoney). */
export const money = z.string().max(16, "at most 16 characters");

export const quantity = z
  .number("must be a number")
  .int("must be a whole number")
  .min(1, "must be at least 1")
  .max(MAX_QUANTITY, `must be at most ${MAX_QUANTITY}`);

/** A percent-encoded path segment, decoded; malformed encoding (`%E0%A4%A`) is a 400 naming `path`. */
export function decodePathSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new ValidationError("path", "malformed percent-encoding");
  }
}

/** Whether a request path decodes (what Next does before routing); server.ts answers 400 otherwise. */
export function isDecodablePath(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}
