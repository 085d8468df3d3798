/**
 * DATA_DIR is created 0700 and every file Pass writes in it is 0600 (issue "Security hardening"):
 * pass.sqlite with its -wal and -shm, session-secret, admin-password — even under a lax umask; an
 * existing DATA_DIR left more open is tightened at start, with one line saying so.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { openAndPrepare } from "./bootstrap";
import { loadConfig } from "./config";
import { describeEachDatabase } from "./testing/each-database";

const mode = (file: string) => fs.statSync(file).mode & 0o777;

describeEachDatabase("DATA_DIR permissions", (ctx) => {
  let previousUmask: number;
  beforeAll(() => {
    previousUmask = process.umask(0o022);
  });
  afterAll(() => {
    process.umask(previousUmask);
  });

  it("the directory is 0700 and its files 0600", async () => {
    const dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pass-perm-")), "nested", "data");
    const config = { ...loadConfig({ env: { DATA_DIR: dataDir } }), databaseUrl: ctx.t.config.databaseUrl };
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(path.join(dataDir, "session-secret"))).toBe(0o600);

    const lines: string[] = [];
    const handle = await openAndPrepare({ config, log: (line) => lines.push(line) });
    try {
      expect(mode(path.join(dataDir, "admin-password"))).toBe(0o600);
      if (ctx.dialect === "sqlite") {
        for (const name of ["pass.sqlite", "pass.sqlite-wal", "pass.sqlite-shm"]) {
          expect(mode(path.join(dataDir, name)), name).toBe(0o600);
        }
      }
    } finally {
      await handle.destroy();
    }
  });

  it("an existing database file with a lax mode is tightened", async () => {
    if (ctx.dialect !== "sqlite") return;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pass-perm-"));
    const file = path.join(dataDir, "pass.sqlite");
    fs.writeFileSync(file, "");
    fs.chmodSync(file, 0o644);
    const config = { ...loadConfig({ env: { DATA_DIR: dataDir, PASS_ADMIN_PASSWORD: "perm-test-admin" } }), databaseUrl: null };
    const handle = await openAndPrepare({ config, log: () => {} });
    try {
      expect(mode(file)).toBe(0o600);
      expect(mode(`${file}-wal`)).toBe(0o600);
    } finally {
      await handle.destroy();
    }
  });

  it("an existing DATA_DIR more open than 0700, and its files more open than 0600, are tightened at start with one line", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pass-perm-"));
    fs.chmodSync(dataDir, 0o755);
    const files = { "session-secret": 0o644, "admin-password": 0o666, "pass.sqlite.bak": 0o640, "already-tight": 0o600 };
    for (const [name, m] of Object.entries(files)) {
      fs.writeFileSync(path.join(dataDir, name), name === "session-secret" ? "s".repeat(43) + "\n" : "x");
      fs.chmodSync(path.join(dataDir, name), m);
    }
    if (ctx.dialect === "sqlite") {
      fs.writeFileSync(path.join(dataDir, "pass.sqlite"), "");
      fs.chmodSync(path.join(dataDir, "pass.sqlite"), 0o644);
    }
    fs.mkdirSync(path.join(dataDir, "backups"), { mode: 0o755 });
    fs.chmodSync(path.join(dataDir, "backups"), 0o755);
    const config = {
      ...loadConfig({ env: { DATA_DIR: dataDir, PASS_ADMIN_PASSWORD: "perm-test-admin" } }),
      databaseUrl: ctx.t.config.databaseUrl,
    };

    const lines: string[] = [];
    const handle = await openAndPrepare({ config, log: (line) => lines.push(line) });
    await handle.destroy();
    expect(mode(dataDir)).toBe(0o700);
    for (const name of Object.keys(files)) expect(mode(path.join(dataDir, name)), name).toBe(0o600);
    if (ctx.dialect === "sqlite") expect(mode(path.join(dataDir, "pass.sqlite"))).toBe(0o600);
    // Subfolders are the owner's business (and unreachable to others now that DATA_DIR is 0700).
    expect(mode(path.join(dataDir, "backups"))).toBe(0o755);
    const said = lines.filter((l) => l.includes("tightened"));
    expect(said).toHaveLength(1);
    expect(said[0]).toContain(dataDir);
    expect(said[0]).toContain("0755 → 0700");
    expect(said[0]).toMatch(/session-secret 0644/);
    expect(said[0]).not.toContain("already-tight");

    // Next start: nothing to say.
    const again: string[] = [];
    await (await openAndPrepare({ config, log: (line) => again.push(line) })).destroy();
    expect(again.filter((l) => l.includes("tightened"))).toEqual([]);
  });
});
