import "server-only";
import crypto from "node:crypto";
import type { Db } from "../db";
import { newId, nowIso } from "../db/ids";
import { NotFoundError, ValidationError } from "../errors";
import { hasControlCharacters, parseField, tokenName } from "../fields";
import { assertCan, partnerScope, type Principal, type TokenRole } from "./access";
import { hashSecret, newSecret } from "./secrets";
import { createDeviceToken } from "./service";

/**
 * Pairing a screen by code (issue "Cashier and back office" item 2; docs/architecture.md
 * "Pairing a screen"): a wall TV opens /pair, which starts a pairing and shows a short code and a
 * QR linking /settings/devices?pair=CODE. An operator claims the code on the back office and
 * chooses what the screen is (role, station, name); the screen's next poll receives a device
 * token in an httpOnly cookie (lib/auth/cookies.ts DEVICE_COOKIE) and goes to its screen. No
 * password is typed on the TV.
 *
 * - The code is 8 characters of a 31-letter alphabet without look-alikes (~40 bits), stored only
 *   as a keyed hash; claims are rate-limited per person (lib/limits.ts `pairing:claim`), so
 *   guessing a live code in its 10 minutes is hopeless.
 * - Only the browser that started the pairing can receive the token: it holds a 256-bit secret
 *   in an httpOnly cookie, also stored only as a keyed hash. The token is made when that browser
 *   polls after the claim, so no token secret is ever stored.
 * - A code is single-use (claimed once, delivered once), expires, and is bound to the partner of
 *   the operator who claims it — or, when the screen was opened as /pair?partner=slug, to that
 *   partner from the start (another partner's operator is told it does not exist).
 */
export const PAIRING_TTL_MS = 10 * 60_000;
export const PAIRING_ROLES = ["kitchen", "display", "printer", "operator"] as const satisfies readonly TokenRole[];
export type PairingRole = (typeof PAIRING_ROLES)[number];
const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ2345679";
const CODE_LENGTH = 8;

/** A code as people type it: case, spaces and dashes do not matter ("abcd-efgh" = "ABCDEFGH"). */
export function normaliseCode(code: string): string {
  return code.replace(/[\s-]/g, "").toUpperCase();
}

/** Shown as two groups of four, easier to read across a kitchen. */
export const formatCode = (code: string) => `${code.slice(0, 4)}-${code.slice(4)}`;

function newCode(): string {
  let code = "";
  for (let i = 0; i < CODE_LENGTH; i++) code += ALPHABET[crypto.randomInt(ALPHABET.length)];
  return code;
}

const codeHash = (code: string) => hashSecret(`pairing-code:${normaliseCode(code)}`);

/** Where a paired screen goes: its role's screen, the kitchen at its station. */
export function screenPath(role: string, station: string | null): string {
  if (role === "kitchen") return station ? `/kitchen?station=${encodeURIComponent(station)}` : "/kitchen";
  if (role === "display") return "/board";
  if (role === "printer") return "/printer";
  return "/cashier";
}

/** A new pairing for the screen asking (anonymous; rate-limited per address by the route). */
export async function startPairing({ db, partner, now = new Date() }: { db: Db; partner?: string | null; now?: Date }) {
  let partnerId: string | null = null;
  if (partner) {
    const row = await db.selectFrom("partners").select("id").where("slug", "=", partner).executeTakeFirst();
    if (!row) throw new NotFoundError("partner", { field: "partner" });
    partnerId = row.id;
  }
  // Old pairings are of no use after a day; the table stays small.
  await db
    .deleteFrom("pairings")
    .where("expiresAt", "<", new Date(now.getTime() - 86_400_000).toISOString())
    .execute();
  const secret = newSecret("pair_");
  const expiresAt = new Date(now.getTime() + PAIRING_TTL_MS).toISOString();
  for (let attempt = 0; ; attempt++) {
    const code = newCode();
    const hash = codeHash(code);
    const taken = await db.selectFrom("pairings").select("id").where("codeHash", "=", hash).executeTakeFirst();
    if (taken && attempt < 5) continue;
    await db
      .insertInto("pairings")
      .values({
        id: newId(),
        codeHash: hash,
        secretHash: hashSecret(secret),
        partnerId,
        createdAt: now.toISOString(),
        expiresAt,
        claimedAt: null,
        claimedBy: null,
        role: null,
        station: null,
        name: null,
        tokenId: null,
        deliveredAt: null,
      })
      .execute();
    return { code, secret, expiresAt };
  }
}

export type PairingState =
  | { status: "waiting"; expiresAt: string }
  | { status: "expired" }
  | { status: "paired"; token: string; path: string; name: string }
  /** Delivered already (the cookie was set on that answer): start again to pair anew. */
  | { status: "used" };

/**
 * The screen's poll, with its secret: still waiting, expired, or — once claimed — its device
 * token, made now and handed over exactly once (two polls racing: one gets it).
 */
export async function pollPairing({ db, secret, now = new Date() }: { db: Db; secret: string; now?: Date }): Promise<PairingState> {
  const row = await db.selectFrom("pairings").selectAll().where("secretHash", "=", hashSecret(secret)).executeTakeFirst();
  if (!row) throw new NotFoundError("pairing", { field: "pairing" });
  if (row.deliveredAt) return { status: "used" };
  if (!row.claimedAt) return row.expiresAt <= now.toISOString() ? { status: "expired" } : { status: "waiting", expiresAt: row.expiresAt };
  return db.transaction().execute(async (trx) => {
    const won = await trx
      .updateTable("pairings")
      .set({ deliveredAt: now.toISOString() })
      .where("id", "=", row.id)
      .where("deliveredAt", "is", null)
      .executeTakeFirst();
    if (Number(won.numUpdatedRows) !== 1) return { status: "used" } as const;
    const token = await createDeviceToken({ db: trx, partnerId: row.partnerId!, role: row.role as TokenRole, name: row.name! });
    await trx.updateTable("pairings").set({ tokenId: token.id }).where("id", "=", row.id).execute();
    return { status: "paired", token: token.token, path: screenPath(row.role!, row.station), name: token.name } as const;
  });
}

/**
 * An operator claims a code for their partner (an admin: the partner chosen), naming what the
 * screen is. Unknown codes and codes bound to another partner are 404 `code`; expired and used
 * codes 400 `code`; a station must be one of the partner's.
 */
export async function claimPairing({
  db,
  principal,
  partner,
  input,
  now = new Date(),
}: {
  db: Db;
  principal: Principal;
  partner: string;
  input: { code: string; role: string; station?: string | null; name: string };
  now?: Date;
}) {
  assertCan(principal, "devices:manage");
  const p = await db.selectFrom("partners").select(["id", "slug"]).where("slug", "=", partner).executeTakeFirst();
  const scope = partnerScope(principal);
  if (!p || (scope !== null && scope !== p.id)) throw new NotFoundError("partner", { field: "partner" });
  const code = normaliseCode(input.code);
  if (code.length !== CODE_LENGTH || [...code].some((c) => !ALPHABET.includes(c)))
    throw new ValidationError("code", `must be the ${CODE_LENGTH}-character code the screen shows`);
  if (!(PAIRING_ROLES as readonly string[]).includes(input.role))
    throw new ValidationError("role", `must be one of ${PAIRING_ROLES.join(", ")}`);
  const name = parseField(tokenName, "name", input.name);
  let station: string | null = null;
  if (input.station) {
    if (hasControlCharacters(input.station) || input.station.length > 32) throw new ValidationError("station", "unknown station");
    const st = await db
      .selectFrom("stations")
      .select("key")
      .where("partnerId", "=", p.id)
      .where("key", "=", input.station)
      .executeTakeFirst();
    if (!st) throw new ValidationError("station", `no station '${input.station}' at this restaurant`);
    station = st.key;
  }
  if (station && input.role !== "kitchen") throw new ValidationError("station", "only a kitchen screen has a station");

  const row = await db.selectFrom("pairings").selectAll().where("codeHash", "=", codeHash(code)).executeTakeFirst();
  if (!row || (row.partnerId !== null && row.partnerId !== p.id)) throw new NotFoundError("pairing code", { field: "code" });
  if (row.claimedAt) throw new ValidationError("code", "this code was used already; open /pair on the screen again");
  if (row.expiresAt <= now.toISOString()) throw new ValidationError("code", "this code has expired; open /pair on the screen again");
  const who = principal.kind === "user" ? principal.username : principal.name;
  const claimed = await db
    .updateTable("pairings")
    .set({ claimedAt: now.toISOString(), claimedBy: who, partnerId: p.id, role: input.role, station, name })
    .where("id", "=", row.id)
    .where("claimedAt", "is", null)
    .where("expiresAt", ">", now.toISOString())
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1) throw new ValidationError("code", "this code was used already; open /pair on the screen again");
  return { role: input.role, station, name, path: screenPath(input.role, station), claimedAt: nowIso() };
}
