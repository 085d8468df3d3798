import "server-only";
import { PostgresAdapter, type Transaction } from "kysely";
import type { Db } from "./connection";
import type { Database } from "./schema";

/**
 * A read-only view of one instant, for a list together with its log position. PostgreSQL's
 * default READ COMMITTED gives each statement its own snapshot, so the list and the position
 * could disagree; REPEATABLE READ pins one. SQLite's transaction is already one snapshot.
 * Dialect quirks live here, not in domain code.
 */
export function snapshotTransaction<T>(db: Db, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  const tx = db.getExecutor().adapter instanceof PostgresAdapter ? db.transaction().setIsolationLevel("repeatable read") : db.transaction();
  return tx.execute(work);
}
