import "server-only";
import fs from "node:fs";
import path from "node:path";
import SqliteDatabase from "better-sqlite3";
import pg from "pg";
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, SqliteDriver, sql, type DatabaseConnection, type Driver } from "kysely";
import { Migrator } from "kysely/migration";
import { processSlot } from "../process";
import type { Database, Dialect } from "./schema";
export type { Dialect } from "./schema";
import { migrationProvider } from "./migrations";
import { log as logger } from "../log";

export type Db = Kysely<Database>;

export type DbHandle = {
  db: Db;
  dialect: Dialect;
  /** Where the data lives, for logs and health (a path, or the PostgreSQL URL without its password). */
  location: string;
  destroy(): Promise<void>;
};

/**
 * SQLite's plain BEGIN takes its write lock only at the first write, and a reader that later
 * writes can then fail with SQLITE_BUSY without waiting. BEGIN IMMEDIATE takes the lock up
 * front, so the CLI and the server (two processes on one file) simply wait for each other.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: ConstructorParameters<typeof SqliteDialect>[0];
  constructor(config: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

export function openDatabase({ databaseUrl, dataDir }: { databaseUrl: string | null; dataDir: string }): DbHandle {
  if (databaseUrl) {
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
    // An idle client losing its server must not crash the process; the pool replaces it.
    pool.on("error", (err) => logger().error(`pass: postgres pool error: ${err.message}`));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: "postgres", location: redactUrl(databaseUrl), destroy: () => db.destroy() };
  }
  // DATA_DIR is the owner's only (0700) and so are its files (0600): the database holds password
  // hashes and session hashes. SQLite gives -wal and -shm the main file's mode.
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, "pass.sqlite");
  fs.closeSync(fs.openSync(file, "a", 0o600));
  fs.chmodSync(file, 0o600);
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma("journal_mode = WAL");
  // FULL: a power cut in the middle of service loses no committed order.
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, dialect: "sqlite", location: file, destroy: () => db.destroy() };
}

/**
 * Kysely's SQLite driver prepares (parses and plans) every query it runs, and preparing was the
 * largest cost of the write path in the server's own CPU (issue 18 item 2). A better-sqlite3
 * statement is reusable and re-prepares itself after a schema change, so the newest 500 are kept
 * by their SQL text. A statement still iterating (a streamed select) is never handed out twice.
 */
export function withStatementCache(sqlite: SqliteDatabase.Database, max = 500) {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    prepare(sql: string): SqliteDatabase.Statement {
      const known = cache.get(sql);
      if (known && !known.busy) {
        // Most recently used last: the oldest is the first key.
        cache.delete(sql);
        cache.set(sql, known);
        return known;
      }
      const stmt = sqlite.prepare(sql);
      if (known) return stmt;
      cache.set(sql, stmt);
      if (cache.size > max) cache.delete(cache.keys().next().value!);
      return stmt;
    },
    close(): void {
      cache.clear();
      sqlite.close();
    },
  };
}

export async function migrateToLatest({ db, dialect, schema }: { db: Db; dialect: Dialect; schema?: string }): Promise<string[]> {
  // With a schema of its own (tests run one per file; a DATABASE_URL with a search_path),
  // Kysely must look for its tables there: its existence check otherwise sees another schema's
  // migration tables and skips creating its own.
  if (!schema && dialect === "postgres") {
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
    if (rows[0]?.schema && rows[0].schema !== "public") schema = rows[0].schema;
  }
  const migrator = new Migrator({ db, provider: migrationProvider(dialect), ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "postgres";
  }
}

/**
 * The process-wide database, opened once at start (lib/process-runtime.ts, the CLI, test setup)
 * and kept in the process slot (lib/process.ts): one pool / one SQLite connection per process,
 * shared by server.ts and every route bundle.
 */
export function setDbHandle(handle: DbHandle | undefined): void {
  processSlot().db = handle;
}

export function getDbHandle(): DbHandle {
  const handle = processSlot().db as DbHandle | undefined;
  if (!handle) throw new Error("database not opened: server.ts (or the test setup) opens it at start");
  return handle;
}

export function getDb(): Db {
  return getDbHandle().db;
}
