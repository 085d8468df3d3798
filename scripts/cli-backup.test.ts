/** `npm run pass -- backup FILE` / `restore FILE` at the command line: one FILE, one clear line on a refusal. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { runCli } from "./cli-commands";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pass-cli-backup-"));

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  let opened = 0;
  const code = await runCli(argv, {
    open: async () => {
      opened++;
      throw new Error("backup and restore never open the database through a connection");
    },
    target: () => ({ dataDir, databaseUrl: null }),
    io: { out: (l) => out.push(l), err: (l) => err.push(l) },
  });
  return { code, out, err, opened };
}

it.each([
  [["backup"], "pass: backup takes one FILE"],
  [["restore", "a", "b"], "pass: restore takes one FILE"],
  [["restore", "/nonexistent/pass.backup"], "pass: /nonexistent/pass.backup: no such file"],
  [["backup", "/nonexistent/dir/pass.backup"], "pass: /nonexistent/dir/pass.backup: the folder /nonexistent/dir does not exist"],
  [["backup", path.join(dataDir, "b.backup"), "--partner", "demo"], "pass: backup takes no options"],
])("%j → %s", async (argv, line) => {
  const r = await run(...argv);
  expect(r.code).toBe(1);
  expect(r.err).toEqual([line]);
  expect(r.opened).toBe(0);
});

it("a backup of a data dir with no database says so", async () => {
  const r = await run("backup", path.join(dataDir, "x.backup"));
  expect(r.err).toEqual([`pass: no database at ${path.join(dataDir, "pass.sqlite")}`]);
});
