// `npm test`: the whole suite — build, unit + integration (vitest, on SQLite and on PostgreSQL
// when DATABASE_URL is set), then browser end-to-end (Playwright + Debian's chromium).
// Prints each runner's own summary, then one closing line: "N passed, N failed[, N skipped]".
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const reports = fs.mkdtempSync(path.join(os.tmpdir(), "pass-test-reports-"));
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const requireServices = env.REQUIRE_SERVICES === "1";

function run(cmd, args, extraEnv = {}) {
  console.log(`\n$ ${cmd} ${args.join(" ")}`);
  return spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: { ...env, ...extraEnv } }).status ?? 1;
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

if (requireServices) {
  for (const name of ["DATABASE_URL", "REDIS_URL"]) {
    if (!env[name]) {
      console.error(`REQUIRE_SERVICES=1 but ${name} is not set`);
      process.exit(1);
    }
  }
}
if (!env.DATABASE_URL) console.log("note: DATABASE_URL is not set — PostgreSQL tests are SKIPPED (shown as skipped below)");

const totals = { passed: 0, failed: 0, skipped: 0 };

// Static checks first: Biome (lint + format) and the import rules (no cycle, layers one way).
for (const [script, what] of [
  ["lint", "Biome lint/format"],
  ["check:imports", "import-cycle and layer check"],
  ["typecheck", "type check"],
]) {
  if (run("npm", ["run", "--silent", script]) !== 0) {
    console.error(`${what} failed`);
    console.log(`\n0 passed, 1 failed`);
    process.exit(1);
  }
}

if (run("npm", ["run", "--silent", "build"]) !== 0) {
  console.error("build failed");
  console.log(`\n0 passed, 1 failed`);
  process.exit(1);
}

const vitestJson = path.join(reports, "vitest.json");
const vitestStatus = run("npx", ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestJson}`]);
const vitest = readJson(vitestJson);
if (vitest) {
  totals.passed += vitest.numPassedTests;
  totals.failed += vitest.numFailedTests;
  totals.skipped += vitest.numPendingTests + vitest.numTodoTests;
} else {
  totals.failed += 1;
}
if (vitestStatus !== 0 && (!vitest || vitest.numFailedTests === 0)) totals.failed += 1; // a crash outside any test

const playwrightJson = path.join(reports, "playwright.json");
const playwrightStatus = run("npx", ["playwright", "test"], { PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson });
const playwright = readJson(playwrightJson);
if (playwright?.stats) {
  totals.passed += playwright.stats.expected + playwright.stats.flaky;
  totals.failed += playwright.stats.unexpected;
  totals.skipped += playwright.stats.skipped;
} else {
  totals.failed += 1;
}
if (playwrightStatus !== 0 && playwright?.stats && playwright.stats.unexpected === 0) totals.failed += 1;

if (requireServices && totals.skipped > 0) {
  console.error(`\nREQUIRE_SERVICES=1: ${totals.skipped} skipped test(s) count as failures`);
  totals.failed += totals.skipped;
}

console.log(`\n${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ""}`);
process.exit(totals.failed > 0 ? 1 : 0);
