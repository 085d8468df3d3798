/**
 * Who is on line, as the dashboard's health panel shows it (issue 17 item 3; docs/architecture.md
 * "Presence"). Pure: the rows come from the `screens` and `screenDisconnects` tables
 * (lib/orders/screens.ts reads and writes them), the clock is a parameter.
 *
 * - A **tab** is one open page (its id lives in the tab's sessionStorage). It reports every 10 s
 *   and, when it closes, once more with `closing` (a keepalive request on `pagehide`).
 * - A **device** is what a person in the restaurant points at: a device token in one browser (a
 *   paired TV, a named tablet: its name is the token's), or a signed-in person's screen in one
 *   browser ("chef · Kitchen · grill"). Its tabs share the browser's id (localStorage), so a
 *   device with two tabs open is listed once.
 * - A tab is **on line** while it has not closed and its last heartbeat is recent: 25 s for a
 *   visible page (two missed beats), 90 s for a hidden one (browsers throttle a hidden tab's
 *   timers to once a minute). A device is on line while one of its tabs is.
 * - A device whose tabs are all gone has **disconnected** at its last tab's last word (its close,
 *   or its last heartbeat). When a tab of it reports again, the gap is stored — unless it was
 *   shorter than 15 s (a reload closes and reopens the same tab within a second or two).
 */
import type { Principal } from "../auth/access";
import { nextCutover } from "./business-day";

export const PRESENCE = {
  /** A visible tab that has not reported for this long is gone (it reports every 10 s). */
  visibleTtlMs: 25_000,
  /** A hidden tab's timers may run only once a minute. */
  hiddenTtlMs: 90_000,
  /** Shorter gaps (a reload, a navigation) are not disconnects. */
  minGapMs: 15_000,
  /** Tab rows and disconnects older than this are deleted. */
  keepMs: 3 * 86_400_000,
} as const;

export type DeviceKind = "token" | "user" | "tab";

/** The device a tab belongs to; `deviceId` is the browser's (absent from old clients: each tab its own). */
export function deviceKeyOf(
  principal: Principal,
  { deviceId, screenId, screen }: { deviceId?: string; screenId: string; screen: string },
): string {
  const browser = deviceId ?? `tab-${screenId}`;
  return principal.kind === "token" ? `token:${principal.tokenId}:${browser}` : `user:${principal.userId}:${browser}:${screen}`;
}

export function kindOfKey(key: string | null): DeviceKind {
  if (key?.startsWith("token:")) return "token";
  if (key?.startsWith("user:")) return "user";
  return "tab";
}

export type TabRow = {
  id: string;
  deviceKey: string | null;
  partnerId: string | null;
  /** The screen it shows: "kitchen:grill", "dashboard", … */
  name: string;
  who: string;
  tokenId: string | null;
  lastSeenAt: string;
  lastEventId: number | null;
  soundUnlocked: number;
  awake: number;
  visible: number;
  closedAt: string | null;
  closedPage?: string | null;
};

const keyOf = (tab: TabRow) => tab.deviceKey ?? `tab:${tab.id}`;

export function tabOnline(tab: TabRow, nowMs: number): boolean {
  if (tab.closedAt !== null) return false;
  const ttl = tab.visible ? PRESENCE.visibleTtlMs : PRESENCE.hiddenTtlMs;
  return Date.parse(tab.lastSeenAt) >= nowMs - ttl;
}

export type Reason = "closed" | "lost";

/**
 * On line, or since when it is not and why: its last tab's last word — the close it sent, or
 * the last heartbeat before they stopped.
 */
export function deviceState(
  tabs: readonly TabRow[],
  nowMs: number,
): { online: true } | { online: false; wentAt: string; reason: Reason; last: TabRow } | null {
  if (tabs.length === 0) return null;
  if (tabs.some((t) => tabOnline(t, nowMs))) return { online: true };
  const last = tabs.reduce((a, b) => (lastWord(b) > lastWord(a) ? b : a));
  return { online: false, wentAt: lastWord(last), reason: last.closedAt ? "closed" : "lost", last };
}

const lastWord = (tab: TabRow) => (tab.closedAt && tab.closedAt > tab.lastSeenAt ? tab.closedAt : tab.lastSeenAt);

/**
 * A heartbeat arrives for a device whose tabs were `tabsBefore`: the gap it ends, if there was
 * one worth keeping (the device was gone, for at least `minGapMs`).
 */
export function gapEndedBy(tabsBefore: readonly TabRow[], nowMs: number): { wentAt: string; reason: Reason; last: TabRow } | null {
  const state = deviceState(tabsBefore, nowMs);
  if (!state || state.online) return null;
  if (nowMs - Date.parse(state.wentAt) < PRESENCE.minGapMs) return null;
  return { wentAt: state.wentAt, reason: state.reason, last: state.last };
}

export const disconnectId = (deviceKey: string, wentAt: string) => `${deviceKey}@${wentAt}`;

export type PresenceDevice = {
  key: string;
  kind: DeviceKind;
  /** The device's own name (its token's, as renamed in Settings); null for a person's screen. */
  name: string | null;
  /** Who it reports as: the token's name or the person's username. */
  who: string;
  /** The screen of its latest tab, and every screen its open tabs show. */
  screen: string;
  screens: string[];
  tabs: number;
  lastSeenAt: string;
  /** The furthest behind the log of its tabs; null while none reads the log yet. */
  behind: number | null;
  /** Every tab that plays sound has it on (a printer page has none to play). */
  soundUnlocked: boolean;
  awake: boolean;
};

export type OfflineDevice = {
  key: string;
  kind: DeviceKind;
  name: string | null;
  who: string;
  screen: string;
  wentAt: string;
  reason: Reason;
};

/**
 * The tab rows grouped by device: the devices on line (named, most recent first), and those
 * whose tabs are all gone (with since when and why).
 */
export function groupDevices(
  tabs: readonly TabRow[],
  { nowMs, logPosition, tokenNames }: { nowMs: number; logPosition: number; tokenNames: ReadonlyMap<string, string> },
): { online: PresenceDevice[]; offline: OfflineDevice[] } {
  const byKey = new Map<string, TabRow[]>();
  for (const t of tabs) {
    const list = byKey.get(keyOf(t)) ?? [];
    list.push(t);
    byKey.set(keyOf(t), list);
  }
  const online: PresenceDevice[] = [];
  const offline: OfflineDevice[] = [];
  for (const [key, rows] of byKey) {
    const kind = kindOfKey(key);
    const latest = rows.reduce((a, b) => (b.lastSeenAt > a.lastSeenAt ? b : a));
    const name = kind === "token" && latest.tokenId ? (tokenNames.get(latest.tokenId) ?? latest.who) : null;
    const state = deviceState(rows, nowMs)!;
    if (!state.online) {
      offline.push({ key, kind, name, who: state.last.who, screen: state.last.name, wentAt: state.wentAt, reason: state.reason });
      continue;
    }
    const live = rows.filter((t) => tabOnline(t, nowMs));
    const newest = live.reduce((a, b) => (b.lastSeenAt > a.lastSeenAt ? b : a));
    const reading = live.filter((t) => t.lastEventId !== null);
    const sounding = live.filter((t) => t.name !== "printer");
    online.push({
      key,
      kind,
      name,
      who: newest.who,
      screen: newest.name,
      screens: [...new Set(live.map((t) => t.name))].sort(),
      tabs: live.length,
      lastSeenAt: newest.lastSeenAt,
      behind: reading.length === 0 ? null : Math.max(0, ...reading.map((t) => logPosition - Number(t.lastEventId))),
      soundUnlocked: sounding.every((t) => Boolean(t.soundUnlocked)),
      awake: live.every((t) => Boolean(t.awake)),
    });
  }
  online.sort((a, b) => (a.name ?? a.who).localeCompare(b.name ?? b.who) || a.screen.localeCompare(b.screen) || a.key.localeCompare(b.key));
  offline.sort((a, b) => b.wentAt.localeCompare(a.wentAt));
  return { online, offline };
}

/**
 * The instant the partner's current business day began (its last cut-over, DST-aware: the same
 * rule as lib/orders/business-day.ts). Remembered until the day ends: the walk is a few hundred
 * time-zone conversions.
 */
const dayStarts = new Map<string, { start: number; end: number }>();
export function businessDayStart({ nowMs, timezone, cutoverHour }: { nowMs: number; timezone: string; cutoverHour: number }): Date {
  const memoKey = `${timezone}|${cutoverHour}`;
  const known = dayStarts.get(memoKey);
  if (known && known.start <= nowMs && nowMs < known.end) return new Date(known.start);
  // The cut-over after an instant 30 h ago is yesterday's or today's start (a day is 23–25 h).
  let start = nextCutover({ at: new Date(nowMs - 30 * 3_600_000), timezone, cutoverHour });
  for (
    let next = nextCutover({ at: start, timezone, cutoverHour });
    next.getTime() <= nowMs;
    next = nextCutover({ at: start, timezone, cutoverHour })
  )
    start = next;
  const end = nextCutover({ at: start, timezone, cutoverHour });
  dayStarts.set(memoKey, { start: start.getTime(), end: end.getTime() });
  return start;
}
