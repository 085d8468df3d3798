// One job node of the exactly-once test (lib/jobs/nodes.test.ts): a process of its own that opens
// the shared database (DATABASE_URL, or the SQLite file in DATA_DIR), runs the real tasks on this
// dialect's job runner, and prints "ready" and then "done <n>" lines; the test SIGKILLs it mid-run.
// Run with
//   node --conditions=react-server --import tsx lib/testing/scripts/job-node.ts BEAT_MS DEAD_AFTER_MS CLAIM_LEASE_MS
import { loadConfig, setConfig } from "../../config";
import { openDatabase, setDbHandle } from "../../db";
import { EmbeddedJobRunner } from "../../jobs/embedded";
import { GraphileJobRunner } from "../../jobs/graphile";
import { notificationChannels, passTasks } from "../../jobs";

const [beatMs = "500", deadAfterMs = "3000", claimLeaseMs = "3000"] = process.argv.slice(2);
const config = loadConfig();
setConfig(config);
const handle = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
setDbHandle(handle);
const tasks = passTasks({ db: handle.db, channels: { ...notificationChannels(config), claimLeaseMs: Number(claimLeaseMs) } });
const runner = config.databaseUrl
  ? new GraphileJobRunner({
      db: handle.db,
      connectionString: config.databaseUrl,
      tasks,
      recurring: [],
      concurrency: 4,
      pollMs: 200,
      beatMs: Number(beatMs),
      deadAfterMs: Number(deadAfterMs),
    })
  : new EmbeddedJobRunner({ db: handle.db, tasks, recurring: [], concurrency: 4, pollMs: 100 });
await runner.start();
process.stdout.write("ready\n");
setInterval(() => process.stdout.write(`done ${runner.completed}\n`), 200);
process.on("SIGTERM", () => {
  void runner.stop().then(() => process.exit(0));
});
