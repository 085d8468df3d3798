import "server-only";
import { EVENT_PAYLOAD_VERSION } from "./events";
import { type ExpressionBuilder, sql } from "kysely";
import type { Db } from "../db";
import type { Database } from "../db/schema";
import { nowIso } from "../db/ids";
import { actorOf, canReadChannel, partnerScope, type Principal } from "../auth/access";
import { NotFoundError, ValidationError } from "../errors";
import { logPosition } from "../events";
import { type Actor, mutate, systemActor } from "../events";
import { loadOrder } from "./service";
import { CART_STATUSES } from "./status";
import {
  businessDayStart,
  type DeviceKind,
  deviceKeyOf,
  disconnectId,
  gapEndedBy,
  groupDevices,
  kindOfKey,
  PRESENCE,
  type Reason,
} from "./presence";

/**
 * Every screen reports in: what it is, how far it has read the log, whether its sound is
 * unlocked and the display kept awake. Kitchen screens also acknowledge the tickets they show;
 * a ticket no kitchen screen showed in time raises `order.unacknowledged` (cashier alarm and a
 * fallback print), exactly once across all nodes.
 */
export type Heartbeat = {
  screenId: string;
  /** The browser's id (localStorage), shared by its tabs: a device with two tabs is listed once. */
  deviceId?: string;
  screen: string;
  lastEventId: number | null;
  soundUnlocked: boolean;
  awake: boolean;
  /** The page is visible (a hidden one's heartbeats are throttled by the browser); default true. */
  visible?: boolean;
  /** The tab is closing (its pagehide): it leaves the health panel now, not when its heartbeats are missed. */
  closing?: boolean;
  /** This page load's id: a heartbeat it still had in flight when it closed does not reopen the tab. */
  pageId?: string;
  shownOrderIds?: number[];
};

export async function recordHeartbeat({
  db,
  principal,
  beat,
  now = new Date(),
}: {
  db: Db;
  principal: Principal;
  beat: Heartbeat;
  now?: Date;
}): Promise<{ acknowledged: number[] }> {
  const partnerId = partnerScope(principal);
  const name = beat.screen.trim();
  if (!name) throw new ValidationError("screen", "must not be blank");
  const at = now.toISOString();
  const ownedBy = (eb: ExpressionBuilder<Database, "screens">) =>
    partnerId === null ? eb("screens.partnerId", "is", null) : eb("screens.partnerId", "=", partnerId);
  if (beat.closing) {
    // Only the tab's own partner closes it; a tab never seen is nothing to close.
    await db
      .updateTable("screens")
      .set({ closedAt: at, lastSeenAt: at, closedPage: beat.pageId ?? null })
      .where("id", "=", beat.screenId)
      .where(ownedBy)
      .execute();
    await pruneScreens({ db, now });
    return { acknowledged: [] };
  }
  const deviceKey = deviceKeyOf(principal, { deviceId: beat.deviceId, screenId: beat.screenId, screen: name });
  // Back after a gap: the device's tabs were all gone (closed, or silent too long). Stored once,
  // however many tabs or nodes notice (the id is the device and when it went).
  const before = await db.selectFrom("screens").selectAll().where("deviceKey", "=", deviceKey).where(ownedBy).execute();
  const gap = gapEndedBy(before, now.getTime());
  if (gap) {
    await db
      .insertInto("screenDisconnects")
      .values({
        id: disconnectId(deviceKey, gap.wentAt),
        partnerId,
        deviceKey,
        tokenId: principal.kind === "token" ? principal.tokenId : null,
        who: gap.last.who,
        screen: gap.last.name,
        wentAt: gap.wentAt,
        backAt: at,
        reason: gap.reason,
      })
      .onConflict((oc) => oc.column("id").doNothing())
      .execute();
    await pruneScreens({ db, now });
  }
  const row = {
    partnerId,
    name,
    who: principal.kind === "user" ? principal.username : principal.name,
    lastSeenAt: at,
    lastEventId: beat.lastEventId,
    soundUnlocked: beat.soundUnlocked ? 1 : 0,
    awake: beat.awake ? 1 : 0,
    deviceKey,
    tokenId: principal.kind === "token" ? principal.tokenId : null,
    visible: beat.visible === false ? 0 : 1,
  };
  // Reopened by any page load but the one that closed it (a reload reopens; the closing page's
  // own late heartbeat does not).
  const reopen = {
    closedAt:
      beat.pageId === undefined
        ? null
        : sql<string | null>`case when ${sql.ref("screens.closedPage")} = ${beat.pageId} then ${sql.ref("screens.closedAt")} else null end`,
  };
  // A screen id belongs to the partner that first reported it: another partner's heartbeat does
  // not move it (and learns nothing: the same 404 as for any other partner's data).
  const result = await db
    .insertInto("screens")
    .values({ id: beat.screenId, ...row, closedAt: null, closedPage: null })
    .onConflict((oc) =>
      oc
        .column("id")
        .doUpdateSet({ ...row, ...reopen })
        .where(ownedBy),
    )
    .executeTakeFirst();
  if (Number(result.numInsertedOrUpdatedRows ?? 0) === 0) throw new NotFoundError("screen", { field: "screenId" });
  const acknowledged: number[] = [];
  // Only a principal that reads the kitchen channel acknowledges tickets: a printer, display or
  // integration token calling itself "kitchen" does not.
  if (name.startsWith("kitchen") && mayAcknowledge(principal)) {
    for (const id of beat.shownOrderIds ?? [])
      if (await acknowledge({ db, partnerId, id, actor: actorOf(principal) })) acknowledged.push(id);
  }
  return { acknowledged };
}

/** Tabs and disconnects older than a few days: the panel shows today's. */
async function pruneScreens({ db, now }: { db: Db; now: Date }) {
  const before = new Date(now.getTime() - PRESENCE.keepMs).toISOString();
  await db.deleteFrom("screens").where("lastSeenAt", "<", before).execute();
  await db.deleteFrom("screenDisconnects").where("wentAt", "<", before).execute();
}

/** Kitchen and operator tokens and users who read the kitchen channel; never a printer, display or integration token. */
function mayAcknowledge(principal: Principal): boolean {
  if (principal.kind === "token" && principal.role !== "kitchen" && principal.role !== "operator") return false;
  return canReadChannel(principal, "kitchen");
}

/**
 * A ticket whose fired station slips all came out of network printers that confirmed them
 * (lib/printing, issue "Network printers" item 5) counts as seen, as if a kitchen screen showed
 * it: the unseen-ticket alarm does not go off. Allergy tickets still need the tap.
 */
export async function acknowledgePrinted({ db, partnerId, id }: { db: Db; partnerId: string; id: number }): Promise<boolean> {
  return acknowledge({ db, partnerId, id, actor: systemActor("network-printer") });
}

/** The first kitchen screen to show a ticket stamps it; later ones change nothing. */
async function acknowledge({ db, partnerId, id, actor }: { db: Db; partnerId: string | null; id: number; actor: Actor }): Promise<boolean> {
  return mutate(db, actor, async (trx, emit) => {
    // An allergy ticket is seen only by the tap (acknowledgeAllergy), never by being on a screen.
    let q = trx
      .updateTable("orders")
      .set({ kitchenAckAt: nowIso() })
      .where("id", "=", id)
      .where("kitchenAckAt", "is", null)
      .where("allergyAlert", "=", 0)
      // A screen naming a cart's id acknowledges nothing: carts are not tickets.
      .where("status", "not in", CART_STATUSES);
    if (partnerId) q = q.where("partnerId", "=", partnerId);
    const result = await q.executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return false;
    const order = (await loadOrder(trx, id))!;
    await emit({ version: EVENT_PAYLOAD_VERSION, partnerId: order.partnerId, type: "order.acknowledged", orderId: id, payload: { order } });
    return true;
  });
}

/**
 * Confirmed tickets no kitchen screen showed in time: flag each once and tell everyone. In time =
 * the partner's own `kitchenAckSeconds` (the back office) when set, else `afterMs`
 * (KITCHEN_ACK_SECONDS).
 */
export async function flagUnacknowledged({ db, afterMs, now = new Date() }: { db: Db; afterMs: number; now?: Date }): Promise<number[]> {
  const cutoffAt = (ms: number) => new Date(now.getTime() - ms).toISOString();
  const overrides = await db
    .selectFrom("partners")
    .select(["id", "kitchenAckSeconds"])
    .where("kitchenAckSeconds", "is not", null)
    .execute();
  const overridden = overrides.map((p) => p.id);
  const candidates = await db
    .selectFrom("orders")
    .select("id")
    .where("status", "in", ["CONFIRMED", "PREPARING"])
    .where("kitchenAckAt", "is", null)
    .where("kitchenAlertAt", "is", null)
    .where((eb) =>
      eb.or([
        overridden.length > 0
          ? eb.and([eb("partnerId", "not in", overridden), eb("confirmedAt", "<", cutoffAt(afterMs))])
          : eb("confirmedAt", "<", cutoffAt(afterMs)),
        ...overrides.map((p) => eb.and([eb("partnerId", "=", p.id), eb("confirmedAt", "<", cutoffAt(Number(p.kitchenAckSeconds) * 1000))])),
      ]),
    )
    .limit(100)
    .execute();
  const flagged: number[] = [];
  for (const { id } of candidates) {
    const won = await mutate(db, systemActor("kitchen-ack-alarm"), async (trx, emit) => {
      const result = await trx
        .updateTable("orders")
        .set({ kitchenAlertAt: now.toISOString() })
        .where("id", "=", Number(id))
        .where("kitchenAlertAt", "is", null)
        .where("kitchenAckAt", "is", null)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return false; // another node got there first
      const order = (await loadOrder(trx, Number(id)))!;
      await emit({
        version: EVENT_PAYLOAD_VERSION,
        partnerId: order.partnerId,
        type: "order.unacknowledged",
        orderId: order.id,
        payload: { order },
      });
      return true;
    });
    if (won) flagged.push(Number(id));
  }
  return flagged;
}

export type ScreenDisconnect = {
  key: string;
  kind: DeviceKind;
  name: string | null;
  who: string;
  screen: string;
  wentAt: string;
  /** null: still gone. */
  backAt: string | null;
  reason: Reason;
};

/**
 * The health panel (GET /api/screens): the devices on line now, each once, and the day's
 * disconnects — those that came back and those still gone — since the business day began.
 */
export async function listScreens({ db, principal, now = new Date() }: { db: Db; principal: Principal; now?: Date }) {
  const scope = partnerScope(principal);
  const nowMs = now.getTime();
  const partners = await (scope ? db.selectFrom("partners").where("id", "=", scope) : db.selectFrom("partners"))
    .select(["id", "timezone", "cutoverHour"])
    .execute();
  const startOf = new Map(
    partners.map((p) => [p.id, businessDayStart({ nowMs, timezone: p.timezone, cutoverHour: Number(p.cutoverHour) }).toISOString()]),
  );
  // An admin's rows of no partner: the last 24 hours.
  const fallback = new Date(nowMs - 86_400_000).toISOString();
  const dayOf = (partnerId: string | null) => (partnerId && startOf.get(partnerId)) || fallback;
  const earliest = [fallback, ...startOf.values()].sort()[0]!;
  // Tabs on line may have reported just before a cut-over.
  const oldestTab = new Date(Math.min(Date.parse(earliest), nowMs - PRESENCE.hiddenTtlMs)).toISOString();
  let tabs = db.selectFrom("screens").selectAll().where("lastSeenAt", ">=", oldestTab);
  let gaps = db.selectFrom("screenDisconnects").selectAll().where("wentAt", ">=", earliest).orderBy("wentAt", "desc").limit(500);
  if (scope) {
    tabs = tabs.where("partnerId", "=", scope);
    gaps = gaps.where("partnerId", "=", scope);
  }
  const [tabRows, gapRows, position] = await Promise.all([tabs.execute(), gaps.execute(), logPosition({ db })]);
  const tokenIds = [
    ...new Set([...tabRows.map((t) => t.tokenId), ...gapRows.map((g) => g.tokenId)].filter((id): id is string => id !== null)),
  ];
  const tokenNames = new Map(
    tokenIds.length === 0
      ? []
      : (await db.selectFrom("deviceTokens").select(["id", "name"]).where("id", "in", tokenIds).execute()).map(
          (r) => [r.id, r.name] as const,
        ),
  );
  const { online, offline } = groupDevices(tabRows, { nowMs, logPosition: position.lastEventId, tokenNames });
  const tabPartner = new Map(tabRows.map((t) => [t.deviceKey ?? `tab:${t.id}`, t.partnerId]));
  const disconnects: ScreenDisconnect[] = [
    ...offline.filter((d) => d.wentAt >= dayOf(tabPartner.get(d.key) ?? null)).map((d) => ({ ...d, backAt: null })),
    ...gapRows
      .filter((g) => g.wentAt >= dayOf(g.partnerId))
      .map((g) => ({
        key: g.deviceKey,
        kind: kindOfKey(g.deviceKey),
        name: g.tokenId ? (tokenNames.get(g.tokenId) ?? g.who) : null,
        who: g.who,
        screen: g.screen,
        wentAt: g.wentAt,
        backAt: g.backAt,
        reason: g.reason as Reason,
      })),
  ].sort((a, b) => b.wentAt.localeCompare(a.wentAt));
  return { devices: online, disconnects, since: scope ? dayOf(scope) : earliest };
}
