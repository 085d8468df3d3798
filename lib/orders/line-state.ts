import type { OrderStatus } from "./status";

/**
 * The station workflow as pure functions (issue "Station workflow", SPEC §2b): every line is cooked
 * in one or more parts — its food's station, and each station an option is cooked at — and each
 * part moves HELD → QUEUED → STARTED → DONE on its own station's screen. The order's status is
 * derived from its parts. The service (lib/orders/stations.ts) loads the parts, asks `plan` what
 * an action changes, writes that and its events in one transaction.
 */
export const PART_STATES = ["HELD", "QUEUED", "STARTED", "DONE"] as const;
export type PartState = (typeof PART_STATES)[number];

export type LinePart = {
  id: string;
  orderItemId: string;
  station: string;
  course: number;
  state: PartState;
  firedAt: string | null;
  startedAt: string | null;
  startedBy: string | null;
  doneAt: string | null;
  doneBy: string | null;
  /** Minutes this part should take once fired (its food's prep target, else its station's). */
  targetMinutes: number;
};

export type Thresholds = { warnPercent: number; latePercent: number };

/**
 * When a fired part's card turns "warning" and "late" (issue "Station workflow" item 4): at
 * warnPercent and latePercent of its target after it fired. Null while it is held.
 */
export function partDeadlines(p: Pick<LinePart, "firedAt" | "targetMinutes">, t: Thresholds): { warnAt: string; lateAt: string } | null {
  if (!p.firedAt) return null;
  const fired = Date.parse(p.firedAt);
  const at = (percent: number) => new Date(fired + (p.targetMinutes * 60_000 * percent) / 100).toISOString();
  return { warnAt: at(t.warnPercent), lateAt: at(t.latePercent) };
}

/** A part done after its late threshold (or still open past it at `now`): counted for reports. */
export function isLate(p: LinePart, t: Thresholds, now: Date): boolean {
  const d = partDeadlines(p, t);
  if (!d) return false;
  const end = p.doneAt ? Date.parse(p.doneAt) : now.getTime();
  return end > Date.parse(d.lateAt);
}

export const STATION_ACTIONS = ["start", "bump", "recall", "undo"] as const;
export type StationAction = (typeof STATION_ACTIONS)[number];

/** A bump can be taken back this long after it (a visible "Undo" on the card, the `U` key). */
export const UNDO_WINDOW_MS = 10_000;

export type Plan = {
  parts: LinePart[];
  /** Ids of the parts this action changed (fired courses included). */
  changed: string[];
  /** Courses fired by this action because the previous one was done. */
  fired: number[];
  status: OrderStatus;
};

export type Refusal = { refused: string; states: Record<string, PartState> };

type Who = { who: string; now: Date };

const OPEN: readonly OrderStatus[] = ["CONFIRMED", "PREPARING", "READY"];

/** What `action` at `station` does to an order's parts, or why it is illegal (→ 409 with the states). */
export function plan(
  {
    status,
    parts,
    expoConfirms,
    expoBumped,
  }: { status: OrderStatus; parts: readonly LinePart[]; expoConfirms: boolean; expoBumped: boolean },
  { station, action, itemIds }: { station: string; action: StationAction; itemIds?: readonly string[] },
  { who, now }: Who,
): Plan | Refusal {
  const states = Object.fromEntries(parts.filter((p) => p.station === station).map((p) => [p.orderItemId, p.state]));
  if (!OPEN.includes(status)) return { refused: `a ${status} order is not on the kitchen screens`, states };
  const at = now.toISOString();
  const mine = (p: LinePart) => p.station === station && (!itemIds || itemIds.includes(p.orderItemId));
  if (!parts.some(mine)) return { refused: `nothing of this order is cooked at '${station}'`, states };
  const next = parts.map((p) => ({ ...p }));
  const changed = new Set<string>();
  const set = (p: LinePart, patch: Partial<LinePart>) => {
    Object.assign(p, patch);
    changed.add(p.id);
  };
  switch (action) {
    case "start": {
      const queued = next.filter((p) => mine(p) && p.state === "QUEUED");
      if (queued.length === 0) return { refused: `nothing at '${station}' is waiting to be started`, states };
      for (const p of queued) set(p, { state: "STARTED", startedAt: at, startedBy: who });
      break;
    }
    case "bump": {
      const open = next.filter((p) => mine(p) && (p.state === "QUEUED" || p.state === "STARTED"));
      if (open.length === 0) return { refused: `nothing at '${station}' is in progress`, states };
      for (const p of open) set(p, { state: "DONE", startedAt: p.startedAt ?? at, startedBy: p.startedBy ?? who, doneAt: at, doneBy: who });
      break;
    }
    case "recall": {
      const done = next.filter((p) => mine(p) && p.state === "DONE");
      if (done.length === 0) return { refused: `nothing at '${station}' is done`, states };
      for (const p of done) set(p, { state: "STARTED", doneAt: null, doneBy: null });
      break;
    }
    case "undo": {
      // The station's last bump, if it is recent: the parts it finished, all at one instant.
      const doneHere = next.filter((p) => mine(p) && p.state === "DONE" && p.doneAt);
      const last = doneHere.reduce<string | null>((m, p) => (m === null || p.doneAt! > m ? p.doneAt! : m), null);
      if (!last || now.getTime() - Date.parse(last) > UNDO_WINDOW_MS) {
        return { refused: `no bump at '${station}' in the last ${UNDO_WINDOW_MS / 1000} s to undo`, states };
      }
      for (const p of doneHere.filter((p) => p.doneAt === last)) set(p, { state: "STARTED", doneAt: null, doneBy: null });
      break;
    }
  }
  const fired = fireNextCourses(next, at, changed);
  return {
    parts: next,
    changed: [...changed],
    fired,
    status: deriveStatus({ status, parts: next, expoConfirms, expoBumped: expoBumped && action !== "recall" && action !== "undo" }),
  };
}

/**
 * Courses after the first wait (HELD) until every part of the courses before them is DONE; then
 * the lowest waiting course fires. Scheduled orders are held as a whole and fired by time instead
 * (lib/orders/stations.ts fireDue), so a course waiting for time is never fired from here: only
 * courses > 1 whose lower courses are all done and fired.
 */
export function fireNextCourses(parts: LinePart[], at: string, changed?: Set<string>): number[] {
  const fired: number[] = [];
  for (;;) {
    const held = parts.filter((p) => p.state === "HELD");
    if (held.length === 0) return fired;
    const course = Math.min(...held.map((p) => p.course));
    const before = parts.filter((p) => p.course < course);
    if (before.length === 0 || before.some((p) => p.state !== "DONE")) return fired;
    for (const p of held.filter((p) => p.course === course)) {
      Object.assign(p, { state: "QUEUED", firedAt: at });
      changed?.add(p.id);
    }
    fired.push(course);
  }
}

/** Fires one course by hand ("Fire course 2"), or every held part (a scheduled order's time has come). */
export function fireCourse(parts: readonly LinePart[], course: number | "all", at: string): { parts: LinePart[]; changed: string[] } {
  const next = parts.map((p) => ({ ...p }));
  const changed: string[] = [];
  const lowest = Math.min(...next.filter((p) => p.state === "HELD").map((p) => p.course));
  for (const p of next) {
    // "all" (scheduled time): course 1 fires, later courses keep waiting for it as usual.
    const fires = course === "all" ? p.course === lowest : p.course === course;
    if (p.state === "HELD" && fires) {
      Object.assign(p, { state: "QUEUED", firedAt: at });
      changed.push(p.id);
    }
  }
  return { parts: next, changed };
}

/**
 * SPEC §2b: CONFIRMED until a part starts; PREPARING while any part is not DONE; READY when every
 * part is DONE (and, with expo confirms, expo has bumped). Recall takes READY back to PREPARING.
 * Statuses past READY (picked up, delivered, cancelled) are not the kitchen's to change.
 */
export function deriveStatus({
  status,
  parts,
  expoConfirms,
  expoBumped,
}: {
  status: OrderStatus;
  parts: readonly LinePart[];
  expoConfirms: boolean;
  expoBumped: boolean;
}): OrderStatus {
  if (!OPEN.includes(status)) return status;
  const allDone = parts.length > 0 && parts.every((p) => p.state === "DONE");
  if (allDone && (!expoConfirms || expoBumped)) return "READY";
  const begun = parts.some((p) => p.state === "STARTED" || p.state === "DONE");
  if (begun || status !== "CONFIRMED") return "PREPARING";
  return "CONFIRMED";
}

/** Stations that still have fired work on an order: expo's "waiting on: bar, fryer". */
export function waitingOn(parts: readonly LinePart[]): string[] {
  return [...new Set(parts.filter((p) => p.state === "QUEUED" || p.state === "STARTED").map((p) => p.station))];
}
