// Bundles server.ts and the CLI into dist/ (Node 20 cannot run .ts). npm packages stay external,
// so server.ts and Next's route bundles share one copy of better-sqlite3, pg and kysely.
import { build } from "esbuild";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

// `server-only` throws outside React Server bundles; in these bundles it guards nothing.
const serverOnly = {
  name: "server-only",
  setup(b) {
    b.onResolve({ filter: /^server-only$/ }, () => ({ path: "server-only", namespace: "empty" }));
    b.onLoad({ filter: /.*/, namespace: "empty" }, () => ({ contents: "export {}", loader: "js" }));
  },
};

await build({
  absWorkingDir: root,
  entryPoints: { server: "server.ts", pass: "scripts/cli.ts" },
  outdir: "dist",
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  packages: "external",
  sourcemap: "linked",
  logLevel: "warning",
  plugins: [serverOnly],
  alias: { "@": root },
});
