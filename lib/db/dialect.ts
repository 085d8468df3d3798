import { PostgresAdapter } from "kysely";
import type { Db } from "./connection";

/** Whether `db` (or a transaction of it) talks to PostgreSQL: where a round trip costs a syscall pair, not a function call. */
export const isPostgres = (db: Db): boolean => db.getExecutor().adapter instanceof PostgresAdapter;
