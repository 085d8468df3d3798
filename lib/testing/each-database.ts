/**
 * The one "on each database" setup for vitest: a describe block that runs once per test target
 * (SQLite always; PostgreSQL when DATABASE_URL is set, a visible skip otherwise, an error with
 * REQUIRE_SERVICES=1 — see testTargets), with a fresh migrated database opened before the block
 * and destroyed after it.
 *
 *   describeEachDatabase("orders domain", (ctx) => {
 *     it("…", async () => { await placeOrder(ctx.db, demo) });
 *   });
 *
 * `useTestDb` is the same setup for one dialect inside the describe block you are in (tests
 * that only run on SQLite, or with their own list of targets).
 */
import { afterAll, beforeAll, describe } from "vitest";
import type { Db, Dialect } from "../db";
import { openTestDb, testTargets, type TestDb, type TestTarget } from "./db";

export type DbContext<T extends { dialect: Dialect } = TestTarget> = {
  /** The target this block runs on (its dialect, label and any extra fields a caller added). */
  readonly target: T;
  readonly dialect: Dialect;
  /** The open test database (handle, config, cleanup); only inside hooks and tests. */
  readonly t: TestDb;
  /** Shorthand for `t.db`; only inside hooks and tests. */
  readonly db: Db;
};

/**
 * Opens (and migrates) a test database for `target` before the current describe block's own
 * beforeAll hooks, and destroys it after its afterAll hooks (vitest runs before-hooks in the
 * order they were registered and after-hooks in reverse).
 */
export function useTestDb<T extends { dialect: Dialect }>(target: T | Dialect): DbContext<T> {
  const resolved = (typeof target === "string" ? { dialect: target } : target) as T;
  let opened: TestDb | undefined;
  beforeAll(async () => {
    opened = await openTestDb(resolved.dialect);
  });
  afterAll(async () => {
    await opened?.cleanup();
    opened = undefined;
  });
  const current = () => {
    if (!opened) throw new Error("the test database is only open inside hooks and tests");
    return opened;
  };
  return {
    target: resolved,
    dialect: resolved.dialect,
    get t() {
      return current();
    },
    get db() {
      return current().db;
    },
  };
}

type Target = { dialect: Dialect; label: string } & ({ skipReason: string | null } | { skip: string | null });

/**
 * `describe(`${name} on ${label}`)` once per target (or `name` with `$label` replaced, when it
 * has one: "realtime, $label"), each with its own test database. A target
 * with a skip reason becomes a skipped block (its tests are listed as skipped; nothing is opened).
 * `targets` defaults to testTargets(); callers may pass their own (e.g. with a message bus each).
 */
export function describeEachDatabase<T extends Target = TestTarget>(
  name: string,
  body: (ctx: DbContext<T>) => void,
  { targets = testTargets() as unknown as T[] }: { targets?: T[] } = {},
): void {
  for (const target of targets) {
    const skipReason = "skipReason" in target ? target.skipReason : target.skip;
    const title = name.includes("$label") ? name.replaceAll("$label", target.label) : `${name} on ${target.label}`;
    (skipReason ? describe.skip : describe)(title, () => {
      body(useTestDb(target));
    });
  }
}
