/**
 * The lockout notice (issue "Security hardening", item 3): when the failed sign-ins of an account
 * or an address reach their limit, the dashboard's GET /api/auth/lockouts shows which account, how
 * many failures, from which address, when and until when — to admins every one, to an operator
 * only their own partner's accounts. Kept in the database (every node sees it), one row per
 * account or address, gone after a day. Route handlers on SQLite and PostgreSQL.
 */
import { afterEach, beforeAll, expect, it } from "vitest";
import { listLockouts, recordLockout } from "@/lib/auth";
import { LOCKOUT_NOTICE_MS, MAX_ROWS, pruneLockouts } from "@/lib/auth/lockouts";
import { createLimits, scaledRules, setLimits } from "@/lib/limits";
import { fromAddress } from "@/lib/testing/db";
import { describeEachDatabase } from "@/lib/testing/each-database";
import { makePartner, makeToken, makeUser, type TestPartner } from "@/lib/testing/fixtures";
import * as loginRoute from "./auth/login/route";
import * as lockoutsRoute from "./auth/lockouts/route";

const ORIGIN = "http://pass.test";
const ctxParams = { params: Promise.resolve({}) };

function signIn(username: string, password: string, address: string) {
  return loginRoute.POST(
    new Request(`${ORIGIN}/api/auth/login`, {
      method: "POST",
      headers: { host: "pass.test", "content-type": "application/json", ...fromAddress(address) },
      body: JSON.stringify({ username, password }),
    }),
    ctxParams,
  );
}

async function lockouts(headers: Record<string, string>) {
  const res = await lockoutsRoute.GET(
    new Request(`${ORIGIN}/api/auth/lockouts`, { headers: { host: "pass.test", ...headers } }),
    ctxParams,
  );
  return { status: res.status, body: await res.json() };
}

describeEachDatabase("sign-in lockout notices", (ctx) => {
  let demo: TestPartner;
  let other: TestPartner;
  const as: Record<string, Record<string, string>> = {};

  beforeAll(async () => {
    demo = await makePartner(ctx.db, "demo");
    other = await makePartner(ctx.db, "other");
    await makeUser(ctx.db, { partnerId: null, role: "admin", username: "boss" });
    await makeUser(ctx.db, { partnerId: null, role: "admin", username: "root" });
    await makeUser(ctx.db, { partnerId: demo.partner.id, role: "operator", username: "op" });
    await makeUser(ctx.db, { partnerId: demo.partner.id, role: "operator", username: "ana" });
    await makeUser(ctx.db, { partnerId: demo.partner.id, role: "kitchen", username: "chef" });
    await makeUser(ctx.db, { partnerId: other.partner.id, role: "operator", username: "otherop" });
    await makeUser(ctx.db, { partnerId: other.partner.id, role: "operator", username: "bob" });
    setLimits(createLimits({ rules: scaledRules(1000) }));
    for (const username of ["boss", "op", "chef", "otherop"]) {
      const res = await signIn(username, "fixture-pass-4821", "192.0.2.1");
      expect(res.status).toBe(200);
      as[username] = { cookie: res.headers.get("set-cookie")!.split(";")[0]! };
    }
    as.operatorToken = { authorization: `Bearer ${(await makeToken(ctx.db, { partnerId: demo.partner.id, role: "operator" })).token}` };
    as.printerToken = { authorization: `Bearer ${(await makeToken(ctx.db, { partnerId: demo.partner.id, role: "printer" })).token}` };
  });
  afterEach(() => setLimits(createLimits({ rules: scaledRules(1000) })));

  const failTimes = async (n: number, username: string, address: string) => {
    for (let i = 0; i < n; i++) expect((await signIn(username, "wrong-password", address)).status).toBe(401);
  };

  it("an account that reaches its limit is shown: which, how many failures, from where, when and until when", async () => {
    setLimits(createLimits({ rules: { "login:account": { points: 3, durationS: 900 }, "login:ip": { points: 1000, durationS: 900 } } }));
    const before = Date.now();
    await failTimes(2, "ana", "203.0.113.7");
    expect((await lockouts(as.boss!)).body.lockouts).toEqual([]);
    await failTimes(1, "ANA", "203.0.113.8");
    expect((await signIn("ana", "fixture-pass-4821", "203.0.113.8")).status).toBe(429);

    const { status, body } = await lockouts(as.boss!);
    expect(status).toBe(200);
    expect(body.lockouts).toEqual([
      {
        kind: "account",
        username: "ana",
        knownUser: true,
        address: "203.0.113.8",
        failures: 3,
        lockedAt: expect.any(String),
        lockedUntil: expect.any(String),
        active: true,
      },
    ]);
    const [notice] = body.lockouts;
    expect(Date.parse(notice.lockedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(notice.lockedUntil) - Date.parse(notice.lockedAt)).toBeGreaterThan(890_000);
    expect(Date.parse(notice.lockedUntil) - Date.parse(notice.lockedAt)).toBeLessThanOrEqual(901_000);

    // The account's partner's operators see it too (a session or an operator token); nobody else.
    expect((await lockouts(as.op!)).body.lockouts.map((l: { username: string }) => l.username)).toEqual(["ana"]);
    expect((await lockouts(as.operatorToken!)).body.lockouts.map((l: { username: string }) => l.username)).toEqual(["ana"]);
    expect((await lockouts(as.otherop!)).body.lockouts).toEqual([]);
    expect((await lockouts(as.chef!)).status).toBe(403);
    expect((await lockouts(as.printerToken!)).status).toBe(403);
    expect((await lockouts({})).status).toBe(401);
  });

  it("unknown usernames, admins' accounts and addresses are shown to admins only", async () => {
    setLimits(createLimits({ rules: { "login:account": { points: 2, durationS: 900 }, "login:ip": { points: 4, durationS: 900 } } }));
    await failTimes(2, "ghost", "198.51.100.1");
    await failTimes(2, "root", "198.51.100.2");
    await failTimes(2, "bob", "198.51.100.3");
    // Four accounts from one address, once each: the address is locked, no account is.
    for (const u of ["n1", "n2", "n3", "n4"]) await failTimes(1, u, "198.51.100.9");

    const admin = (await lockouts(as.boss!)).body.lockouts as { kind: string; username: string; address: string; knownUser: boolean }[];
    const seen = (kind: string, username: string) => admin.find((l) => l.kind === kind && l.username === username);
    expect(seen("account", "ghost")).toMatchObject({ knownUser: false, address: "198.51.100.1" });
    expect(seen("account", "root")).toMatchObject({ knownUser: true, address: "198.51.100.2" });
    expect(seen("account", "bob")).toMatchObject({ knownUser: true });
    expect(seen("address", "n4")).toMatchObject({ address: "198.51.100.9", failures: 4 });

    const mine = ((await lockouts(as.op!)).body.lockouts as { username: string }[]).map((l) => l.username);
    expect(mine).not.toContain("ghost");
    expect(mine).not.toContain("root");
    expect(mine).not.toContain("bob");
    expect(mine).not.toContain("n4");
    expect(((await lockouts(as.otherop!)).body.lockouts as { username: string }[]).map((l) => l.username)).toEqual(["bob"]);
  });

  it("one row per account, replaced when it is locked again; rows go after a day, and never number more than MAX_ROWS", async () => {
    setLimits(createLimits({ rules: { "login:account": { points: 2, durationS: 900 }, "login:ip": { points: 1000, durationS: 900 } } }));
    await failTimes(2, "ana", "203.0.113.20");
    setLimits(createLimits({ rules: { "login:account": { points: 2, durationS: 900 }, "login:ip": { points: 1000, durationS: 900 } } }));
    await failTimes(2, "ana", "203.0.113.21");
    const rows = await ctx.db.selectFrom("loginLockouts").selectAll().where("kind", "=", "account").where("subject", "=", "ana").execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ address: "203.0.113.21", failures: 2 });

    // A day later the notices are gone, from the list and from the table.
    const later = new Date(Date.now() + LOCKOUT_NOTICE_MS + 60_000);
    const admin = (await makeUser(ctx.db, { partnerId: null, role: "admin", username: "auditor" })).principal;
    expect(await listLockouts({ db: ctx.db, principal: admin, now: later })).toEqual([]);
    await recordLockout({ db: ctx.db, kind: "address", username: "x", address: "10.9.9.9", failures: 5, lockedUntil: later, now: later });
    expect((await ctx.db.selectFrom("loginLockouts").select("subject").execute()).map((r) => r.subject)).toEqual(["10.9.9.9"]);

    // A flood of distinct usernames keeps the newest MAX_ROWS.
    const base = Date.now();
    const flood = Array.from({ length: MAX_ROWS + 20 }, (_, i) => ({
      kind: "account",
      subject: `spray${i}`,
      partnerId: null,
      knownUser: 0,
      username: `spray${i}`,
      address: "10.0.0.1",
      failures: 10,
      lockedAt: new Date(base + i).toISOString(),
      lockedUntil: new Date(base + i + 900_000).toISOString(),
    }));
    for (let i = 0; i < flood.length; i += 200)
      await ctx.db
        .insertInto("loginLockouts")
        .values(flood.slice(i, i + 200))
        .execute();
    await pruneLockouts({ db: ctx.db, now: new Date(base) });
    const left = await ctx.db.selectFrom("loginLockouts").select("subject").execute();
    expect(left).toHaveLength(MAX_ROWS);
    expect(left.map((r) => r.subject)).not.toContain("spray0");
    expect(left.map((r) => r.subject)).toContain(`spray${MAX_ROWS + 19}`);
  });
});
