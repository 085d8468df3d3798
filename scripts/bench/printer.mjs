// `npm run bench:printer [-- --orders=200] [--postgres]`: confirm → bytes at a network printer.
// Bundles scripts/bench/printer-run.ts the way scripts/build-server.mjs bundles the CLI (npm
// packages external, `server-only` empty) and runs it: one node's print dispatcher, three fake
// ESC/POS printers on loopback in a process of their own (scripts/bench/printer-farm.ts); p50/p99 of confirm → first byte over ORDERS orders one by one,
// then jobs per second with ORDERS orders confirmed 8 at a time. No Next build needed.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const out = path.join(root, "dist/bench-printer.mjs");
const serverOnly = {
  name: "server-only",
  setup(b) {
    b.onResolve({ filter: /^server-only$/ }, () => ({ path: "server-only", namespace: "empty" }));
    b.onLoad({ filter: /.*/, namespace: "empty" }, () => ({ contents: "export {}", loader: "js" }));
  },
};
await build({
  absWorkingDir: root,
  entryPoints: { "bench-printer": "scripts/bench/printer-run.ts", "bench-printer-farm": "scripts/bench/printer-farm.ts" },
  outdir: path.join(root, "dist"),
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  packages: "external",
  logLevel: "warning",
  plugins: [serverOnly],
  alias: { "@": root },
});
const run = spawnSync(process.execPath, [out, ...process.argv.slice(2)], { cwd: root, stdio: "inherit", timeout: 10 * 60_000 });
process.exit(run.status ?? 2);
