import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import SqliteDatabase from "better-sqlite3";
import { afterEach, expect, it } from "vitest";
import { withStatementCache } from "./connection";

let dir: string | undefined;
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function open() {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "pass-stmt-"));
  const raw = new SqliteDatabase(path.join(dir, "t.sqlite"));
  let prepared = 0;
  const counting = new Proxy(raw, {
    get(target, prop) {
      if (prop === "prepare") return (sql: string) => (prepared++, target.prepare(sql));
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { db: withStatementCache(counting, 3), prepared: () => prepared };
}

it("prepares a statement once and reuses it, keeping the newest few", () => {
  const { db, prepared } = open();
  db.prepare("create table t (a integer)").run();
  for (let i = 0; i < 5; i++) db.prepare("insert into t (a) values (?)").run(i);
  expect(db.prepare("select count(*) as n from t").get()).toEqual({ n: 5 });
  expect(prepared()).toBe(3);
  // Past the bound the least recently used goes (here the create), and is prepared again if used.
  db.prepare("select 1 as x").get();
  db.prepare("select count(*) as n from t").get();
  expect(prepared()).toBe(4);
  db.prepare("insert into t (a) values (?)").run(9);
  expect(prepared()).toBe(4);
  db.prepare("create table if not exists t (a integer)").run();
  expect(prepared()).toBe(5);
  db.close();
});

it("a statement still iterating is not handed out again, and a schema change is seen", () => {
  const { db } = open();
  db.prepare("create table t (a integer)").run();
  for (let i = 0; i < 3; i++) db.prepare("insert into t (a) values (?)").run(i);
  const seen: number[] = [];
  for (const row of db.prepare("select a from t order by a").iterate() as Iterable<{ a: number }>) {
    // The same SQL while the first is busy: a fresh statement, no "statement is busy" error.
    seen.push(row.a, (db.prepare("select a from t order by a").all() as { a: number }[]).length);
  }
  expect(seen).toEqual([0, 3, 1, 3, 2, 3]);
  expect(db.prepare("select * from t order by a").all()[0]).toEqual({ a: 0 });
  db.prepare("alter table t add column b text").run();
  expect(db.prepare("select * from t order by a").all()[0]).toEqual({ a: 0, b: null });
  db.close();
});
