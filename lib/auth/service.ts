import "server-only";
import { sql } from "kysely";
import type { Db } from "../db";
import { newId, nowIso } from "../db/ids";
import { UnauthorizedError, ValidationError } from "../errors";
import { parseField, tokenName } from "../fields";
import {
  CHANNELS,
  DEFAULT_TOKEN_CHANNELS,
  STREAM_FORMATS,
  type Principal,
  type StreamFormat,
  type TokenRole,
  type UserRole,
} from "./access";
import { DEVICE_COOKIE, SESSION_COOKIE, SESSION_TTL_MS, parseCookies } from "./cookies";
import { dummyPasswordHash, hashPassword, verifyPassword } from "./password";
import { normaliseUsername, passwordProblem } from "./password-policy";
import { hashSecret, newSecret } from "./secrets";

export const USER_ROLES: readonly UserRole[] = ["admin", "operator", "kitchen"];
export const TOKEN_ROLES: readonly TokenRole[] = ["operator", "kitchen", "printer", "display", "integration"];
const TOKEN_PREFIX = "pass_";
const LAST_SEEN_EVERY_MS = 60_000;

const WRONG_LOGIN = "wrong username or password";

export async function login({ db, username, password }: { db: Db; username: string; password: string }) {
  // Usernames are case-insensitive (migration 0007 keeps lower(username) unique).
  const user = await db
    .selectFrom("users")
    .selectAll()
    .where(sql<string>`lower(${sql.ref("username")})`, "=", normaliseUsername(username))
    .where("disabledAt", "is", null)
    .executeTakeFirst();
  // Same work and the same answer whether or not the user exists.
  const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
  if (!user || !ok) throw new UnauthorizedError(WRONG_LOGIN);

  const sessionToken = newSecret();
  const now = Date.now();
  const expiresAt = new Date(now + SESSION_TTL_MS).toISOString();
  await db
    .insertInto("sessions")
    .values({ id: hashSecret(sessionToken), userId: user.id, createdAt: new Date(now).toISOString(), expiresAt })
    .execute();
  return {
    sessionToken,
    expiresAt,
    user: { id: user.id, username: user.username, role: user.role as UserRole, partnerId: user.partnerId },
  };
}

export { logout, revokeDeviceToken, disableUser, setUserRole } from "./revocation";

/**
 * The principal behind a request: a bearer token wins over the cookie.
 * A bearer that is unknown, expired or revoked is an error (the integration must know);
 * a stale cookie is just no session.
 */
export async function resolvePrincipal({
  db,
  cookieHeader,
  authorization,
}: {
  db: Db;
  cookieHeader?: string | null;
  authorization?: string | null;
}): Promise<{ principal: Principal; via: "bearer" | "cookie"; credential: Credential } | null> {
  if (authorization) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!m) throw new UnauthorizedError("Authorization must be 'Bearer <token>'");
    const { principal, expiresAt } = await tokenPrincipal({ db, token: m[1]! });
    return { principal, via: "bearer", credential: { tokenId: principal.kind === "token" ? principal.tokenId : undefined, expiresAt } };
  }
  const cookies = parseCookies(cookieHeader);
  const sessionToken = cookies.get(SESSION_COOKIE);
  const session = sessionToken ? await sessionPrincipal({ db, sessionToken }) : null;
  if (session) return { principal: session.principal, via: "cookie", credential: session.credential };
  // A paired screen (lib/auth/pairing.ts): its device token in an httpOnly cookie, on the same path as
  // a bearer (revocable, ends its streams) and, being a cookie, under the same CSRF rule as a session.
  const device = await devicePrincipal({ db, deviceToken: cookies.get(DEVICE_COOKIE) });
  if (!device) return null;
  return { principal: device.principal, via: "cookie", credential: { tokenId: device.principal.tokenId, expiresAt: device.expiresAt } };
}

/** The device token of a paired screen's cookie; a stale one (revoked, expired, unknown) is just no one. */
export async function devicePrincipal({
  db,
  deviceToken,
}: {
  db: Db;
  deviceToken: string | null | undefined;
}): Promise<{ principal: Extract<Principal, { kind: "token" }>; expiresAt: string | null } | null> {
  if (!deviceToken) return null;
  try {
    const { principal, expiresAt } = await tokenPrincipal({ db, token: deviceToken });
    return principal.kind === "token" ? { principal, expiresAt } : null;
  } catch (err) {
    if (err instanceof UnauthorizedError) return null;
    throw err;
  }
}

/**
 * What a long-lived stream must know of the credential it was opened with: which one (so a
 * revocation can end it, lib/auth/revocation.ts) and when it expires (so it ends itself).
 */
export type Credential = { sessionId?: string; tokenId?: string; userId?: string; expiresAt: string | null };

export async function principalForSession({ db, sessionToken }: { db: Db; sessionToken: string }): Promise<Principal | null> {
  return (await sessionPrincipal({ db, sessionToken }))?.principal ?? null;
}

export async function sessionPrincipal({
  db,
  sessionToken,
}: {
  db: Db;
  sessionToken: string;
}): Promise<{ principal: Principal; credential: Credential } | null> {
  const sessionId = hashSecret(sessionToken);
  const row = await db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.userId")
    .select(["users.id as userId", "users.username", "users.role", "users.partnerId", "sessions.expiresAt", "users.disabledAt"])
    .where("sessions.id", "=", sessionId)
    .executeTakeFirst();
  if (!row || row.disabledAt || row.expiresAt <= nowIso()) return null;
  // Only an admin spans partners: a staff row that lost its partner signs in as no one (fail closed).
  if (row.role !== "admin" && !row.partnerId) return null;
  return {
    principal: { kind: "user", userId: row.userId, username: row.username, role: row.role as UserRole, partnerId: row.partnerId },
    credential: { sessionId, userId: row.userId, expiresAt: row.expiresAt },
  };
}

async function tokenPrincipal({ db, token }: { db: Db; token: string }): Promise<{ principal: Principal; expiresAt: string | null }> {
  const row = await db.selectFrom("deviceTokens").selectAll().where("tokenHash", "=", hashSecret(token)).executeTakeFirst();
  if (!row) throw new UnauthorizedError("unknown token");
  if (row.revokedAt) throw new UnauthorizedError("token revoked");
  if (row.expiresAt && row.expiresAt <= nowIso()) throw new UnauthorizedError("token expired");
  // "Last seen" in the back office: written at most once a minute per token, not on every request.
  const now = Date.now();
  if (!row.lastUsedAt || Date.parse(row.lastUsedAt) < now - LAST_SEEN_EVERY_MS) {
    await db
      .updateTable("deviceTokens")
      .set({ lastUsedAt: new Date(now).toISOString() })
      .where("id", "=", row.id)
      .execute();
  }
  const principal: Principal = {
    kind: "token",
    tokenId: row.id,
    name: row.name,
    role: row.role as TokenRole,
    partnerId: row.partnerId,
    channels: JSON.parse(row.channels) as string[],
    streamFormat: row.streamFormat === "message" ? "message" : "named",
  };
  return { principal, expiresAt: row.expiresAt };
}

export async function createUser({
  db,
  partnerId,
  role,
  username: givenUsername,
  password,
}: {
  db: Db;
  partnerId: string | null;
  role: UserRole;
  username: string;
  password: string;
}) {
  const username = normaliseUsername(givenUsername);
  if (!USER_ROLES.includes(role)) throw new ValidationError("role", `must be one of ${USER_ROLES.join(", ")}`);
  if (role !== "admin" && !partnerId) throw new ValidationError("partner", `a ${role} belongs to one partner`);
  if (!/^[a-z0-9_.-]{2,64}$/i.test(username)) throw new ValidationError("username", "2–64 letters, digits, '.', '_' or '-'");
  const problem = passwordProblem(password);
  if (problem) throw new ValidationError("password", problem);
  const existing = await db
    .selectFrom("users")
    .select("id")
    .where(sql<string>`lower(${sql.ref("username")})`, "=", username)
    .executeTakeFirst();
  if (existing) throw new ValidationError("username", "already taken");
  const user = { id: newId(), partnerId: role === "admin" ? null : partnerId, role, username, createdAt: nowIso() };
  await db
    .insertInto("users")
    .values({ ...user, passwordHash: await hashPassword(password), disabledAt: null })
    .execute();
  return user;
}

export async function createDeviceToken({
  db,
  partnerId,
  role,
  channels,
  name,
  expiresAt = null,
  streamFormat = "named",
}: {
  db: Db;
  partnerId: string;
  role: TokenRole;
  channels?: readonly string[];
  name?: string;
  expiresAt?: string | null;
  streamFormat?: StreamFormat;
}) {
  if (!STREAM_FORMATS.includes(streamFormat)) throw new ValidationError("streamFormat", `must be one of ${STREAM_FORMATS.join(", ")}`);
  // A courier's token is made only by lib/orders/couriers.ts (one per courier row), never as a plain device.
  if (!TOKEN_ROLES.includes(role) && role !== "courier") throw new ValidationError("role", `must be one of ${TOKEN_ROLES.join(", ")}`);
  const list = channels && channels.length > 0 ? [...new Set(channels)] : [...DEFAULT_TOKEN_CHANNELS[role]];
  const unknown = list.find((c) => !(CHANNELS as readonly string[]).includes(c));
  if (unknown) throw new ValidationError("channels", `unknown channel '${unknown}' (one of ${CHANNELS.join(", ")})`);
  const token = newSecret(TOKEN_PREFIX);
  const row = {
    id: newId(),
    partnerId,
    role,
    name: name === undefined ? `${role} token` : parseField(tokenName, "name", name),
    channels: JSON.stringify(list),
    tokenHash: hashSecret(token),
    createdAt: nowIso(),
    expiresAt,
    revokedAt: null,
    lastUsedAt: null,
    streamFormat,
  };
  await db.insertInto("deviceTokens").values(row).execute();
  return { id: row.id, name: row.name, role, channels: list, streamFormat, token };
}
