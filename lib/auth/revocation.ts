import "server-only";
import { sql } from "kysely";
import type { Db } from "../db";
import { nowIso } from "../db/ids";
import { mutate, type Trx } from "../events";
import { NotFoundError, ValidationError } from "../errors";
import { EVENT_PAYLOAD_VERSION, type RevocationPayload } from "../orders/events";
import type { UserRole } from "./access";
import { normaliseUsername } from "./password-policy";
import { hashSecret } from "./secrets";

/**
 * Credentials that stop being valid end the streams opened with them, on every node
 * (docs/architecture.md, "Authorisation"): the change and an `auth.revoked` event commit
 * together; every hub reads it from the log and closes the matching streams and sockets.
 * Expiry needs no event: each stream ends itself at its credential's expiry.
 */
async function revoke<T>(db: Db, partnerId: string | null, payload: RevocationPayload, change: (trx: Trx) => Promise<T>): Promise<T> {
  return mutate(db, async (trx, emit) => {
    const result = await change(trx);
    // Admins belong to no partner: their events carry "" (shown on no channel anyway).
    await emit({ version: EVENT_PAYLOAD_VERSION, partnerId: partnerId ?? "", type: "auth.revoked", orderId: null, payload });
    return result;
  });
}

export async function logout({ db, sessionToken }: { db: Db; sessionToken: string }): Promise<void> {
  const sessionId = hashSecret(sessionToken);
  const session = await db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.userId")
    .select(["users.id as userId", "users.partnerId"])
    .where("sessions.id", "=", sessionId)
    .executeTakeFirst();
  if (!session) return;
  await revoke(db, session.partnerId, { credential: { sessionId }, reason: "logout" }, async (trx) => {
    await trx.deleteFrom("sessions").where("id", "=", sessionId).execute();
  });
}

export async function revokeDeviceToken({ db, id }: { db: Db; id: string }): Promise<boolean> {
  const token = await db
    .selectFrom("deviceTokens")
    .select(["partnerId"])
    .where("id", "=", id)
    .where("revokedAt", "is", null)
    .executeTakeFirst();
  if (!token) return false;
  return revoke(db, token.partnerId, { credential: { tokenId: id }, reason: "revoked" }, async (trx) => {
    const result = await trx
      .updateTable("deviceTokens")
      .set({ revokedAt: nowIso() })
      .where("id", "=", id)
      .where("revokedAt", "is", null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  });
}

async function findUser(db: Db, username: string) {
  const user = await db
    .selectFrom("users")
    .select(["id", "partnerId", "role", "disabledAt"])
    .where(sql<string>`lower(${sql.ref("username")})`, "=", normaliseUsername(username))
    .executeTakeFirst();
  if (!user) throw new NotFoundError("user", { field: "username" });
  return user;
}

/** A disabled user signs in as no one; their sessions end now. */
export async function disableUser({ db, username }: { db: Db; username: string }): Promise<void> {
  const user = await findUser(db, username);
  await revoke(db, user.partnerId, { credential: { userId: user.id }, reason: "disabled" }, async (trx) => {
    await trx.updateTable("users").set({ disabledAt: nowIso() }).where("id", "=", user.id).execute();
    await trx.deleteFrom("sessions").where("userId", "=", user.id).execute();
  });
}

/** A new role: streams opened under the old one end (their permissions were the old role's). */
export async function setUserRole({ db, username, role }: { db: Db; username: string; role: UserRole }): Promise<void> {
  if (!["admin", "operator", "kitchen"].includes(role)) throw new ValidationError("role", "must be one of admin, operator, kitchen");
  const user = await findUser(db, username);
  if (user.role === role) return;
  if (role !== "admin" && !user.partnerId) throw new ValidationError("role", "a user without a partner can only be an admin");
  await revoke(db, user.partnerId, { credential: { userId: user.id }, reason: "role-changed" }, async (trx) => {
    await trx.updateTable("users").set({ role }).where("id", "=", user.id).execute();
  });
}

/**
 * Several changes to one account at once (the back office's PATCH /api/users/{id}), in one
 * transaction with one `auth.revoked` when any of them ends the user's credentials: a new role,
 * a new password or a disable. Enabling alone ends nothing. The caller has checked every value.
 */
export async function updateUserAccount({
  db,
  userId,
  change,
}: {
  db: Db;
  userId: string;
  change: { role?: UserRole; passwordHash?: string; disabled?: boolean };
}): Promise<void> {
  const user = await db.selectFrom("users").select(["id", "partnerId", "role", "disabledAt"]).where("id", "=", userId).executeTakeFirst();
  if (!user) throw new NotFoundError("user", { field: "id" });
  const set: { role?: UserRole; passwordHash?: string; disabledAt?: string | null } = {};
  if (change.role !== undefined && change.role !== user.role) set.role = change.role;
  if (change.passwordHash !== undefined) set.passwordHash = change.passwordHash;
  if (change.disabled === true && !user.disabledAt) set.disabledAt = nowIso();
  if (change.disabled === false && user.disabledAt) set.disabledAt = null;
  if (Object.keys(set).length === 0) return;
  const reason: RevocationPayload["reason"] | null = set.disabledAt
    ? "disabled"
    : set.passwordHash
      ? "password-reset"
      : set.role
        ? "role-changed"
        : null;
  if (!reason) {
    await db.updateTable("users").set(set).where("id", "=", user.id).execute();
    return;
  }
  await revoke(db, user.partnerId, { credential: { userId: user.id }, reason }, async (trx) => {
    await trx.updateTable("users").set(set).where("id", "=", user.id).execute();
    if (set.disabledAt || set.passwordHash) await trx.deleteFrom("sessions").where("userId", "=", user.id).execute();
  });
}
