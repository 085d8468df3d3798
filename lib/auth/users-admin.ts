import "server-only";
import type { Db } from "../db";
import { AppError, NotFoundError, ValidationError } from "../errors";
import { assertCan, partnerScope, type Principal, type UserRole } from "./access";
import { passwordProblem } from "./password-policy";
import { hashPassword } from "./password";
import { updateUserAccount } from "./revocation";
import { createUser } from "./service";

/**
 * The back office's users (issue "Cashier and back office" item 2): an operator manages the
 * users of their own partner (operators and kitchen); only an admin makes or touches an admin.
 * Another partner's user is not found (404), as everywhere. The password policy and the
 * revocation of open streams are lib/auth's own (service.ts, revocation.ts).
 */
export type UserRow = { id: string; username: string; role: UserRole; partnerId: string | null; createdAt: string; disabled: boolean };

const forbiddenRole = (message: string) => new AppError(403, "FORBIDDEN", message, { field: "role" });

async function partnerIdOf(db: Db, principal: Principal, slug: string): Promise<string> {
  const row = await db.selectFrom("partners").select("id").where("slug", "=", slug).executeTakeFirst();
  const scope = partnerScope(principal);
  if (!row || (scope !== null && scope !== row.id)) throw new NotFoundError("partner", { field: "partner" });
  return row.id;
}

/** The partner's users (and, for an admin, the admins, who belong to no partner). */
export async function listUsers({ db, principal, partner }: { db: Db; principal: Principal; partner: string }): Promise<UserRow[]> {
  assertCan(principal, "users:manage");
  const partnerId = await partnerIdOf(db, principal, partner);
  let q = db.selectFrom("users").select(["id", "username", "role", "partnerId", "createdAt", "disabledAt"]);
  q =
    partnerScope(principal) === null
      ? q.where((eb) => eb.or([eb("partnerId", "=", partnerId), eb("role", "=", "admin")]))
      : q.where("partnerId", "=", partnerId);
  const rows = await q.orderBy("username").execute();
  return rows.map((r) => ({
    id: r.id,
    username: r.username,
    role: r.role as UserRole,
    partnerId: r.partnerId,
    createdAt: r.createdAt,
    disabled: r.disabledAt !== null,
  }));
}

export async function addUser({
  db,
  principal,
  partner,
  input,
}: {
  db: Db;
  principal: Principal;
  partner: string;
  input: { username: string; role: UserRole; password: string };
}) {
  assertCan(principal, "users:manage");
  const partnerId = await partnerIdOf(db, principal, partner);
  if (input.role === "admin" && partnerScope(principal) !== null) throw forbiddenRole("an operator cannot create an admin");
  const user = await createUser({ db, partnerId, role: input.role, username: input.username, password: input.password });
  return { ...user, disabled: false };
}

/** A user the caller may manage: their partner's (an admin: anyone); admins only by admins. */
async function manageable(db: Db, principal: Principal, id: string) {
  const user = await db.selectFrom("users").select(["id", "username", "role", "partnerId"]).where("id", "=", id).executeTakeFirst();
  const scope = partnerScope(principal);
  if (!user || (scope !== null && user.partnerId !== scope)) throw new NotFoundError("user", { field: "id" });
  return user;
}

export async function updateUser({
  db,
  principal,
  id,
  patch,
}: {
  db: Db;
  principal: Principal;
  id: string;
  patch: { role?: UserRole; password?: string; disabled?: boolean };
}): Promise<UserRow> {
  assertCan(principal, "users:manage");
  if (patch.role === undefined && patch.password === undefined && patch.disabled === undefined)
    throw new ValidationError("body", "nothing to change");
  const user = await manageable(db, principal, id);
  const self = principal.kind === "user" && principal.userId === user.id;
  const operator = partnerScope(principal) !== null;
  // Check every field before changing any.
  if (patch.role !== undefined) {
    if (!["admin", "operator", "kitchen"].includes(patch.role))
      throw new ValidationError("role", "must be one of admin, operator, kitchen");
    if (operator && patch.role === "admin") throw forbiddenRole("an operator cannot make an admin");
    if (self && patch.role !== user.role) throw new ValidationError("role", "you cannot change your own role");
    if (patch.role === "admin" && user.partnerId)
      throw new ValidationError("role", "an admin belongs to no partner: create a new admin user instead");
  }
  if (patch.disabled === true && self) throw new ValidationError("disabled", "you cannot disable yourself");
  if (patch.password !== undefined) {
    const problem = passwordProblem(patch.password);
    if (problem) throw new ValidationError("password", problem);
  }
  // One transaction and one revocation for the whole patch.
  await updateUserAccount({
    db,
    userId: user.id,
    change: {
      role: patch.role,
      passwordHash: patch.password === undefined ? undefined : await hashPassword(patch.password),
      disabled: patch.disabled,
    },
  });
  const row = await db
    .selectFrom("users")
    .select(["id", "username", "role", "partnerId", "createdAt", "disabledAt"])
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
  return {
    id: row.id,
    username: row.username,
    role: row.role as UserRole,
    partnerId: row.partnerId,
    createdAt: row.createdAt,
    disabled: row.disabledAt !== null,
  };
}
