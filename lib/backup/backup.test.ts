/**
 * Backups (docs/operations.md#backups), on SQLite and PostgreSQL: a backup taken while writers
 * keep committing holds every order acknowledged before it began; a restore refuses while a server
 * is marked on the data and refuses a file that is not a Pass backup, changing nothing; after a
 * restore the log has a new epoch, so a stream resuming from the old log gets `replay-failed` /
 * `EPOCH_CHANGED` (and reloads) instead of trusting its id.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import SqliteDatabase from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase, setDbHandle, type DbHandle } from "../db";
import { logPosition } from "../events";
import { openTestDb, testTargets, type TestDb } from "../testing/db";
import { makePartner, makeToken, placeOrder } from "../testing/fixtures";
import { startTestNode } from "../testing/node";
import { openSse } from "../testing/sse-client";
import { backup, markServerRunning, restore, runningServers } from ".";

for (const target of testTargets()) {
  (target.skipReason ? describe.skip : describe)(`backup and restore on ${target.label}`, () => {
    let t: TestDb;
    let reopened: DbHandle | undefined;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pass-backup-"));
    afterAll(async () => {
      await reopened?.destroy();
      await t?.cleanup();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it("backup under write load, restore: every acknowledged order is back, the epoch is new, an open stream resets", async () => {
      t = await openTestDb(target.dialect);
      const where = { dataDir: t.config.dataDir, databaseUrl: t.config.databaseUrl };
      const p = await makePartner(t.db, "bk");
      const acknowledged: number[] = [];
      let writing = true;
      let failure: unknown = null;
      const writer = async () => {
        try {
          while (writing && !failure) {
            acknowledged.push((await placeOrder(t.db, p)).order.id);
            // SQLite's driver is synchronous underneath: yield to timers and I/O as requests would.
            await new Promise((r) => setImmediate(r));
          }
        } catch (err) {
          failure = err;
        }
      };
      const writers = [writer(), writer(), writer()];
      const reach = async (n: number) => {
        const deadline = Date.now() + 20_000;
        while (acknowledged.length < n && !failure && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
        if (failure) throw failure;
        expect(acknowledged.length).toBeGreaterThanOrEqual(n);
      };
      await reach(30);

      const before = [...acknowledged];
      const file = path.join(dir, `pass-${target.dialect}.backup`);
      const done = await backup(where, file);
      const duringBackup = acknowledged.length - before.length;
      // More commits after the backup: these are not in it.
      const afterBackup = acknowledged.length;
      await reach(afterBackup + 10).finally(() => (writing = false));
      await Promise.all(writers);
      expect(failure).toBeNull();
      const old = await logPosition({ db: t.db });
      expect(old.epoch).toBe(done.epoch);
      expect(done.lastEventId).toBeGreaterThan(0);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      // A second backup never overwrites a file.
      await expect(backup(where, file)).rejects.toThrow(/already exists/);

      // Refused while a server is marked on the data dir, and for anything that is not a backup.
      const release = markServerRunning(t.config.dataDir);
      await expect(restore(where, file)).rejects.toThrow(new RegExp(`a Pass server \\(pid ${process.pid}.*is running on`));
      release();
      expect(runningServers(t.config.dataDir)).toEqual([]);
      const text = path.join(dir, "notes.txt");
      fs.writeFileSync(text, "not a backup\n");
      await expect(restore(where, text)).rejects.toThrow(/notes\.txt is not a Pass backup; nothing was changed/);
      const foreign = path.join(dir, "other.sqlite");
      const other = new SqliteDatabase(foreign);
      other.exec("create table x (a)");
      other.close();
      await expect(restore(where, foreign)).rejects.toThrow(/other\.sqlite is not a Pass backup/);
      // Nothing changed by the refusals.
      expect(await logPosition({ db: t.db })).toEqual(old);

      // A mark of a process that is gone (SIGKILL) does not block.
      fs.writeFileSync(path.join(t.config.dataDir, "servers", "999999999"), "{}");
      if (target.dialect === "sqlite") await t.destroy(); // SQLite: the file is replaced under the server's feet otherwise
      const restored = await restore(where, file);
      expect(restored.epoch).not.toBe(old.epoch);
      expect(restored.lastEventId).toBe(done.lastEventId);
      if (target.dialect === "sqlite") expect(fs.existsSync(restored.previous!)).toBe(true);

      reopened = openDatabase(where);
      setDbHandle(reopened);
      const ids = new Set((await reopened.db.selectFrom("orders").select("id").execute()).map((o) => Number(o.id)));
      const missing = before.filter((id) => !ids.has(id));
      expect(missing).toEqual([]);
      // The backup is one snapshot: orders committed after it returned are not in it.
      expect(acknowledged.slice(afterBackup).filter((id) => ids.has(id))).toEqual([]);
      expect(ids.size).toBeLessThanOrEqual(before.length + duringBackup);
      const position = await logPosition({ db: reopened.db });
      expect(position).toEqual({ lastEventId: done.lastEventId, epoch: restored.epoch });

      // A screen that followed the newer log resumes with its id and epoch: told to reload.
      const node = await startTestNode({ db: reopened.db });
      try {
        const { token } = await makeToken(reopened.db, { partnerId: p.partner.id, role: "operator" });
        const stream = await openSse(
          `${node.url}/api/events/cashier?lastEventId=${old.lastEventId}&epoch=${encodeURIComponent(old.epoch)}`,
          {
            headers: { authorization: `Bearer ${token}` },
          },
        );
        expect(stream.status).toBe(200);
        const events = await stream.waitFor((es) => es.some((e) => e.event === "connected"));
        const failed = events.find((e) => e.event === "replay-failed");
        expect(failed?.json.reason).toBe("EPOCH_CHANGED");
        expect(events.find((e) => e.event === "connected")?.json.epoch).toBe(restored.epoch);
        stream.cut();
      } finally {
        await node.close();
      }
    }, 60_000);
  });
}
