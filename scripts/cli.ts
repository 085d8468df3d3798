/**
 * `npm run pass -- <command>`: the operator's CLI (README "Command line"). Same configuration as the server;
 * works whether the server runs or not (SQLite allows both processes; PostgreSQL anyway). The
 * commands and their checks are in scripts/cli-commands.ts.
 */
import { loadConfig, setConfig } from "../lib/config";
import { openAndPrepare } from "../lib/bootstrap";
import { runCli } from "./cli-commands";

process.exitCode = await runCli(process.argv.slice(2), {
  open: async () => {
    const config = loadConfig();
    setConfig(config);
    return openAndPrepare({ config, log: (line) => console.error(line) });
  },
  // backup / restore work on the files, without opening (or migrating) the database.
  target: () => {
    const config = loadConfig();
    setConfig(config);
    return { dataDir: config.dataDir, databaseUrl: config.databaseUrl };
  },
  io: { out: (line) => console.log(line), err: (line) => console.error(line), stdin: process.stdin },
});
