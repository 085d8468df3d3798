import "server-only";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Config } from "./config";
import { migrateToLatest, openDatabase, type DbHandle } from "./db";
import { createUser } from "./auth";
import { createPartner, importMenu, type FoodSeed, type MenuFile } from "./menu";
import demoMenu from "./menu/demo-menu.json";
import { installJobQueue } from "./jobs/graphile";
import { log as logger } from "./log";

/**
 * The demo restaurant's menu (lib/menu/demo-menu.json, in the menu file shape of lib/menu/transfer.ts):
 * 15 dishes with descriptions, allergens, prep targets and modifier groups. DEMO_MENU is its dishes
 * by name, price and station, as tests and benches read them.
 */
export const DEMO_MENU_FILE: MenuFile = demoMenu as MenuFile;

export const DEMO_MENU: readonly FoodSeed[] = DEMO_MENU_FILE.foods.map((f) => ({
  name: f.name,
  price: Math.round(Number(f.price) * 100),
  surcharge: Math.round(Number(f.surcharge ?? "0") * 100),
  category: f.category,
  station: f.station,
}));

/**
 * Opens the configured database, applies the committed migrations and, on an empty database,
 * seeds the demo restaurant and the admin user (README "Command line"). Used by server.ts and the CLI.
 */
export async function openAndPrepare({
  config,
  log = (line: string) => logger().info(line),
}: {
  config: Config;
  log?: (line: string) => void;
}): Promise<DbHandle> {
  tightenDataDir({ dataDir: config.dataDir, log });
  const handle = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateToLatest(handle);
    // graphile-worker's own schema, so a change can enqueue its job (lib/events/jobs.ts) from the
    // first request on — and from the CLI, which runs no jobs.
    if (handle.dialect === "postgres" && config.databaseUrl) await installJobQueue({ db: handle.db, databaseUrl: config.databaseUrl });
    await seedFirstStart({ handle, config, log });
  } catch (err) {
    await handle.destroy();
    throw err;
  }
  return handle;
}

async function seedFirstStart({ handle, config, log }: { handle: DbHandle; config: Config; log: (line: string) => void }) {
  const { db } = handle;
  const anyUser = await db.selectFrom("users").select("id").limit(1).executeTakeFirst();
  const anyPartner = await db.selectFrom("partners").select("id").limit(1).executeTakeFirst();
  if (!anyPartner) {
    let created = false;
    try {
      await createPartner({ db, slug: "demo", name: "Demo Diner", timezone: "UTC", cutoverHour: 4 });
      created = true;
    } catch (err) {
      // Another node seeded it at the same moment.
      if (!(await db.selectFrom("partners").select("id").where("slug", "=", "demo").executeTakeFirst())) throw err;
    }
    // Only the node that created the partner fills its menu (one transaction with its events).
    if (created) {
      await importMenu(db, null, "demo", DEMO_MENU_FILE);
      log("pass: created the demo restaurant 'demo' (Demo Diner) with the demo menu");
    }
  }
  if (anyUser) return;
  const generated = !config.adminPassword;
  const password = config.adminPassword ?? crypto.randomBytes(12).toString("base64url");
  try {
    await createUser({ db, partnerId: null, role: "admin", username: "admin", password });
  } catch (err) {
    if (await db.selectFrom("users").select("id").where("username", "=", "admin").executeTakeFirst()) return;
    throw err;
  }
  if (generated) {
    const file = path.join(config.dataDir, "admin-password");
    fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, password + "\n", { mode: 0o600 });
    fs.chmodSync(file, 0o600); // an older file keeps its mode on overwrite
    log(`pass: created user 'admin' with password ${password} (also written to ${file}; shown only once)`);
  } else {
    log("pass: created user 'admin' with the password from PASS_ADMIN_PASSWORD");
  }
}

/**
 * The generated first-start password (DATA_DIR/admin-password) is only needed until the admin
 * has signed in with it once; then it is deleted so it does not sit on disk. Returns whether a
 * file was removed.
 */
export function forgetFirstStartPassword({
  dataDir,
  log = (line: string) => logger().info(line),
}: {
  dataDir: string;
  log?: (line: string) => void;
}): boolean {
  const file = path.join(dataDir, "admin-password");
  try {
    fs.unlinkSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return false;
    log(`pass: could not delete ${file}: ${(err as Error).message}`);
    return false;
  }
  log(`pass: the admin signed in; deleted the first-start password file ${file}`);
  return true;
}

/**
 * DATA_DIR is the owner's only: an existing one left more open than 0700 (an older Pass, a copy,
 * a lax umask) is tightened to 0700 at start, and each regular file directly in it more open than
 * 0600 (the database and its -wal/-shm, session-secret, admin-password, a backup beside them) to
 * 0600 — with one line saying what changed. Symbolic links and subfolders are left alone. Returns
 * the paths it changed.
 */
export function tightenDataDir({
  dataDir,
  log = (line: string) => logger().info(line),
}: {
  dataDir: string;
  log?: (line: string) => void;
}): string[] {
  let dir: fs.Stats;
  try {
    dir = fs.lstatSync(dataDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
  if (!dir.isDirectory()) return [];
  const changed: string[] = [];
  const notes: string[] = [];
  const octal = (mode: number) => `0${(mode & 0o777).toString(8)}`;
  if (dir.mode & 0o077) {
    fs.chmodSync(dataDir, 0o700);
    changed.push(dataDir);
    notes.push(`the folder ${octal(dir.mode)} → 0700`);
  }
  const files: string[] = [];
  for (const entry of fs.readdirSync(dataDir, { withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(dataDir, entry.name);
    const mode = fs.lstatSync(file).mode;
    if (!(mode & 0o177)) continue;
    fs.chmodSync(file, 0o600);
    changed.push(file);
    files.push(`${entry.name} ${octal(mode)}`);
  }
  if (files.length) notes.push(`${files.length === 1 ? "1 file" : `${files.length} files`} → 0600 (${files.join(", ")})`);
  if (notes.length) log(`pass: DATA_DIR ${dataDir} was open to others; tightened ${notes.join(" and ")}`);
  return changed;
}
