/**
 * The health panel's presence on both databases (lib/orders/presence.ts for the rules, tested
 * pure in presence.test.ts): devices listed once by name, closed tabs gone at once, silent ones
 * after 25 s, the day's disconnects stored once however many tabs or nodes notice.
 */
import { beforeAll, expect, it } from "vitest";
import type { Principal } from "../auth";
import { renameDevice } from "../auth/devices";
import { openDatabase } from "../db";
import { describeEachDatabase } from "../testing/each-database";
import { makePartner, makeToken, makeUser, type TestPartner } from "../testing/fixtures";
import { PRESENCE } from "./presence";
import { type Heartbeat, listScreens, recordHeartbeat } from "./screens";

describeEachDatabase("presence: the health panel's devices and disconnects", (t) => {
  let demo: TestPartner;
  let operator: Principal;
  let chef: Principal;
  let otherOperator: Principal;
  let tv: Principal;
  let tvId: string;

  beforeAll(async () => {
    // A 04:00 cut-over in Paris: "today" starts at the last cut-over, not at midnight.
    demo = await makePartner(t.db, "demo", { timezone: "Europe/Paris", cutoverHour: 4 });
    const other = await makePartner(t.db, "other");
    operator = (await makeUser(t.db, { partnerId: demo.partner.id, role: "operator", username: "op" })).principal;
    chef = (await makeUser(t.db, { partnerId: demo.partner.id, role: "kitchen", username: "chef" })).principal;
    otherOperator = (await makeUser(t.db, { partnerId: other.partner.id, role: "operator", username: "op2" })).principal;
    const token = await makeToken(t.db, { partnerId: demo.partner.id, role: "kitchen" });
    tvId = token.id;
    await renameDevice({ db: t.db, principal: operator, id: token.id, name: "Grill TV" });
    tv = { kind: "token", tokenId: token.id, name: "Grill TV", role: "kitchen", partnerId: demo.partner.id, channels: token.channels };
  });

  // 14:00 in Paris (winter): the business day began at 04:00 local, 03:00 UTC.
  const base = Date.parse("2026-01-15T13:00:00.000Z");
  const at = (s: number) => new Date(base + s * 1000);
  const beat = (screenId: string, deviceId: string, screen: string, over: Partial<Heartbeat> = {}): Heartbeat => ({
    screenId,
    deviceId,
    screen,
    lastEventId: null,
    soundUnlocked: true,
    awake: true,
    visible: true,
    ...over,
  });
  const panel = (s: number, principal = operator) => listScreens({ db: t.db, principal, now: at(s) });

  it("a device with two tabs is listed once, by its token's name; renaming it renames it on the panel", async () => {
    await recordHeartbeat({ db: t.db, principal: tv, beat: beat("tv-tab-0001", "tv-browser-1", "kitchen:grill"), now: at(0) });
    await recordHeartbeat({ db: t.db, principal: tv, beat: beat("tv-tab-0002", "tv-browser-1", "kitchen:grill"), now: at(1) });
    const { devices } = await panel(2);
    const mine = devices.filter((d) => d.key.startsWith(`token:${tvId}:`));
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ kind: "token", name: "Grill TV", screen: "kitchen:grill", tabs: 2 });
    await renameDevice({ db: t.db, principal: operator, id: tvId, name: "Grill wall TV" });
    expect((await panel(3)).devices.find((d) => d.key === mine[0]!.key)?.name).toBe("Grill wall TV");
    // Another partner sees none of it, and cannot rename it (the same 404 as for a token that does not exist).
    expect((await panel(3, otherOperator)).devices).toEqual([]);
    await expect(renameDevice({ db: t.db, principal: otherOperator, id: tvId, name: "Mine now" })).rejects.toMatchObject({
      status: 404,
      details: { field: "id" },
    });
    await expect(renameDevice({ db: t.db, principal: operator, id: tvId, name: " \n " })).rejects.toMatchObject({
      status: 400,
      details: { field: "name" },
    });
    // Nor may a kitchen user rename devices.
    await expect(renameDevice({ db: t.db, principal: chef, id: tvId, name: "Chef's TV" })).rejects.toMatchObject({ status: 403 });
    expect((await panel(3)).devices.find((d) => d.key === mine[0]!.key)?.name).toBe("Grill wall TV");
  });

  it("a closed tab leaves at once; the device stays while another tab is open, and goes with its last", async () => {
    await recordHeartbeat({
      db: t.db,
      principal: tv,
      beat: beat("tv-tab-0002", "tv-browser-1", "kitchen:grill", { closing: true }),
      now: at(10),
    });
    const one = (await panel(10)).devices.find((d) => d.key === `token:${tvId}:tv-browser-1`);
    expect(one).toMatchObject({ tabs: 1 });
    // Another partner's "close" of that tab changes nothing.
    const stranger: Principal = { ...otherOperator };
    await recordHeartbeat({
      db: t.db,
      principal: stranger,
      beat: beat("tv-tab-0001", "x-browser-1", "kitchen:grill", { closing: true }),
      now: at(11),
    });
    expect((await panel(11)).devices.find((d) => d.key === `token:${tvId}:tv-browser-1`)).toMatchObject({ tabs: 1 });
    await recordHeartbeat({
      db: t.db,
      principal: tv,
      beat: beat("tv-tab-0001", "tv-browser-1", "kitchen:grill", { closing: true }),
      now: at(12),
    });
    const after = await panel(12);
    expect(after.devices.find((d) => d.key === `token:${tvId}:tv-browser-1`)).toBeUndefined();
    expect(after.disconnects.find((d) => d.key === `token:${tvId}:tv-browser-1`)).toMatchObject({
      name: "Grill wall TV",
      wentAt: at(12).toISOString(),
      backAt: null,
      reason: "closed",
    });
  });

  it("back after the gap: the disconnect is stored once, however many tabs report at the same moment", async () => {
    await Promise.all([
      recordHeartbeat({ db: t.db, principal: tv, beat: beat("tv-tab-0003", "tv-browser-1", "kitchen:grill"), now: at(60) }),
      recordHeartbeat({ db: t.db, principal: tv, beat: beat("tv-tab-0004", "tv-browser-1", "kitchen:grill"), now: at(60) }),
    ]);
    const { devices, disconnects } = await panel(61);
    expect(devices.find((d) => d.key === `token:${tvId}:tv-browser-1`)).toMatchObject({ tabs: 2 });
    const gaps = disconnects.filter((d) => d.key === `token:${tvId}:tv-browser-1`);
    expect(gaps).toEqual([
      {
        key: `token:${tvId}:tv-browser-1`,
        kind: "token",
        name: "Grill wall TV",
        who: "Grill TV",
        screen: "kitchen:grill",
        wentAt: at(12).toISOString(),
        backAt: at(60).toISOString(),
        reason: "closed",
      },
    ]);
  });

  it("a tab that stops reporting is gone after 25 s (90 s when hidden); its return is a 'lost' disconnect", async () => {
    await recordHeartbeat({ db: t.db, principal: chef, beat: beat("chef-tab-0001", "chef-browser", "kitchen:fryer"), now: at(100) });
    const key = "kitchen:fryer";
    await recordHeartbeat({
      db: t.db,
      principal: chef,
      beat: beat("chef-tab-0002", "chef-browser", "dashboard", { visible: false }),
      now: at(100),
    });
    const seen = (s: number) => panel(s).then((p) => p.devices.filter((d) => d.who === "chef").map((d) => d.screen));
    expect(await seen(100 + PRESENCE.visibleTtlMs / 1000)).toEqual(["dashboard", key]);
    expect(await seen(100 + PRESENCE.visibleTtlMs / 1000 + 1)).toEqual(["dashboard"]);
    expect(await seen(100 + PRESENCE.hiddenTtlMs / 1000 + 1)).toEqual([]);
    // A person's screen is named by person + screen: a device of its own per screen.
    const gone = (await panel(200)).disconnects.filter((d) => d.who === "chef" && d.backAt === null);
    expect(gone.map((d) => [d.kind, d.name, d.screen, d.reason, d.wentAt]).sort()).toEqual([
      ["user", null, "dashboard", "lost", at(100).toISOString()],
      ["user", null, "kitchen:fryer", "lost", at(100).toISOString()],
    ]);
    await recordHeartbeat({ db: t.db, principal: chef, beat: beat("chef-tab-0001", "chef-browser", "kitchen:fryer"), now: at(300) });
    const back = (await panel(301)).disconnects.filter((d) => d.screen === "kitchen:fryer" && d.who === "chef");
    expect(back).toMatchObject([{ wentAt: at(100).toISOString(), backAt: at(300).toISOString(), reason: "lost" }]);
  });

  it("a reload (close, then the same tab again within seconds) is not a disconnect", async () => {
    await recordHeartbeat({ db: t.db, principal: chef, beat: beat("chef-tab-0009", "chef-browser-2", "cashier"), now: at(400) });
    await recordHeartbeat({
      db: t.db,
      principal: chef,
      beat: beat("chef-tab-0009", "chef-browser-2", "cashier", { closing: true }),
      now: at(405),
    });
    await recordHeartbeat({ db: t.db, principal: chef, beat: beat("chef-tab-0009", "chef-browser-2", "cashier"), now: at(406) });
    const p = await panel(407);
    expect(p.devices.filter((d) => d.key.includes("chef-browser-2"))).toHaveLength(1);
    expect(p.disconnects.filter((d) => d.key.includes("chef-browser-2"))).toEqual([]);
  });

  it("a heartbeat the closing page still had in flight does not reopen its tab; the reloaded page does", async () => {
    const b = (over: Partial<Heartbeat>) => beat("late-tab-0001", "late-browser", "cashier", over);
    await recordHeartbeat({ db: t.db, principal: chef, beat: b({ pageId: "page-one-0001" }), now: at(600) });
    await recordHeartbeat({ db: t.db, principal: chef, beat: b({ pageId: "page-one-0001", closing: true }), now: at(605) });
    // "hidden", sent just before "closing", arrives after it.
    await recordHeartbeat({ db: t.db, principal: chef, beat: b({ pageId: "page-one-0001", visible: false }), now: at(605) });
    expect((await panel(606)).devices.filter((d) => d.key.includes("late-browser"))).toEqual([]);
    await recordHeartbeat({ db: t.db, principal: chef, beat: b({ pageId: "page-two-0001" }), now: at(607) });
    expect((await panel(608)).devices.filter((d) => d.key.includes("late-browser"))).toHaveLength(1);
  });

  it("across nodes: a beat on one, the close on the other, the panel the same on both; a return both notice is stored once", async () => {
    // A second node: its own connection pool (or SQLite connection) to the same database.
    const other = openDatabase({ databaseUrl: t.t.config.databaseUrl, dataDir: t.t.config.dataDir });
    try {
      const b = (screenId: string, over: Partial<Heartbeat> = {}) => beat(screenId, "nodes-browser", "kitchen:grill", over);
      await recordHeartbeat({ db: t.db, principal: tv, beat: b("nodes-tab-0001"), now: at(700) });
      await recordHeartbeat({ db: other.db, principal: tv, beat: b("nodes-tab-0001", { closing: true }), now: at(701) });
      const key = `token:${tvId}:nodes-browser`;
      for (const db of [t.db, other.db]) {
        const p = await listScreens({ db, principal: operator, now: at(702) });
        expect(p.devices.find((d) => d.key === key)).toBeUndefined();
        expect(p.disconnects.find((d) => d.key === key)).toMatchObject({ backAt: null, reason: "closed" });
      }
      // Back: six tabs report at the same instant, three through each node.
      await Promise.all(
        [1, 2, 3, 4, 5, 6].map((i) =>
          recordHeartbeat({ db: i % 2 ? t.db : other.db, principal: tv, beat: b(`nodes-tab-000${i + 1}`), now: at(760) }),
        ),
      );
      const stored = await t.db.selectFrom("screenDisconnects").selectAll().where("deviceKey", "=", key).execute();
      expect(stored.map((g) => [g.wentAt, g.backAt, g.reason])).toEqual([[at(701).toISOString(), at(760).toISOString(), "closed"]]);
      const onB = await listScreens({ db: other.db, principal: operator, now: at(761) });
      expect(onB.devices.find((d) => d.key === key)).toMatchObject({ tabs: 6 });
    } finally {
      await other.destroy();
    }
  });

  it("the day's history starts at the partner's cut-over: yesterday's disconnects are not listed", async () => {
    // 02:00 UTC = 03:00 in Paris: still the previous business day (cut-over 04:00 local).
    const night = Date.parse("2026-01-15T02:00:00.000Z");
    const n = (s: number) => new Date(night + s * 1000);
    await recordHeartbeat({ db: t.db, principal: tv, beat: beat("tv-night-0001", "tv-browser-night", "kitchen:grill"), now: n(0) });
    await recordHeartbeat({
      db: t.db,
      principal: tv,
      beat: beat("tv-night-0001", "tv-browser-night", "kitchen:grill", { closing: true }),
      now: n(10),
    });
    await recordHeartbeat({ db: t.db, principal: tv, beat: beat("tv-night-0001", "tv-browser-night", "kitchen:grill"), now: n(120) });
    const before = await listScreens({ db: t.db, principal: operator, now: n(121) });
    expect(before.since).toBe("2026-01-14T03:00:00.000Z");
    expect(before.disconnects.filter((d) => d.key.includes("tv-browser-night"))).toHaveLength(1);
    const today = await panel(500);
    expect(today.since).toBe("2026-01-15T03:00:00.000Z");
    expect(today.disconnects.filter((d) => d.key.includes("tv-browser-night"))).toEqual([]);
  });
});
