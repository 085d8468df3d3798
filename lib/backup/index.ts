import "server-only";
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import SqliteDatabase from "better-sqlite3";
import pg from "pg";
import { migrationProvider } from "../db/migrations";
import { AppError } from "../errors";
import { newEpoch } from "../events";
import { jobsSchemaFor } from "../events/jobs";

/**
 * Backups and restores (docs/operations.md#backups), for `npm run pass -- backup FILE` and
 * `restore FILE`.
 *
 * - SQLite: an online copy through SQLite's backup API (better-sqlite3 `.backup()`), in one
 *   step, so it is one consistent snapshot taken while the server keeps serving (WAL: writers
 *   are not blocked). Every order committed before the backup began is in it.
 * - PostgreSQL: `pg_dump --format=custom` of Pass's schema and its job queue; `pg_restore` back.
 *
 * A restore refuses while a Pass server runs on the data (the marks in DATA_DIR/servers, and on
 * PostgreSQL a job node that beat recently), refuses a file that is not a Pass backup, and gives
 * the restored log a new epoch: ids of the restored log may repeat ids screens saw from the
 * newer one, so a screen naming the old epoch gets `replay-failed` / `EPOCH_CHANGED` and
 * reloads its snapshot instead of trusting its position.
 */

export class BackupRefused extends AppError {
  constructor(message: string) {
    super(409, "BACKUP_REFUSED", message);
  }
}

export type BackupTarget = { dataDir: string; databaseUrl: string | null };

export type BackupResult = { file: string; dialect: "sqlite" | "postgres"; bytes: number; lastEventId: number; epoch: string };

const SQLITE_FILE = "pass.sqlite";
const SQLITE_MAGIC = "SQLite format 3\u0000";
const PG_MAGIC = "PGDMP";
/** A job node that beat this recently is a live server on the PostgreSQL database (lib/jobs/graphile.ts beats every 5 s). */
const LIVE_NODE_SECONDS = 30;

// ---------------------------------------------------------------- running-server marks

const marksDir = (dataDir: string) => path.join(dataDir, "servers");

/**
 * Marks DATA_DIR as served by this process: a file DATA_DIR/servers/<pid>, removed at exit. A
 * mark whose process is gone (SIGKILL, power cut) is stale and ignored. Returns the release.
 */
export function markServerRunning(dataDir: string, pid = process.pid): () => void {
  const dir = marksDir(dataDir);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, String(pid));
  fs.writeFileSync(file, `${JSON.stringify({ pid, startedAt: new Date().toISOString() })}\n`, { mode: 0o600 });
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    fs.rmSync(file, { force: true });
  };
  process.once("exit", release);
  return release;
}

/** The live servers marked on DATA_DIR (stale marks are removed). */
export function runningServers(dataDir: string): { pid: number; startedAt: string | null }[] {
  let names: string[];
  try {
    names = fs.readdirSync(marksDir(dataDir));
  } catch {
    return [];
  }
  const live: { pid: number; startedAt: string | null }[] = [];
  for (const name of names) {
    const pid = Number(name);
    if (!Number.isSafeInteger(pid) || pid <= 0) continue;
    const file = path.join(marksDir(dataDir), name);
    if (!isAlive(pid)) {
      fs.rmSync(file, { force: true });
      continue;
    }
    let startedAt: string | null = null;
    try {
      startedAt = JSON.parse(fs.readFileSync(file, "utf8")).startedAt ?? null;
    } catch {}
    live.push({ pid, startedAt });
  }
  return live;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function refuseIfServing(dataDir: string): void {
  const [server] = runningServers(dataDir);
  if (server) {
    throw new BackupRefused(
      `a Pass server (pid ${server.pid}${server.startedAt ? `, since ${server.startedAt}` : ""}) is running on ${dataDir}: stop it first (if it is not Pass, delete ${path.join(marksDir(dataDir), String(server.pid))})`,
    );
  }
}

// ---------------------------------------------------------------- backup

export async function backup(target: BackupTarget, file: string): Promise<BackupResult> {
  const dest = path.resolve(file);
  if (!fs.existsSync(path.dirname(dest))) throw new AppError(400, "USAGE", `${file}: the folder ${path.dirname(dest)} does not exist`);
  if (fs.existsSync(dest)) throw new AppError(400, "USAGE", `${file} already exists; choose a new file name`);
  return target.databaseUrl ? backupPostgres(target.databaseUrl, dest) : backupSqlite(target.dataDir, dest);
}

async function backupSqlite(dataDir: string, dest: string): Promise<BackupResult> {
  const source = path.resolve(dataDir, SQLITE_FILE);
  if (!fs.existsSync(source)) throw new AppError(404, "NOT_FOUND", `no database at ${source}`);
  if ([source, `${source}-wal`, `${source}-shm`, `${source}.restoring`].includes(dest))
    throw new AppError(400, "USAGE", "the backup file must not be the database itself");
  const partial = `${dest}.partial-${process.pid}`;
  const db = new SqliteDatabase(source, { fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    // One step for every page: a single read transaction, so one consistent snapshot even while
    // the server commits (a multi-step copy restarts whenever another connection writes).
    await db.backup(partial, { progress: () => 0x7fffffff });
  } catch (err) {
    fs.rmSync(partial, { force: true });
    throw err;
  } finally {
    db.close();
  }
  try {
    fs.chmodSync(partial, 0o600);
    const copy = new SqliteDatabase(partial, { fileMustExist: true });
    let position: { lastEventId: number; epoch: string };
    try {
      // A self-contained file (no -wal beside it), checked before it takes the final name.
      copy.pragma("journal_mode = DELETE");
      const check = copy.pragma("quick_check", { simple: true });
      if (check !== "ok") throw new Error(`the copy failed its check: ${String(check)}`);
      position = sqlitePosition(copy);
    } finally {
      copy.close();
    }
    fs.renameSync(partial, dest);
    return { file: dest, dialect: "sqlite", bytes: fs.statSync(dest).size, ...position };
  } catch (err) {
    fs.rmSync(partial, { force: true });
    throw err;
  }
}

function sqlitePosition(db: SqliteDatabase.Database): { lastEventId: number; epoch: string } {
  const row = db.prepare(`select "lastEventId", "epoch" from "logMeta" where "id" = 1`).get() as
    | { lastEventId: number; epoch: string }
    | undefined;
  if (!row) throw new Error("no log position in the database");
  return { lastEventId: Number(row.lastEventId), epoch: row.epoch };
}

async function backupPostgres(databaseUrl: string, dest: string): Promise<BackupResult> {
  const partial = `${dest}.partial-${process.pid}`;
  // pg_dump runs in a snapshot this transaction exports, so the position read here is exactly the dump's.
  const position = await withPg(databaseUrl, async (client) => {
    await client.query("begin isolation level repeatable read read only");
    try {
      const snapshot = (await client.query<{ id: string }>("select pg_export_snapshot() as id")).rows[0]!.id;
      const schema = (await client.query<{ s: string }>("select current_schema() as s")).rows[0]!.s;
      const jobs = jobsSchemaFor(schema);
      const hasJobs = (await client.query("select 1 from pg_namespace where nspname = $1", [jobs])).rowCount === 1;
      const row = (
        await client.query<{ lastEventId: string; epoch: string }>(`select "lastEventId", "epoch" from "logMeta" where "id" = 1`)
      ).rows[0];
      if (!row) throw new Error("no log position in the database");
      const args = ["--format=custom", "--no-owner", "--no-privileges", `--snapshot=${snapshot}`, `--schema=${schema}`];
      if (hasJobs) args.push(`--schema=${jobs}`);
      args.push(`--file=${partial}`);
      await runPgTool("pg_dump", args, databaseUrl);
      return { lastEventId: Number(row.lastEventId), epoch: row.epoch };
    } finally {
      await client.query("commit").catch(() => undefined);
    }
  });
  try {
    fs.chmodSync(partial, 0o600);
    fs.renameSync(partial, dest);
  } catch (err) {
    fs.rmSync(partial, { force: true });
    throw err;
  }
  return { file: dest, dialect: "postgres", bytes: fs.statSync(dest).size, ...position };
}

// ---------------------------------------------------------------- restore

export type RestoreResult = { dialect: "sqlite" | "postgres"; epoch: string; lastEventId: number; previous: string | null };

export async function restore(target: BackupTarget, file: string): Promise<RestoreResult> {
  const src = path.resolve(file);
  const kind = backupKind(src);
  refuseIfServing(target.dataDir);
  if (target.databaseUrl) {
    if (kind !== "postgres") throw notABackup(file, kind === "sqlite" ? "a SQLite backup, and this Pass runs on PostgreSQL" : null);
    return restorePostgres(target.databaseUrl, src, file);
  }
  if (kind !== "sqlite") throw notABackup(file, kind === "postgres" ? "a PostgreSQL backup, and this Pass runs on SQLite" : null);
  return restoreSqlite(target.dataDir, src, file);
}

function notABackup(file: string, why: string | null): BackupRefused {
  return new BackupRefused(`${file} is not a Pass backup${why ? ` (${why})` : ""}; nothing was changed`);
}

function backupKind(file: string): "sqlite" | "postgres" | null {
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch (err) {
    throw new AppError(
      400,
      "USAGE",
      `${file}: ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (err as Error).message}`,
    );
  }
  try {
    const head = Buffer.alloc(16);
    const n = fs.readSync(fd, head, 0, 16, 0);
    const text = head.subarray(0, n).toString("latin1");
    if (text === SQLITE_MAGIC) return "sqlite";
    if (text.startsWith(PG_MAGIC)) return "postgres";
    return null;
  } finally {
    fs.closeSync(fd);
  }
}

/** Migrations the backup has applied that this Pass does not know: it was made by a newer release. */
async function unknownMigrations(applied: string[], dialect: "sqlite" | "postgres"): Promise<string[]> {
  const known = new Set(Object.keys(await migrationProvider(dialect).getMigrations()));
  return applied.filter((m) => !known.has(m));
}

async function restoreSqlite(dataDir: string, src: string, file: string): Promise<RestoreResult> {
  const target = path.resolve(dataDir, SQLITE_FILE);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const staging = `${target}.restoring`;
  fs.rmSync(staging, { force: true });
  fs.copyFileSync(src, staging);
  fs.chmodSync(staging, 0o600);
  const epoch = newEpoch();
  let lastEventId: number;
  try {
    let copy: SqliteDatabase.Database;
    try {
      copy = new SqliteDatabase(staging, { fileMustExist: true });
      copy.pragma("schema_version"); // reads the header: a damaged file fails here
    } catch (err) {
      throw notABackup(file, (err as Error).message);
    }
    try {
      const tables = new Set(
        (copy.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[]).map((t) => t.name),
      );
      if (!tables.has("logMeta") || !tables.has("kysely_migration") || !tables.has("orders"))
        throw notABackup(file, "no Pass tables in it");
      if (copy.pragma("quick_check", { simple: true }) !== "ok") throw notABackup(file, "it fails SQLite's integrity check");
      const applied = (copy.prepare("select name from kysely_migration").all() as { name: string }[]).map((m) => m.name);
      const newer = await unknownMigrations(applied, "sqlite");
      if (newer.length)
        throw new BackupRefused(`${file} was made by a newer Pass (migration ${newer[0]}); upgrade Pass first; nothing was changed`);
      copy.pragma("journal_mode = DELETE");
      copy.prepare(`update "logMeta" set "epoch" = ? where "id" = 1`).run(epoch);
      lastEventId = sqlitePosition(copy).lastEventId;
    } finally {
      copy.close();
    }
  } catch (err) {
    fs.rmSync(staging, { force: true });
    throw err;
  }
  // The current database is kept aside, whole (its WAL folded in first), never deleted.
  let previous: string | null = null;
  if (fs.existsSync(target)) {
    const current = new SqliteDatabase(target, { fileMustExist: true });
    try {
      current.pragma("busy_timeout = 5000");
      current.pragma("wal_checkpoint(TRUNCATE)");
      current.pragma("journal_mode = DELETE");
    } finally {
      current.close();
    }
    previous = `${target}.before-restore-${new Date().toISOString().replace(/[:.]/g, "-")}`;
    fs.renameSync(target, previous);
  }
  for (const leftover of [`${target}-wal`, `${target}-shm`]) fs.rmSync(leftover, { force: true });
  fs.renameSync(staging, target);
  return { dialect: "sqlite", epoch, lastEventId, previous };
}

async function restorePostgres(databaseUrl: string, src: string, file: string): Promise<RestoreResult> {
  const listing = await runPgTool("pg_restore", ["--list", src], null).catch(() => {
    throw notABackup(file, "pg_restore cannot read it");
  });
  const tables = [...listing.matchAll(/^\d+; \d+ \d+ TABLE (\S+) (\S+) /gm)].map((m) => ({ schema: m[1]!, table: m[2]! }));
  const log = tables.find((t) => t.table === "logMeta");
  if (!log || !tables.some((t) => t.table === "orders" && t.schema === log.schema)) throw notABackup(file, "no Pass tables in it");
  await withPg(databaseUrl, async (client) => {
    const schema = (await client.query<{ s: string }>("select current_schema() as s")).rows[0]!.s;
    if (schema !== log.schema)
      throw new BackupRefused(`${file} holds schema '${log.schema}', this Pass uses '${schema}'; nothing was changed`);
    const nodes = await client
      .query<{ n: string }>(`select count(*) as n from "jobNodes" where "seenAt" > now() - make_interval(secs => $1)`, [LIVE_NODE_SECONDS])
      .catch(() => ({ rows: [{ n: "0" }] }));
    if (Number(nodes.rows[0]!.n) > 0)
      throw new BackupRefused(
        `a Pass node is running on this database (a job node beat in the last ${LIVE_NODE_SECONDS} s): stop every node first`,
      );
  });
  await runPgTool(
    "pg_restore",
    [
      "--clean",
      "--if-exists",
      "--no-owner",
      "--no-privileges",
      "--single-transaction",
      "--exit-on-error",
      `--dbname=${pgConnectionString(databaseUrl)}`,
      src,
    ],
    databaseUrl,
  );
  const epoch = newEpoch();
  const lastEventId = await withPg(databaseUrl, async (client) => {
    const applied = (await client.query<{ name: string }>("select name from kysely_migration")).rows.map((r) => r.name);
    const newer = await unknownMigrations(applied, "postgres");
    if (newer.length) throw new BackupRefused(`${file} was made by a newer Pass (migration ${newer[0]}); upgrade Pass before starting it`);
    const { rows } = await client.query<{ lastEventId: string }>(
      `update "logMeta" set "epoch" = $1 where "id" = 1 returning "lastEventId"`,
      [epoch],
    );
    return Number(rows[0]!.lastEventId);
  });
  return { dialect: "postgres", epoch, lastEventId, previous: null };
}

// ---------------------------------------------------------------- PostgreSQL tools

async function withPg<T>(databaseUrl: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The URL without its password (handed to the tool in PGPASSWORD: arguments are visible in `ps`). */
function pgConnectionString(databaseUrl: string): string {
  const u = new URL(databaseUrl);
  u.password = "";
  // libpq reads `+` in the query as itself, not as a space (`?options=-c search_path=…`).
  u.search = u.search.replace(/\+/g, "%20");
  return u.toString();
}

/** Runs pg_dump / pg_restore; resolves with its standard output, rejects with its last error line. */
function runPgTool(tool: "pg_dump" | "pg_restore", args: string[], databaseUrl: string | null): Promise<string> {
  const env = { ...process.env };
  if (databaseUrl) {
    const u = new URL(databaseUrl);
    if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
    if (tool === "pg_dump") args = [...args, `--dbname=${pgConnectionString(databaseUrl)}`];
  }
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", (e) => {
      reject(
        (e as NodeJS.ErrnoException).code === "ENOENT"
          ? new AppError(
              500,
              "TOOL_MISSING",
              `${tool} is not installed (Debian: apt-get install postgresql-client, the same major version as the server); see docs/operations.md#backups`,
            )
          : e,
      );
    });
    child.on("close", (code) => {
      if (code === 0) resolve(out);
      else reject(new Error(`${tool} failed: ${err.trim().split("\n").pop() ?? `exit ${code}`}`));
    });
  });
}
