// One "node" of the scheduled-firing test (lib/orders/scheduled-nodes.test.ts): a process of its
// own that opens the shared database (PostgreSQL URL, or the SQLite file in DATA_DIR), waits for
// the common start instant, runs fireDue as the node's 5 s timer would a few times in a row, and
// prints the order ids this process fired as one JSON line. Run with
//   node --conditions=react-server --import tsx lib/testing/scripts/fire-due.ts URL|"" DATA_DIR NOW START_AT_MS ROUNDS
import { openDatabase } from "../../db";
import { fireDue } from "../../orders/stations";

const [databaseUrl, dataDir, now, startAt, rounds = "3"] = process.argv.slice(2);
const handle = openDatabase({ databaseUrl: databaseUrl || null, dataDir: dataDir! });
const fired: number[] = [];
try {
  await new Promise((r) => setTimeout(r, Math.max(0, Number(startAt) - Date.now())));
  for (let i = 0; i < Number(rounds); i++) fired.push(...(await fireDue({ db: handle.db, now: new Date(now!) })));
  process.stdout.write(`${JSON.stringify(fired)}\n`);
} finally {
  await handle.destroy();
}
