import "server-only";
import type { Db } from "../db";
import { NotFoundError, ValidationError } from "../errors";
import { parseField, tokenName } from "../fields";
import { assertCan, partnerScope, type Principal, type TokenRole } from "./access";
import { revokeDeviceToken } from "./revocation";
import { createDeviceToken, TOKEN_ROLES } from "./service";

/**
 * Device tokens in the back office (issue "Cashier and back office" item 2): a named token for
 * a screen or printer, shown once, revocable, with when it was last seen (lastUsedAt, kept by
 * lib/auth/service.ts when the token authenticates). The same table and functions as the CLI.
 */
export type DeviceRow = {
  id: string;
  name: string;
  role: TokenRole;
  channels: string[];
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastSeenAt: string | null;
};

async function partnerIdOf(db: Db, principal: Principal, slug: string): Promise<string> {
  const row = await db.selectFrom("partners").select("id").where("slug", "=", slug).executeTakeFirst();
  const scope = partnerScope(principal);
  if (!row || (scope !== null && scope !== row.id)) throw new NotFoundError("partner", { field: "partner" });
  return row.id;
}

export async function listDevices({ db, principal, partner }: { db: Db; principal: Principal; partner: string }): Promise<DeviceRow[]> {
  assertCan(principal, "devices:manage");
  const partnerId = await partnerIdOf(db, principal, partner);
  const rows = await db
    .selectFrom("deviceTokens")
    .select(["id", "name", "role", "channels", "createdAt", "expiresAt", "revokedAt", "lastUsedAt"])
    .where("partnerId", "=", partnerId)
    .orderBy("createdAt", "desc")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    role: r.role as TokenRole,
    channels: JSON.parse(r.channels) as string[],
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
    revokedAt: r.revokedAt,
    lastSeenAt: r.lastUsedAt,
  }));
}

/** A new token, returned once with its secret; only its keyed hash is stored. */
export async function issueDevice({
  db,
  principal,
  partner,
  input,
}: {
  db: Db;
  principal: Principal;
  partner: string;
  input: { name: string; role: TokenRole; expiresInDays?: number | null };
}) {
  assertCan(principal, "devices:manage");
  const partnerId = await partnerIdOf(db, principal, partner);
  if (!TOKEN_ROLES.includes(input.role)) throw new ValidationError("role", `must be one of ${TOKEN_ROLES.join(", ")}`);
  const days = input.expiresInDays ?? null;
  if (days !== null && (!Number.isInteger(days) || days < 1 || days > 36_500))
    throw new ValidationError("expiresInDays", "must be 1–36500 days (or null)");
  return createDeviceToken({
    db,
    partnerId,
    role: input.role,
    name: input.name,
    expiresAt: days === null ? null : new Date(Date.now() + days * 86_400_000).toISOString(),
  });
}

/** Revokes a token of the caller's partner: its streams end on every node (lib/auth/revocation.ts). */
export async function revokeDevice({ db, principal, id }: { db: Db; principal: Principal; id: string }) {
  assertCan(principal, "devices:manage");
  const row = await db.selectFrom("deviceTokens").select(["id", "partnerId", "revokedAt"]).where("id", "=", id).executeTakeFirst();
  const scope = partnerScope(principal);
  if (!row || (scope !== null && scope !== row.partnerId)) throw new NotFoundError("device", { field: "id" });
  if (row.revokedAt) return { id, revoked: true };
  await revokeDeviceToken({ db, id });
  return { id, revoked: true };
}

/**
 * Renames a token of the caller's partner (the health panel and the devices list show the new
 * name at once: they read it from the token, not from what its screens last reported).
 */
export async function renameDevice({ db, principal, id, name }: { db: Db; principal: Principal; id: string; name: string }) {
  assertCan(principal, "devices:manage");
  const clean = parseField(tokenName, "name", name);
  const scope = partnerScope(principal);
  let q = db.updateTable("deviceTokens").set({ name: clean }).where("id", "=", id);
  if (scope !== null) q = q.where("partnerId", "=", scope);
  const result = await q.executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw new NotFoundError("device", { field: "id" });
  return { id, name: clean };
}
