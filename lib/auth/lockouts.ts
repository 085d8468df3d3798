import "server-only";
import { sql } from "kysely";
import type { Db } from "../db";
import { partnerScope, type Principal } from "./access";

/**
 * Sign-in lockouts, for the notice on the dashboard (issue "Security hardening"): when the failed
 * sign-ins of an account or of an address reach their limit (lib/limits.ts `login:account`,
 * `login:ip`), the login route records it here — in the database, so every node's dashboard shows
 * it. One row per account or address, replaced when it is locked again; rows go a day after they
 * were written, and there are never more than MAX_ROWS.
 *
 * Who sees what: admins every lockout; an operator only their own partner's accounts — never
 * another partner's, an admin's, an unknown username's, or an address's (those span accounts).
 */
export type LockoutKind = "account" | "address";

/** How long a lockout stays on the dashboard (and in the table). */
export const LOCKOUT_NOTICE_MS = 24 * 60 * 60_000;
/** The table's bound against a spray of unknown usernames from many addresses. */
export const MAX_ROWS = 1_000;
/** The most a dashboard is sent. */
const MAX_LISTED = 50;

export type LockoutNotice = {
  kind: LockoutKind;
  /** The account (for an address: the last one tried). */
  username: string;
  /** false: no user has that name (admins only see these). */
  knownUser: boolean;
  /** Where the failures came from (for an account: the last one). */
  address: string;
  failures: number;
  lockedAt: string;
  lockedUntil: string;
  /** Still locked now. */
  active: boolean;
};

export async function recordLockout({
  db,
  kind,
  username,
  address,
  failures,
  lockedUntil,
  now = new Date(),
}: {
  db: Db;
  kind: LockoutKind;
  /** Lower case, as the login route counts it. */
  username: string;
  address: string;
  failures: number;
  lockedUntil: Date;
  now?: Date;
}): Promise<void> {
  const user = await db
    .selectFrom("users")
    .select(["partnerId"])
    .where(sql<string>`lower(${sql.ref("username")})`, "=", username)
    .executeTakeFirst();
  const row = {
    // An address's lockout belongs to no partner: it may span several.
    partnerId: kind === "account" ? (user?.partnerId ?? null) : null,
    knownUser: user ? 1 : 0,
    username,
    address,
    failures,
    lockedAt: now.toISOString(),
    lockedUntil: lockedUntil.toISOString(),
  };
  await db
    .insertInto("loginLockouts")
    .values({ kind, subject: kind === "account" ? username : address, ...row })
    .onConflict((oc) => oc.columns(["kind", "subject"]).doUpdateSet(row))
    .execute();
  await pruneLockouts({ db, now });
}

/** Rows older than a day go; beyond MAX_ROWS the oldest go too. */
export async function pruneLockouts({ db, now = new Date() }: { db: Db; now?: Date }): Promise<void> {
  await db
    .deleteFrom("loginLockouts")
    .where("lockedAt", "<", new Date(now.getTime() - LOCKOUT_NOTICE_MS).toISOString())
    .execute();
  const cutoff = await db
    .selectFrom("loginLockouts")
    .select("lockedAt")
    .orderBy("lockedAt", "desc")
    .limit(1)
    .offset(MAX_ROWS - 1)
    .executeTakeFirst();
  if (cutoff) await db.deleteFrom("loginLockouts").where("lockedAt", "<", cutoff.lockedAt).execute();
}

/** The lockouts of the last day that `principal` may see, newest first. */
export async function listLockouts({
  db,
  principal,
  now = new Date(),
}: {
  db: Db;
  principal: Principal;
  now?: Date;
}): Promise<LockoutNotice[]> {
  const scope = partnerScope(principal);
  let q = db
    .selectFrom("loginLockouts")
    .selectAll()
    .where("lockedAt", ">=", new Date(now.getTime() - LOCKOUT_NOTICE_MS).toISOString())
    .orderBy("lockedAt", "desc")
    .limit(MAX_LISTED);
  if (scope !== null) q = q.where("kind", "=", "account").where("partnerId", "=", scope);
  const rows = await q.execute();
  return rows.map((r) => ({
    kind: r.kind as LockoutKind,
    username: r.username,
    knownUser: Boolean(r.knownUser),
    address: r.address,
    failures: Number(r.failures),
    lockedAt: r.lockedAt,
    lockedUntil: r.lockedUntil,
    active: r.lockedUntil > now.toISOString(),
  }));
}
