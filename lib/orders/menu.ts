import "server-only";
import { EVENT_PAYLOAD_VERSION } from "./events";
import type { Selectable } from "kysely";
import type { Db, FoodsTable } from "../db";
import { newId, nowIso } from "../db/ids";
import { assertCan, assertPartnerVisible, type Principal } from "../auth/access";
import { NotFoundError, ValidationError } from "../errors";
import { partnerName, parseField } from "../fields";
import { formatMoney, parseMoney } from "./money";
import { isValidTimezone } from "./business-day";
import { mutate } from "../events";

export type FoodSeed = { name: string; price: number; surcharge?: number; category: string; station: string };

export async function createPartner({
  db,
  slug,
  name,
  timezone = "UTC",
  cutoverHour = 4,
  imageUrl = null,
  foods = [],
}: {
  db: Db;
  slug: string;
  name: string;
  timezone?: string;
  cutoverHour?: number;
  imageUrl?: string | null;
  foods?: readonly FoodSeed[];
}) {
  if (!/^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/.test(slug)) {
    throw new ValidationError("slug", "lower-case letters, digits and '-', at most 48 characters");
  }
  const shownName = parseField(partnerName, "name", name);
  if (!isValidTimezone(timezone)) throw new ValidationError("timezone", `unknown time zone '${timezone}'`);
  if (!Number.isInteger(cutoverHour) || cutoverHour < 0 || cutoverHour > 23) {
    throw new ValidationError("cutoverHour", "must be an hour 0–23");
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
  };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto("partners").values(partner).execute();
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
            station: f.station,
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

export type FoodRow = Awaited<ReturnType<typeof listFoods>>[number];

export async function listFoods({ db, partnerId, onlyAvailable }: { db: Db; partnerId: string; onlyAvailable: boolean }) {
  let q = db.selectFrom("foods").selectAll().where("partnerId", "=", partnerId);
  if (onlyAvailable) q = q.where("available", "=", 1);
  return q.orderBy("position").orderBy("name").execute();
}

export function toFoodDto(f: Pick<Selectable<FoodsTable>, "id" | "name" | "price" | "surcharge" | "category" | "station" | "available">) {
  return {
    id: f.id,
    name: f.name,
    price: formatMoney(Number(f.price)),
    surcharge: formatMoney(Number(f.surcharge)),
    category: f.category,
    station: f.station,
    available: Boolean(f.available),
  };
}

/** The public menu of a partner: what a kiosk or QR page may order. */
export async function getMenu({ db, slug }: { db: Db; slug: string }) {
  const partner = await findPartnerBySlug({ db, slug });
  if (!partner) throw new NotFoundError("partner", { field: "partner" });
  const foods = await listFoods({ db, partnerId: partner.id, onlyAvailable: true });
  return {
    partner: { slug: partner.slug, name: partner.name, imageUrl: partner.imageUrl },
    foods: foods.map(toFoodDto),
  };
}

export type FoodPatch = { name?: string; price?: string; surcharge?: string; available?: boolean; category?: string; station?: string };

/** PATCH semantics: only the given fields change; the change is logged as a `food.updated` event. */
export async function updateFood({ db, principal, id, patch }: { db: Db; principal: Principal; id: string; patch: FoodPatch }) {
  assertCan(principal, "foods:write");
  const changes: Record<string, string | number> = {};
  if (patch.name !== undefined) changes.name = patch.name.trim();
  if (patch.price !== undefined) changes.price = parseMoney(patch.price, "price");
  if (patch.surcharge !== undefined) changes.surcharge = parseMoney(patch.surcharge, "surcharge");
  if (patch.available !== undefined) changes.available = patch.available ? 1 : 0;
  if (patch.category !== undefined) changes.category = patch.category.trim();
  if (patch.station !== undefined) changes.station = patch.station.trim();
  if (Object.keys(changes).length === 0) throw new ValidationError("body", "nothing to change");

  return mutate(db, async (trx, emit) => {
    const food = await trx.selectFrom("foods").selectAll().where("id", "=", id).executeTakeFirst();
    if (!food) throw new NotFoundError("food");
    assertPartnerVisible(principal, food.partnerId, "food");
    await trx
      .updateTable("foods")
      .set({ ...changes, updatedAt: nowIso() })
      .where("id", "=", id)
      .execute();
    const updated = (await trx.selectFrom("foods").selectAll().where("id", "=", id).executeTakeFirstOrThrow())!;
    const dto = toFoodDto(updated);
    const changedFields = Object.fromEntries(Object.keys(changes).map((k) => [k, dto[k as keyof typeof dto]]));
    await emit({
      version: EVENT_PAYLOAD_VERSION,
      partnerId: food.partnerId,
      type: "food.updated",
      orderId: null,
      payload: { food: dto, changed: changedFields },
    });
    return dto;
  });
}
