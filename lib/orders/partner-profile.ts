import "server-only";
import { assertCan, assertPartnerVisible, type Principal } from "../auth/access";
import type { Db } from "../db";
import { mutate } from "../events";
import { NotFoundError, ValidationError } from "../errors";
import { BOUNDS, hasControlCharacters } from "../fields";
import { isKnownCurrency, isKnownLocale } from "../money-format";
import { isValidTimezone } from "./business-day";
import { EVENT_PAYLOAD_VERSION } from "./events";
import { ORDER_SOURCES } from "./service";
import { type KitchenSettings, kitchenSettingsColumns, mergeKitchenSettings } from "./settings";

/**
 * The restaurant's profile (issue "Cashier and back office" item 2): what the back office's
 * Restaurant form, `PATCH /api/partners/{slug}` and `npm run pass -- partner set` change, with one
 * set of rules. Every field is checked before anything is written; a refusal names the field.
 * The change and its `partner.updated` event commit together, so open screens re-read it.
 */
export const PAYMENT_METHODS = ["CASH", "CARD", "OTHER"] as const;
export type OrderSource = (typeof ORDER_SOURCES)[number];

export type PartnerProfile = KitchenSettings & {
  slug: string;
  name: string;
  imageUrl: string | null;
  timezone: string;
  cutoverHour: number;
  currency: string;
  locale: string;
  /** null: KITCHEN_ACK_SECONDS (the process default). */
  kitchenAckSeconds: number | null;
  defaultPaymentMethod: (typeof PAYMENT_METHODS)[number];
  autoConfirmSources: OrderSource[];
  /** null: orders from those sources are confirmed at once. */
  autoConfirmSeconds: number | null;
  /** null: pending orders are never cancelled by themselves. */
  autoCancelMinutes: number | null;
  /** The dining room's tables, for the printable QR sheet (`/order/{slug}?table=…`). */
  tables: string[];
  /** One line under the name on invoices (migration 0021); null: none. */
  address: string | null;
  /** The restaurant's tax (VAT) number on invoices; null: none. */
  taxId: string | null;
  /**
   * The taxes its prices include (lib/orders/invoice.ts): each applies to the whole bill, and the
   * invoice shows what part of the total each one is. Empty: no tax lines.
   */
  taxRates: TaxRate[];
  /** Where the restaurant is (migration 0019): rider:auto_assign picks the courier nearest to it; null = unknown (round-robin). */
  latitude: number | null;
  longitude: number | null;
};

/** A tax the prices include: "TVA" at 10 %, "GST" at 5 %, "QST" at 9.975 %. */
export type TaxRate = { name: string; percent: number };

export type PartnerPatch = Partial<Omit<PartnerProfile, "slug">>;

/** Bounds of the numbers: KITCHEN_ACK_SECONDS's own (lib/config.ts), an hour, a day. */
export const PROFILE_BOUNDS = {
  kitchenAckSeconds: { min: 5, max: 3600 },
  autoConfirmSeconds: { min: 0, max: 3600 },
  autoCancelMinutes: { min: 1, max: 1440 },
  imageUrl: 500,
  tableName: 20,
  tables: 200,
  address: 200,
  taxId: 40,
  taxName: 30,
  /** At most this many rates, each above 0 and at most 100 %, to three decimals. */
  taxRates: 5,
} as const;

type PartnerRow = Awaited<ReturnType<typeof loadRow>>;

function loadRow(db: Db, slug: string) {
  return db.selectFrom("partners").selectAll().where("slug", "=", slug).executeTakeFirst();
}

const parseList = (json: string): string[] => {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
};

export function toProfile(row: NonNullable<PartnerRow>): PartnerProfile {
  const method = (PAYMENT_METHODS as readonly string[]).includes(row.defaultPaymentMethod) ? row.defaultPaymentMethod : "CASH";
  return {
    slug: row.slug,
    name: row.name,
    imageUrl: row.imageUrl,
    timezone: row.timezone,
    cutoverHour: Number(row.cutoverHour),
    currency: row.currency,
    locale: row.locale,
    kitchenAckSeconds: row.kitchenAckSeconds === null ? null : Number(row.kitchenAckSeconds),
    defaultPaymentMethod: method as PartnerProfile["defaultPaymentMethod"],
    autoConfirmSources: parseList(row.autoConfirmSources).filter((s): s is OrderSource => (ORDER_SOURCES as readonly string[]).includes(s)),
    autoConfirmSeconds: row.autoConfirmSeconds === null ? null : Number(row.autoConfirmSeconds),
    autoCancelMinutes: row.autoCancelMinutes === null ? null : Number(row.autoCancelMinutes),
    expoConfirms: Boolean(row.expoConfirms),
    warnPercent: Number(row.warnPercent),
    latePercent: Number(row.latePercent),
    tables: parseList(row.tables),
    address: row.address ?? null,
    taxId: row.taxId ?? null,
    taxRates: parseTaxRates(row.taxRates),
    latitude: row.latitude === null ? null : Number(row.latitude),
    longitude: row.longitude === null ? null : Number(row.longitude),
  };
}

/** The stored rates (JSON), skipping anything that is not a rate (a hand-edited row never breaks an invoice). */
export function parseTaxRates(json: string | null | undefined): TaxRate[] {
  try {
    const v = JSON.parse(json ?? "[]") as unknown;
    if (!Array.isArray(v)) return [];
    return v.filter(
      (r): r is TaxRate => !!r && typeof r.name === "string" && typeof r.percent === "number" && r.percent > 0 && r.percent <= 100,
    );
  } catch {
    return [];
  }
}

/** null principal: the command line (whoever runs it owns the machine and its database). */
async function visiblePartner(db: Db, principal: Principal | null, slug: string) {
  const row = await loadRow(db, slug);
  if (!row) throw new NotFoundError("partner", { field: "partner" });
  if (principal) assertPartnerVisible(principal, row.id, "partner", { field: "partner" });
  return row;
}

/** Any signed-in principal of the partner (screens and printers need its currency and locale); an admin any. */
export async function getPartnerProfile({ db, principal, slug }: { db: Db; principal: Principal; slug: string }) {
  return toProfile(await visiblePartner(db, principal, slug));
}

function oneLine(field: string, value: unknown, max: number, { blank = false } = {}): string {
  if (typeof value !== "string") throw new ValidationError(field, "must be a string");
  if (value.includes("\u0000")) throw new ValidationError(field, "must not contain NUL");
  if (hasControlCharacters(value)) throw new ValidationError(field, "must not contain control characters or line breaks");
  const v = value.trim();
  if (v.length > max) throw new ValidationError(field, `at most ${max} characters`);
  if (!blank && v === "") throw new ValidationError(field, "must not be blank");
  return v;
}

function wholeOrNull(field: keyof typeof PROFILE_BOUNDS & string, value: unknown): number | null {
  if (value === null) return null;
  const { min, max } = PROFILE_BOUNDS[field] as { min: number; max: number };
  if (typeof value !== "number" || !Number.isInteger(value)) throw new ValidationError(field, "must be a whole number or null");
  if (value < min || value > max) throw new ValidationError(field, `must be ${min}–${max} (or null)`);
  return value;
}

/** Checks a patch field by field (the first refusal names its field); returns the columns to write. */
function checkPatch(row: NonNullable<PartnerRow>, patch: Record<string, unknown>) {
  const set: Record<string, unknown> = {};
  const known = new Set([
    "name",
    "imageUrl",
    "timezone",
    "cutoverHour",
    "currency",
    "locale",
    "kitchenAckSeconds",
    "defaultPaymentMethod",
    "autoConfirmSources",
    "autoConfirmSeconds",
    "autoCancelMinutes",
    "expoConfirms",
    "warnPercent",
    "latePercent",
    "tables",
    "address",
    "taxId",
    "taxRates",
    "latitude",
    "longitude",
  ]);
  for (const k of Object.keys(patch)) if (!known.has(k)) throw new ValidationError(k, "unknown field");
  if (Object.values(patch).every((v) => v === undefined)) throw new ValidationError("body", "nothing to change");
  const has = (k: string) => patch[k] !== undefined;

  if (has("name")) set.name = oneLine("name", patch.name, BOUNDS.partnerName);
  if (has("imageUrl")) {
    const v = patch.imageUrl === null ? "" : oneLine("imageUrl", patch.imageUrl, PROFILE_BOUNDS.imageUrl, { blank: true });
    if (v !== "" && !/^(https?:\/\/|\/)[^\s]+$/.test(v)) throw new ValidationError("imageUrl", "must be an http(s) URL or a path");
    set.imageUrl = v || null;
  }
  if (has("timezone")) {
    const v = oneLine("timezone", patch.timezone, BOUNDS.timezone);
    if (!isValidTimezone(v)) throw new ValidationError("timezone", `unknown time zone '${v}'`);
    set.timezone = v;
  }
  if (has("cutoverHour")) {
    const v = patch.cutoverHour;
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 23) throw new ValidationError("cutoverHour", "must be an hour 0–23");
    set.cutoverHour = v;
  }
  if (has("currency")) {
    const v = oneLine("currency", patch.currency, 3).toUpperCase();
    if (!isKnownCurrency(v)) throw new ValidationError("currency", `unknown currency '${v}' (an ISO 4217 code such as EUR)`);
    set.currency = v;
  }
  if (has("locale")) {
    const v = oneLine("locale", patch.locale, 35);
    if (!isKnownLocale(v)) throw new ValidationError("locale", `unknown locale '${v}' (a language tag such as fr-FR)`);
    set.locale = Intl.getCanonicalLocales(v)[0]!;
  }
  for (const [field, limit] of [
    ["latitude", 90],
    ["longitude", 180],
  ] as const) {
    if (!has(field)) continue;
    const v = patch[field];
    if (v !== null && (typeof v !== "number" || !Number.isFinite(v) || Math.abs(v) > limit))
      throw new ValidationError(field, `must be a number from -${limit} to ${limit} (or null)`);
    set[field] = v;
  }
  if (has("kitchenAckSeconds")) set.kitchenAckSeconds = wholeOrNull("kitchenAckSeconds", patch.kitchenAckSeconds);
  if (has("autoConfirmSeconds")) set.autoConfirmSeconds = wholeOrNull("autoConfirmSeconds", patch.autoConfirmSeconds);
  if (has("autoCancelMinutes")) set.autoCancelMinutes = wholeOrNull("autoCancelMinutes", patch.autoCancelMinutes);
  if (has("defaultPaymentMethod")) {
    const v = patch.defaultPaymentMethod;
    if (typeof v !== "string" || !(PAYMENT_METHODS as readonly string[]).includes(v))
      throw new ValidationError("defaultPaymentMethod", `must be one of ${PAYMENT_METHODS.join(", ")}`);
    set.defaultPaymentMethod = v;
  }
  if (has("autoConfirmSources")) {
    const v = patch.autoConfirmSources;
    if (!Array.isArray(v)) throw new ValidationError("autoConfirmSources", "must be a list of order sources");
    v.forEach((s, i) => {
      if (typeof s !== "string" || !(ORDER_SOURCES as readonly string[]).includes(s))
        throw new ValidationError(`autoConfirmSources.${i}`, `must be one of ${ORDER_SOURCES.join(", ")}`);
    });
    set.autoConfirmSources = JSON.stringify(ORDER_SOURCES.filter((s) => v.includes(s)));
  }
  if (has("tables")) {
    const v = patch.tables;
    if (!Array.isArray(v)) throw new ValidationError("tables", "must be a list of table names");
    if (v.length > PROFILE_BOUNDS.tables) throw new ValidationError("tables", `at most ${PROFILE_BOUNDS.tables} tables`);
    const seen = new Set<string>();
    const names = v.map((t, i) => {
      const n = oneLine(`tables.${i}`, t, PROFILE_BOUNDS.tableName);
      if (seen.has(n.toLowerCase())) throw new ValidationError(`tables.${i}`, `table '${n}' is listed twice`);
      seen.add(n.toLowerCase());
      return n;
    });
    set.tables = JSON.stringify(names);
  }
  for (const k of ["address", "taxId"] as const) {
    if (!has(k)) continue;
    const v = patch[k] === null ? "" : oneLine(k, patch[k], PROFILE_BOUNDS[k], { blank: true });
    set[k] = v || null;
  }
  if (has("taxRates")) set.taxRates = JSON.stringify(checkTaxRates(patch.taxRates));
  if (has("expoConfirms") || has("warnPercent") || has("latePercent")) {
    const kitchen: Partial<KitchenSettings> = {};
    for (const k of ["expoConfirms", "warnPercent", "latePercent"] as const) if (has(k)) (kitchen as Record<string, unknown>)[k] = patch[k];
    Object.assign(set, kitchenSettingsColumns(mergeKitchenSettings(row, kitchen)));
  }
  return set;
}

/** A list of `{ name, percent }`: names unique and non-blank, percent above 0, at most 100, three decimals. */
function checkTaxRates(value: unknown): TaxRate[] {
  if (!Array.isArray(value)) throw new ValidationError("taxRates", "must be a list of { name, percent }");
  if (value.length > PROFILE_BOUNDS.taxRates) throw new ValidationError("taxRates", `at most ${PROFILE_BOUNDS.taxRates} tax rates`);
  const seen = new Set<string>();
  return value.map((r, i) => {
    if (!r || typeof r !== "object" || Array.isArray(r)) throw new ValidationError(`taxRates.${i}`, "must be { name, percent }");
    const extra = Object.keys(r).find((k) => k !== "name" && k !== "percent");
    if (extra) throw new ValidationError(`taxRates.${i}.${extra}`, "unknown field");
    const name = oneLine(`taxRates.${i}.name`, (r as { name?: unknown }).name, PROFILE_BOUNDS.taxName);
    if (seen.has(name.toLowerCase())) throw new ValidationError(`taxRates.${i}.name`, `'${name}' is listed twice`);
    seen.add(name.toLowerCase());
    const percent = (r as { percent?: unknown }).percent;
    if (typeof percent !== "number" || !Number.isFinite(percent) || percent <= 0 || percent > 100)
      throw new ValidationError(`taxRates.${i}.percent`, "must be a number above 0 and at most 100");
    if (Math.abs(Math.round(percent * 1000) - percent * 1000) > 1e-6)
      throw new ValidationError(`taxRates.${i}.percent`, "at most three decimals");
    return { name, percent };
  });
}

/**
 * Changes the restaurant's profile: an operator their own, an admin any (`partner:write`); null
 * principal = the command line. Nothing is written unless every field is acceptable.
 */
export async function updatePartnerProfile({
  db,
  principal,
  slug,
  patch,
}: {
  db: Db;
  principal: Principal | null;
  slug: string;
  patch: PartnerPatch | Record<string, unknown>;
}): Promise<PartnerProfile> {
  if (principal) assertCan(principal, "partner:write");
  const row = await visiblePartner(db, principal, slug);
  const set = checkPatch(row, patch as Record<string, unknown>);
  return mutate(db, async (trx, emit) => {
    await trx.updateTable("partners").set(set).where("id", "=", row.id).execute();
    const updated = await trx.selectFrom("partners").selectAll().where("id", "=", row.id).executeTakeFirstOrThrow();
    const profile = toProfile(updated);
    await emit({
      version: EVENT_PAYLOAD_VERSION,
      partnerId: row.id,
      type: "partner.updated",
      orderId: null,
      payload: { partner: profile, changed: Object.keys(set) },
    });
    return profile;
  });
}
