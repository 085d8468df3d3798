import "server-only";
import { EVENT_PAYLOAD_VERSION } from "./events";
import type { Db } from "../db";
import { nowIso } from "../db/ids";
import { actorOf, canReadChannel, partnerScope, type Principal } from "../auth/access";
import { NotFoundError, ValidationError } from "../errors";
import { logPosition } from "../events";
import { type Actor, mutate, systemActor } from "../events";
import { loadOrder } from "./service";
import { CART_STATUSES } from "./status";

/**
 * Every screen reports in: what it is, how far it has read the log, whether its sound is
 * unlocked and the display kept awake. Kitchen screens also acknowledge the tickets they show;
 * a ticket no kitchen screen showed in time raises `order.unacknowledged` (cashier alarm and a
 * fallback print), exactly once across all nodes.
 */
export type Heartbeat = {
  screenId: string;
  screen: string;
  lastEventId: number | null;
  soundUnlocked: boolean;
  awake: boolean;
  shownOrderIds?: number[];
};

export async function recordHeartbeat({
  db,
  principal,
  beat,
}: {
  db: Db;
  principal: Principal;
  beat: Heartbeat;
}): Promise<{ acknowledged: number[] }> {
  const partnerId = partnerScope(principal);
  const name = beat.screen.trim();
  if (!name) throw new ValidationError("screen", "must not be blank");
  const row = {
    partnerId,
    name,
    who: principal.kind === "user" ? principal.username : principal.name,
    lastSeenAt: nowIso(),
    lastEventId: beat.lastEventId,
    soundUnlocked: beat.soundUnlocked ? 1 : 0,
    awake: beat.awake ? 1 : 0,
  };
  // A screen id belongs to the partner that first reported it: another partner's heartbeat does
  // not move it (and learns nothing: the same 404 as for any other partner's data).
  const result = await db
    .insertInto("screens")
    .values({ id: beat.screenId, ...row })
    .onConflict((oc) =>
      oc
        .column("id")
        .doUpdateSet(row)
        .where((eb) => (partnerId === null ? eb("screens.partnerId", "is", null) : eb("screens.partnerId", "=", partnerId))),
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

/** Screens seen in the last `withinMs`, with how far behind the log each one is. */
export async function listScreens({ db, principal, withinMs = 10 * 60_000 }: { db: Db; principal: Principal; withinMs?: number }) {
  const scope = partnerScope(principal);
  let q = db
    .selectFrom("screens")
    .selectAll()
    .where("lastSeenAt", ">=", new Date(Date.now() - withinMs).toISOString())
    .orderBy("name");
  if (scope) q = q.where("partnerId", "=", scope);
  const [rows, position] = await Promise.all([q.execute(), logPosition({ db })]);
  return rows.map((r) => ({
    id: r.id,
    screen: r.name,
    who: r.who,
    lastSeenAt: r.lastSeenAt,
    behind: r.lastEventId === null ? null : Math.max(0, position.lastEventId - Number(r.lastEventId)),
    soundUnlocked: Boolean(r.soundUnlocked),
    awake: Boolean(r.awake),
  }));
}
