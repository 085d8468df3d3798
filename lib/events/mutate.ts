import "server-only";
import type { Transaction } from "kysely";
import type { Database, Db } from "../db";
import { type Actor, historyEntry, UNNAMED_ACTOR } from "./history";
import { type AppendedEvent, appendEvent, type EventType, sequenceEvents } from "./log";
import { log as passLog } from "../log";
import { announceCommitted } from "./notify";
import { isWebhookEvent, writeOutbox } from "./outbox";

export type Trx = Transaction<Database>;
type Work<T> = (trx: Trx, emit: Emit) => Promise<T>;
export type Emit = (e: { partnerId: string; type: EventType; orderId: number | null; version: number; payload: unknown }) => Promise<void>;

/**
 * Runs `work` in a transaction, then announces the events it appended once they are committed.
 * Every state change goes through here: the change and its events commit together or not at all
 * (docs/architecture.md, "Never lose an order").
 *
 * `actor` is who asked (lib/auth actorOf for a request's principal, systemActor for a job): every
 * event about an order is also written to the order's history with it (lib/events/history.ts),
 * here and nowhere else, so the audit trail cannot miss a change that reached the log.
 *
 * On PostgreSQL the events get their positions right after the commit (lib/events/log.ts
 * `sequenceEvents`). If that step fails the mutation still stands (it committed): the events
 * wait unstamped until the next writer's step or the hub's gap check stamps and delivers them.
 */
export async function mutate<T>(db: Db, actor: Actor, work: Work<T>): Promise<T>;
export async function mutate<T>(db: Db, work: Work<T>): Promise<T>;
export async function mutate<T>(db: Db, actorOrWork: Actor | Work<T>, maybeWork?: Work<T>): Promise<T> {
  const [actor, work] = typeof actorOrWork === "function" ? [UNNAMED_ACTOR, actorOrWork] : [actorOrWork, maybeWork!];
  const events: AppendedEvent[] = [];
  const result = await db.transaction().execute(async (trx) => {
    const out = await work(trx, async (e) => {
      const event = await appendEvent({
        trx,
        ...e,
        history: e.orderId === null ? null : historyEntry(e.payload, actor),
        withWebhooks: isWebhookEvent(e.type),
      });
      events.push(event);
    });
    // Notifications of these events commit with them (lib/events/outbox.ts).
    if (events.length > 0) await writeOutbox(trx, events);
    return out;
  });
  if (events.length > 0) {
    try {
      announceCommitted(await sequenceEvents({ db, events }), db);
    } catch (err) {
      passLog().error(`pass: sequencing committed events failed, the hub's gap check will deliver them: ${(err as Error).message}`);
    }
  }
  return result;
}
