/**
 * `npm run pass -- menu export|import` end to end: the bundled CLI (dist/pass.mjs, as
 * `npm run pass` runs it) as a child process against a temporary DATA_DIR with SQLite. First
 * start seeds the demo restaurant from lib/menu/demo-menu.json; export writes it on stdout; an
 * import replaces it; a malformed file lists every error with its path and changes nothing.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import demoMenu from "../lib/menu/demo-menu.json";

const ROOT = path.resolve(import.meta.dirname, "..");
const CLI = path.join(ROOT, "dist", "pass.mjs");

describe("CLI menu import / export (SQLite in a temporary DATA_DIR)", () => {
  let dataDir: string;
  const pass = (...args: string[]) =>
    spawnSync(process.execPath, [CLI, ...args], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: "", REDIS_URL: "", PASS_ADMIN_PASSWORD: "cli-test-pass-4821" },
      encoding: "utf8",
    });

  beforeAll(() => {
    const build = spawnSync(process.execPath, [path.join(ROOT, "scripts", "build-server.mjs")], { cwd: ROOT, encoding: "utf8" });
    expect(build.status, build.stderr).toBe(0);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pass-cli-menu-"));
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it("export prints the demo menu (seeded from the shipped JSON on first start) on stdout", () => {
    const out = pass("menu", "export", "--partner", "demo");
    expect(out.status, out.stderr).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual(demoMenu);
    expect(out.stderr).toContain("created the demo restaurant 'demo'");
  });

  it("import replaces the menu; export shows the new one", () => {
    const changed = structuredClone(demoMenu);
    changed.foods[0]!.price = "12";
    changed.foods[0]!.name = "House Burger";
    changed.foods.pop();
    const file = path.join(dataDir, "menu.json");
    fs.writeFileSync(file, JSON.stringify(changed));
    const out = pass("menu", "import", file, "--partner", "demo");
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toContain("menu of demo imported: 6 categories, 14 foods");
    expect(out.stdout).toContain("archived 15 foods");
    expect(JSON.parse(pass("menu", "export", "--partner", "demo").stdout)).toEqual(changed);
  });

  it("a malformed file: exit 1, every error with its path on stderr, nothing imported", () => {
    const before = pass("menu", "export", "--partner", "demo").stdout;
    const bad = structuredClone(demoMenu) as any;
    bad.foods[3].modifierGroups = ["Sauce"];
    bad.foods[7].allergens = ["nutz"];
    bad.foods[9].price = "free";
    const file = path.join(dataDir, "bad.json");
    fs.writeFileSync(file, JSON.stringify(bad));
    const out = pass("menu", "import", file, "--partner", "demo");
    expect(out.status).toBe(1);
    expect(out.stderr).toContain("the menu file has 3 error(s), nothing was imported");
    expect(out.stderr).toContain("foods[3].modifierGroups[0]: unknown group 'Sauce'");
    expect(out.stderr).toContain("foods[7].allergens[0]: unknown allergen 'nutz'");
    expect(out.stderr).toContain("foods[9].price: must be a non-negative decimal string");
    expect(pass("menu", "export", "--partner", "demo").stdout).toBe(before);

    fs.writeFileSync(file, "{ not json");
    const notJson = pass("menu", "import", file, "--partner", "demo");
    expect(notJson.status).toBe(1);
    expect(notJson.stderr).toContain(`pass: ${file}:`);
    expect(pass("menu", "export", "--partner", "demo").stdout).toBe(before);
  });

  it("usage errors: no --partner, an unknown partner, no file", () => {
    expect(pass("menu", "export").stderr).toContain("--partner is required");
    const unknown = pass("menu", "export", "--partner", "nowhere");
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain("no partner 'nowhere'");
    expect(pass("menu", "import", "--partner", "demo").stderr).toContain("menu import takes one FILE.json");
    expect(pass("menu", "import", path.join(dataDir, "missing.json"), "--partner", "nowhere").status).toBe(1);
  });
});
