// One "node" of the 86-restore test (lib/menu/availability.test.ts): a process of its own that
// opens the shared database (PostgreSQL URL, or the SQLite file in DATA_DIR), waits for the
// common start instant, runs restoreDue86 as the node's timer would a few times in a row, and
// prints what this process restored as one JSON line. Run with
//   node --conditions=react-server --import tsx lib/testing/scripts/restore-86.ts URL|"" DATA_DIR NOW START_AT_MS ROUNDS
import { openDatabase } from "../../db";
import { restoreDue86 } from "../../menu/availability";

const [databaseUrl, dataDir, now, startAt, rounds = "3"] = process.argv.slice(2);
const handle = openDatabase({ databaseUrl: databaseUrl || null, dataDir: dataDir! });
const restored: { kind: string; id: string }[] = [];
try {
  await new Promise((r) => setTimeout(r, Math.max(0, Number(startAt) - Date.now())));
  for (let i = 0; i < Number(rounds); i++) restored.push(...(await restoreDue86({ db: handle.db, now: new Date(now!) })));
  process.stdout.write(`${JSON.stringify(restored)}\n`);
} finally {
  await handle.destroy();
}
