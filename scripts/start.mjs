// `npm start`: builds when the build is missing or older than the sources, then runs server.ts.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const marker = path.join(root, ".next", "BUILD_ID");
const serverBundle = path.join(root, "dist", "server.mjs");
const SOURCES = [
  "app",
  "components",
  "lib",
  "public",
  "server.ts",
  "proxy.ts",
  "instrumentation.ts",
  "security-headers.mjs",
  "scripts",
  "next.config.mjs",
  "package-lock.json",
  "postcss.config.mjs",
  "tsconfig.json",
];

function newestMtime(p) {
  let st;
  try {
    st = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

function builtAt() {
  try {
    return Math.min(fs.statSync(marker).mtimeMs, fs.statSync(serverBundle).mtimeMs);
  } catch {
    return 0;
  }
}

const sourcesAt = Math.max(...SOURCES.map((s) => newestMtime(path.join(root, s))));
if (builtAt() < sourcesAt || process.argv.includes("--build")) {
  console.log("pass: building (first start or sources changed)…");
  const result = spawnSync("npm", ["run", "build"], { cwd: root, stdio: "inherit", env: process.env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

// Same process, so SIGTERM / SIGINT reach server.ts directly. NODE_ENV must be set before Next loads.
process.env.NODE_ENV = "production";
process.env.NEXT_TELEMETRY_DISABLED = "1";
process.chdir(root);
await import(pathToFileURL(serverBundle).href);
