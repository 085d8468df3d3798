import "server-only";
import type { Transaction } from "kysely";
import type { Database, Db } from "../db";
import { type AppendedEvent, appendEvent, type EventType, sequenceEvents } from "./log";
import { announceCommitted } from "./notify";
import { writeOutbox } from "./outbox";

export type Trx = Transaction<Database>;
export type Emit = (e: { partnerId: string; type: EventType; orderId: number | null; version: number; payload: unknown }) => Promise<void>;

/**
 * Runs `work` in a transaction, then announces the events it appended once they are committed.
 * Every state change goes through here: the change and its events commit together or not at all
 * (docs/architecture.md, "Never lose an order").
 *
 * On PostgreSQL the events get their positions right after the commit (lib/events/log.ts
 * `sequenceEvents`). If that step fails the mutation still stands (it committed): the events
 * wait unstamped until the next writer's step or the hub's gap check stamps and delivers them.
 */
export async function mutate<T>(db: Db, work: (trx: Trx, emit: Emit) => Promise<T>): Promise<T> {
  const events: AppendedEvent[] = [];
  const result = await db.transaction().execute(async (trx) => {
    const out = await work(trx, async (e) => {
      events.push(await appendEvent({ trx, ...e }));
    });
    // Notifications of these events commit with them (lib/events/outbox.ts).
    if (events.length > 0) await writeOutbox(trx, events);
    return out;
  });
  if (events.length > 0) {
    try {
      announceCommitted(await sequenceEvents({ db, events }), db);
    } catch (err) {
      console.error(`pass: sequencing committed events failed, the hub's gap check will deliver them: ${(err as Error).message}`);
    }
  }
  return result;
}
