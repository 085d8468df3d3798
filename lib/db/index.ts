import "server-only";
export { openDatabase, migrateToLatest, getDb, getDbHandle, setDbHandle } from "./connection";
export type { Db, DbHandle, Dialect } from "./connection";
export type * from "./schema";
export { newId, nowIso } from "./ids";
export { snapshotTransaction } from "./transactions";
export { isPostgres } from "./dialect";
