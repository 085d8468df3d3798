import { describe, expect, it } from "vitest";
import type { Principal } from "../auth/access";
import { businessDay } from "./business-day";
import { businessDayStart, deviceKeyOf, deviceState, gapEndedBy, groupDevices, PRESENCE, type TabRow, tabOnline } from "./presence";

const T0 = Date.parse("2026-03-10T12:00:00.000Z");
const iso = (ms: number) => new Date(ms).toISOString();
let n = 0;
const tab = (over: Partial<TabRow> = {}): TabRow => ({
  id: `tab-${++n}`,
  deviceKey: "token:tv1:browser-a",
  partnerId: "p1",
  name: "kitchen:grill",
  who: "Grill TV",
  tokenId: "tv1",
  lastSeenAt: iso(T0),
  lastEventId: 10,
  soundUnlocked: 1,
  awake: 1,
  visible: 1,
  closedAt: null,
  ...over,
});

const chef: Principal = { kind: "user", userId: "u1", username: "chef", role: "kitchen", partnerId: "p1" };
const tv: Principal = { kind: "token", tokenId: "tv1", name: "Grill TV", role: "kitchen", partnerId: "p1", channels: ["kitchen"] };

describe("device keys", () => {
  it("a token in one browser is one device whatever its tabs show; a person's screen is user + browser + screen", () => {
    expect(deviceKeyOf(tv, { deviceId: "b1", screenId: "s1", screen: "kitchen:grill" })).toBe("token:tv1:b1");
    expect(deviceKeyOf(tv, { deviceId: "b1", screenId: "s2", screen: "dashboard" })).toBe("token:tv1:b1");
    expect(deviceKeyOf(chef, { deviceId: "b1", screenId: "s1", screen: "kitchen:grill" })).toBe("user:u1:b1:kitchen:grill");
    expect(deviceKeyOf(chef, { deviceId: "b1", screenId: "s9", screen: "kitchen:grill" })).toBe("user:u1:b1:kitchen:grill");
    expect(deviceKeyOf(chef, { deviceId: "b2", screenId: "s1", screen: "kitchen:grill" })).not.toBe("user:u1:b1:kitchen:grill");
    // An old client without a browser id: each tab is its own device.
    expect(deviceKeyOf(chef, { screenId: "s1", screen: "cashier" })).toBe("user:u1:tab-s1:cashier");
  });
});

describe("on line", () => {
  it("a visible tab is gone 25 s after its last heartbeat, a hidden one after 90 s, a closed one at once", () => {
    expect(tabOnline(tab(), T0 + PRESENCE.visibleTtlMs)).toBe(true);
    expect(tabOnline(tab(), T0 + PRESENCE.visibleTtlMs + 1)).toBe(false);
    expect(tabOnline(tab({ visible: 0 }), T0 + 60_000)).toBe(true);
    expect(tabOnline(tab({ visible: 0 }), T0 + PRESENCE.hiddenTtlMs + 1)).toBe(false);
    expect(tabOnline(tab({ closedAt: iso(T0) }), T0)).toBe(false);
  });

  it("a device is on line while one of its tabs is; gone since its last tab's last word, closed or lost", () => {
    expect(deviceState([], T0)).toBeNull();
    expect(deviceState([tab({ closedAt: iso(T0) }), tab()], T0 + 1000)).toEqual({ online: true });
    const lost = deviceState([tab({ lastSeenAt: iso(T0 - 5000), closedAt: iso(T0 - 5000) }), tab()], T0 + 30_000);
    expect(lost).toMatchObject({ online: false, wentAt: iso(T0), reason: "lost" });
    const closed = deviceState([tab({ lastSeenAt: iso(T0 - 30_000) }), tab({ lastSeenAt: iso(T0), closedAt: iso(T0) })], T0 + 1000);
    expect(closed).toMatchObject({ online: false, wentAt: iso(T0), reason: "closed" });
  });

  it("a return after a gap is a disconnect; a reload (a gap of a second or two) is not", () => {
    const closedTab = tab({ closedAt: iso(T0) });
    expect(gapEndedBy([closedTab], T0 + 2000)).toBeNull();
    expect(gapEndedBy([closedTab], T0 + PRESENCE.minGapMs)).toMatchObject({ wentAt: iso(T0), reason: "closed" });
    expect(gapEndedBy([tab()], T0 + 10_000)).toBeNull(); // still on line: no gap
    expect(gapEndedBy([tab()], T0 + 40_000)).toMatchObject({ wentAt: iso(T0), reason: "lost" });
    expect(gapEndedBy([], T0)).toBeNull(); // a new device
  });
});

describe("groupDevices", () => {
  const tokenNames = new Map([["tv1", "Grill TV (renamed)"]]);

  it("lists a device once, by its token's current name, with its tabs, the worst lag, sound and wake", () => {
    const rows = [
      tab({ lastSeenAt: iso(T0 - 3000), lastEventId: 7 }),
      tab({ name: "dashboard", lastSeenAt: iso(T0 - 1000), lastEventId: 9, soundUnlocked: 0 }),
      tab({ closedAt: iso(T0 - 2000), lastSeenAt: iso(T0 - 2000) }),
    ];
    const { online, offline } = groupDevices(rows, { nowMs: T0, logPosition: 10, tokenNames });
    expect(offline).toEqual([]);
    expect(online).toHaveLength(1);
    expect(online[0]).toMatchObject({
      key: "token:tv1:browser-a",
      kind: "token",
      name: "Grill TV (renamed)",
      screen: "dashboard",
      screens: ["dashboard", "kitchen:grill"],
      tabs: 2,
      behind: 3,
      soundUnlocked: false,
      awake: true,
      lastSeenAt: iso(T0 - 1000),
    });
  });

  it("a person's screen has no name of its own; a printer page's silence is not 'sound off'; null lag until it reads", () => {
    const rows = [
      tab({ deviceKey: "user:u1:b:printer", tokenId: null, who: "chef", name: "printer", soundUnlocked: 0, lastEventId: null }),
      tab({ deviceKey: "user:u1:b:kitchen", tokenId: null, who: "chef", name: "kitchen", lastEventId: 10 }),
    ];
    const { online } = groupDevices(rows, { nowMs: T0, logPosition: 10, tokenNames });
    expect(online.map((d) => [d.kind, d.name, d.screen, d.soundUnlocked, d.behind])).toEqual([
      ["user", null, "kitchen", true, 0],
      ["user", null, "printer", true, null],
    ]);
  });

  it("a device whose tabs all closed or went silent is off line, newest first, with why", () => {
    const rows = [
      tab({ deviceKey: "token:tv2:b", tokenId: "tv2", who: "Bar TV", lastSeenAt: iso(T0 - 60_000) }),
      tab({ deviceKey: "token:tv1:b", lastSeenAt: iso(T0 - 5000), closedAt: iso(T0 - 5000) }),
      tab({ deviceKey: "tab:old", tokenId: null, who: "op", name: "cashier" }),
    ];
    const { online, offline } = groupDevices(rows, { nowMs: T0, logPosition: 10, tokenNames });
    expect(online.map((d) => d.key)).toEqual(["tab:old"]);
    expect(offline).toEqual([
      {
        key: "token:tv1:b",
        kind: "token",
        name: "Grill TV (renamed)",
        who: "Grill TV",
        screen: "kitchen:grill",
        wentAt: iso(T0 - 5000),
        reason: "closed",
      },
      {
        key: "token:tv2:b",
        kind: "token",
        name: "Bar TV",
        who: "Bar TV",
        screen: "kitchen:grill",
        wentAt: iso(T0 - 60_000),
        reason: "lost",
      },
    ]);
  });

  it("rows from before presence (no device key) are each their own device", () => {
    const rows = [tab({ id: "a", deviceKey: null }), tab({ id: "b", deviceKey: null })];
    expect(groupDevices(rows, { nowMs: T0, logPosition: 10, tokenNames }).online.map((d) => d.key)).toEqual(["tab:a", "tab:b"]);
  });
});

describe("businessDayStart", () => {
  it("is the last cut-over: the same day as businessDay, across midnight and DST", () => {
    const cases: [string, string, number, string][] = [
      // 01:30 in Paris with a 04:00 cut-over still belongs to the day before.
      ["2026-03-11T00:30:00Z", "Europe/Paris", 4, "2026-03-10T03:00:00.000Z"],
      ["2026-03-11T03:00:00Z", "Europe/Paris", 4, "2026-03-11T03:00:00.000Z"],
      ["2026-03-11T02:59:59Z", "Europe/Paris", 4, "2026-03-10T03:00:00.000Z"],
      // The night clocks go forward (29 March 2026, 02:00 → 03:00 in Paris): a 23-hour day.
      ["2026-03-29T12:00:00Z", "Europe/Paris", 4, "2026-03-29T02:00:00.000Z"],
      ["2026-03-29T01:00:00Z", "Europe/Paris", 4, "2026-03-28T03:00:00.000Z"],
      ["2026-07-01T12:00:00Z", "America/New_York", 0, "2026-07-01T04:00:00.000Z"],
      ["2026-07-01T12:00:00Z", "UTC", 0, "2026-07-01T00:00:00.000Z"],
    ];
    for (const [now, timezone, cutoverHour, start] of cases) {
      const nowMs = Date.parse(now);
      const got = businessDayStart({ nowMs, timezone, cutoverHour });
      expect(got.toISOString(), `${now} ${timezone}`).toBe(start);
      expect(businessDay({ at: got, timezone, cutoverHour })).toBe(businessDay({ at: new Date(nowMs), timezone, cutoverHour }));
      expect(businessDay({ at: new Date(got.getTime() - 1000), timezone, cutoverHour })).not.toBe(
        businessDay({ at: got, timezone, cutoverHour }),
      );
    }
  });
});
