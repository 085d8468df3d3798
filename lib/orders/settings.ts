import "server-only";
import { assertCan, assertPartnerVisible, type Principal } from "../auth/access";
import type { Db } from "../db";
import { NotFoundError, ValidationError } from "../errors";

/**
 * A partner's kitchen settings (issue "Station workflow" items 2 and 4): whether expo confirms
 * READY, and when a ticket turns warning / late, as a percentage of each line's prep target
 * (station defaults live on the stations: PATCH /api/stations/{id} prepMinutes). They apply to
 * orders placed from then on: an order keeps the settings it was placed under.
 */
export type KitchenSettings = { expoConfirms: boolean; warnPercent: number; latePercent: number };

async function partnerOf(db: Db, principal: Principal, slug: string) {
  const row = await db.selectFrom("partners").selectAll().where("slug", "=", slug).executeTakeFirst();
  if (!row) throw new NotFoundError("partner", { field: "partner" });
  assertPartnerVisible(principal, row.id, "partner", { field: "partner" });
  return row;
}

const toSettings = (r: { expoConfirms: number; warnPercent: number; latePercent: number }): KitchenSettings => ({
  expoConfirms: Boolean(r.expoConfirms),
  warnPercent: Number(r.warnPercent),
  latePercent: Number(r.latePercent),
});

export async function getKitchenSettings({ db, principal, partner }: { db: Db; principal: Principal; partner: string }) {
  assertCan(principal, "orders:read");
  return toSettings(await partnerOf(db, principal, partner));
}

export async function updateKitchenSettings({
  db,
  principal,
  partner,
  patch,
}: {
  db: Db;
  principal: Principal;
  partner: string;
  patch: Partial<KitchenSettings>;
}): Promise<KitchenSettings> {
  assertCan(principal, "menu:write");
  if (Object.keys(patch).length === 0) throw new ValidationError("body", "nothing to change");
  const row = await partnerOf(db, principal, partner);
  const next = mergeKitchenSettings(row, patch);
  await db.updateTable("partners").set(kitchenSettingsColumns(next)).where("id", "=", row.id).execute();
  return next;
}

/**
 * The partner's kitchen settings with `patch` applied, checked: one rule for this route and the
 * restaurant's PATCH /api/partners/{slug} (lib/orders/partner-profile.ts).
 */
export function mergeKitchenSettings(
  row: { expoConfirms: number; warnPercent: number; latePercent: number },
  patch: Partial<KitchenSettings>,
): KitchenSettings {
  const next = { ...toSettings(row), ...patch };
  if (typeof next.expoConfirms !== "boolean") throw new ValidationError("expoConfirms", "must be true or false");
  for (const field of ["warnPercent", "latePercent"] as const) {
    const v = next[field];
    if (!Number.isInteger(v) || v < 10 || v > 1000) throw new ValidationError(field, "must be a whole percentage, 10–1000");
  }
  if (next.latePercent <= next.warnPercent) throw new ValidationError("latePercent", `must be above warnPercent (${next.warnPercent})`);
  return next;
}

export const kitchenSettingsColumns = (s: KitchenSettings) => ({
  expoConfirms: s.expoConfirms ? 1 : 0,
  warnPercent: s.warnPercent,
  latePercent: s.latePercent,
});
