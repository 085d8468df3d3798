import "server-only";
import type { Db } from "../db";
import { newId, nowIso } from "../db/ids";
import { NotFoundError, ValidationError } from "../errors";
import { parseField, partnerName } from "../fields";
import { isKnownCurrency, isKnownLocale, type MoneyStyle } from "../money-format";
import { isValidTimezone } from "../orders/business-day";
import { PAYMENT_METHODS, type PaymentMethod } from "../orders/payments";
import { ALLERGENS } from "./allergens";
import { loadCatalog } from "./catalog";

/** A dish of a seeded menu (tests, the CLI): its category and station are created by name. */
export type FoodSeed = {
  name: string;
  price: number;
  surcharge?: number;
  category: string;
  station: string;
  description?: string | null;
  allergens?: string[];
  prepMinutes?: number | null;
};

export async function createPartner({
  db,
  slug,
  name,
  timezone = "UTC",
  cutoverHour = 4,
  imageUrl = null,
  foods = [],
  stations = [],
  currency = "USD",
  locale = "en-US",
  defaultPaymentMethod = "CASH",
}: {
  db: Db;
  slug: string;
  name: string;
  timezone?: string;
  cutoverHour?: number;
  imageUrl?: string | null;
  foods?: readonly FoodSeed[];
  /** Stations to create besides those the foods name (a new restaurant with no menu yet). */
  stations?: readonly string[];
  /** ISO 4217, e.g. "EUR": every amount shown for this restaurant, and seeds/001 `currency`. */
  currency?: string;
  /** BCP 47, e.g. "fr-FR": how amounts (and the screens' words) are written. */
  locale?: string;
  /** The method the cashier's confirm dialog starts on. */
  defaultPaymentMethod?: PaymentMethod;
}) {
  if (!/^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/.test(slug)) {
    throw new ValidationError("slug", "lower-case letters, digits and '-', at most 48 characters");
  }
  const shownName = parseField(partnerName, "name", name);
  if (!isValidTimezone(timezone)) throw new ValidationError("timezone", `unknown time zone '${timezone}'`);
  if (!Number.isInteger(cutoverHour) || cutoverHour < 0 || cutoverHour > 23) {
    throw new ValidationError("cutoverHour", "must be an hour 0–23");
  }
  if (!isKnownCurrency(currency)) throw new ValidationError("currency", `unknown currency '${currency}' (ISO 4217, e.g. EUR)`);
  if (!isKnownLocale(locale)) throw new ValidationError("locale", `unknown locale '${locale}' (BCP 47, e.g. fr-FR)`);
  if (!(PAYMENT_METHODS as readonly string[]).includes(defaultPaymentMethod)) {
    throw new ValidationError("defaultPaymentMethod", `one of ${PAYMENT_METHODS.join(", ")}`);
  }
  const taken = await db.selectFrom("partners").select("id").where("slug", "=", slug).executeTakeFirst();
  if (taken) throw new ValidationError("slug", `partner '${slug}' already exists`);
  const now = nowIso();
  const partner = {
    id: newId(),
    slug,
    name: shownName,
    imageUrl,
    timezone,
    cutoverHour,
    autoCancelMinutes: null,
    autoConfirmSources: "[]",
    createdAt: now,
    currency,
    locale,
    defaultPaymentMethod,
  };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto("partners").values(partner).execute();
    const stationKeys = [...new Set([...stations, ...foods.map((f) => f.station).filter(Boolean)])];
    if (stationKeys.length > 0) {
      await trx
        .insertInto("stations")
        .values(
          stationKeys.map((key, position) => ({
            id: newId(),
            partnerId: partner.id,
            key,
            name: key.charAt(0).toUpperCase() + key.slice(1),
            position,
            prepMinutes: null,
            createdAt: now,
          })),
        )
        .execute();
    }
    const categoryIds = new Map<string, string>();
    for (const f of foods) if (!categoryIds.has(f.category)) categoryIds.set(f.category, newId());
    if (categoryIds.size > 0) {
      await trx
        .insertInto("categories")
        .values(
          [...categoryIds].map(([category, id], position) => ({
            id,
            partnerId: partner.id,
            name: category,
            position,
            archived: 0,
            updatedAt: now,
          })),
        )
        .execute();
    }
    if (foods.length > 0) {
      await trx
        .insertInto("foods")
        .values(
          foods.map((f, position) => ({
            id: newId(),
            partnerId: partner.id,
            name: f.name,
            price: f.price,
            surcharge: f.surcharge ?? 0,
            category: f.category,
            categoryId: categoryIds.get(f.category)!,
            station: f.station,
            description: f.description ?? null,
            allergens: JSON.stringify(f.allergens ?? []),
            prepMinutes: f.prepMinutes ?? null,
            available: 1,
            position,
            updatedAt: now,
          })),
        )
        .execute();
    }
  });
  return partner;
}

export async function findPartnerBySlug({ db, slug }: { db: Db; slug: string }) {
  return db.selectFrom("partners").selectAll().where("slug", "=", slug).executeTakeFirst();
}

/**
 * The public menu of a partner: what a kiosk or QR page may order. Sold-out dishes stay listed
 * with `available: false` only when `withSoldOut` (a guest sees "sold out" rather than a dish
 * vanishing); archived rows never. `foods` keeps its pre-menu-model fields first.
 */
export async function getMenu({ db, slug, withSoldOut = false }: { db: Db; slug: string; withSoldOut?: boolean }) {
  const partner = await findPartnerBySlug({ db, slug });
  if (!partner) throw new NotFoundError("partner", { field: "partner" });
  const catalog = await loadCatalog(db, partner.id);
  return {
    // currency + locale: the guest page writes prices the restaurant's way (lib/money-format.ts).
    partner: { slug: partner.slug, name: partner.name, imageUrl: partner.imageUrl, currency: partner.currency, locale: partner.locale },
    categories: catalog.categories,
    foods: withSoldOut ? catalog.foods : catalog.foods.filter((f) => f.available),
    modifierGroups: catalog.modifierGroups,
    allergens: ALLERGENS,
  };
}

/** How a partner's amounts are written (lib/money-format.ts displayMoney); null for an unknown id. */
export async function getMoneyStyle({ db, partnerId }: { db: Db; partnerId: string }): Promise<MoneyStyle | null> {
  const row = await db.selectFrom("partners").select(["currency", "locale"]).where("id", "=", partnerId).executeTakeFirst();
  return row ? { currency: row.currency, locale: row.locale } : null;
}

/** Foods of a partner as rows (tests, the order page); archived ones never. */
export async function listFoods({ db, partnerId, onlyAvailable }: { db: Db; partnerId: string; onlyAvailable: boolean }) {
  let q = db.selectFrom("foods").selectAll().where("partnerId", "=", partnerId).where("archived", "=", 0);
  if (onlyAvailable) q = q.where("available", "=", 1);
  return q.orderBy("position").orderBy("name").execute();
}
