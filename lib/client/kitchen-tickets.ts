import type { OrderDto } from "../orders/dto";

/**
 * The kitchen screen's tickets, pure (issue "Station workflow" items 3, 4, 7). A station view
 * (`/kitchen?station=bar`) shows each order's lines cooked there, in the state of that
 * station's part; expo (`/kitchen`) shows every line with a tick per station. Then the wall TV
 * lays the tickets out on fixed slots, page by page, so an arriving ticket never moves a card
 * already shown: tickets keep the order they arrived in and new ones take the next free slot;
 * RUSH tickets have their own lane (a reserved column).
 */
export type Item = OrderDto["orderItems"][number];
export type Part = Item["parts"][number];
export type PartState = Part["state"];

export type TicketLine = {
  item: Item;
  /** Station view: the part at this station; expo: every part of the line. */
  parts: Part[];
  /** Station view: that part's state; expo: the least advanced of its parts. */
  state: PartState;
  course: number;
};

/** Expo's tick per station: done, cooking (open) or waiting for its course to fire (held). */
export type StationTick = { station: string; state: "done" | "open" | "held" };

export type Ticket = {
  order: OrderDto;
  id: number;
  rush: boolean;
  lines: TicketLine[];
  /** Station view: something here is queued or started; expo: the order is CONFIRMED or PREPARING. */
  open: boolean;
  /** Something is queued (station) or the order is CONFIRMED (expo): Start does something. */
  startable: boolean;
  /** When the ticket came to this screen: its sort key (ms). */
  arrivedAt: number;
  /** What the card's clock counts from. */
  since: string;
  /** The earliest open part's thresholds (this station's parts on a station view). */
  warnAt: string | null;
  lateAt: string | null;
  /** Station view: the latest bump here (for the "done here" list and recall). */
  lastDoneAt: string | null;
  /** Expo. */
  ticks: StationTick[];
  heldCourses: number[];
  /** Expo: every station is done but expo has not bumped it (expo confirms). */
  readyToSend: boolean;
};

const RANK: Record<PartState, number> = { HELD: 0, QUEUED: 1, STARTED: 2, DONE: 3 };
const isOpen = (p: Part) => p.state === "QUEUED" || p.state === "STARTED";
const KITCHEN: readonly string[] = ["CONFIRMED", "PREPARING"];
const OPEN_STATUS: readonly string[] = [...KITCHEN, "READY"];

function earliest(parts: readonly Part[]): { warnAt: string | null; lateAt: string | null } {
  let warnAt: string | null = null;
  let lateAt: string | null = null;
  for (const p of parts) {
    if (!isOpen(p)) continue;
    if (p.warnAt && (warnAt === null || p.warnAt < warnAt)) warnAt = p.warnAt;
    if (p.lateAt && (lateAt === null || p.lateAt < lateAt)) lateAt = p.lateAt;
  }
  return { warnAt, lateAt };
}

/** One order as a ticket of `station` (null: expo), or null when it has nothing there. */
export function ticketOf(order: OrderDto, station: string | null): Ticket | null {
  const rush = order.priority === "HIGH";
  const confirmed = order.confirmedAt ?? order.createdAt;
  if (station) {
    const lines: TicketLine[] = [];
    const here: Part[] = [];
    for (const item of order.orderItems) {
      const part = item.parts.find((p) => p.station === station);
      // Held parts (a later course, a scheduled order) are not on the station's screen yet.
      if (!part || part.state === "HELD") continue;
      here.push(part);
      lines.push({ item, parts: [part], state: part.state, course: part.course });
    }
    if (lines.length === 0) return null;
    const fired = here.reduce((m, p) => (p.firedAt && p.firedAt > m ? p.firedAt : m), "");
    const lastDoneAt = here.reduce<string | null>((m, p) => (p.doneAt && (m === null || p.doneAt > m) ? p.doneAt : m), null);
    return {
      order,
      id: order.id,
      rush,
      lines,
      open: OPEN_STATUS.includes(order.status) && here.some(isOpen),
      startable: here.some((p) => p.state === "QUEUED"),
      arrivedAt: Date.parse(fired || confirmed),
      since: fired || confirmed,
      ...earliest(here),
      lastDoneAt,
      ticks: [],
      heldCourses: [],
      readyToSend: false,
    };
  }
  const all = order.orderItems.flatMap((i) => i.parts);
  const lines = order.orderItems.map((item) => {
    const state = item.parts.reduce<PartState>((m, p) => (RANK[p.state] < RANK[m] ? p.state : m), "DONE");
    return { item, parts: item.parts, state: item.parts.length ? state : "QUEUED", course: item.course };
  });
  const ticks = new Map<string, StationTick["state"]>();
  for (const p of all) {
    const was = ticks.get(p.station);
    const now = isOpen(p) ? "open" : p.state === "HELD" ? "held" : "done";
    // open beats held beats done
    if (!was || now === "open" || (now === "held" && was === "done")) ticks.set(p.station, now);
  }
  return {
    order,
    id: order.id,
    rush,
    lines,
    open: KITCHEN.includes(order.status),
    startable: order.status === "CONFIRMED",
    arrivedAt: Date.parse(confirmed),
    since: confirmed,
    ...earliest(all),
    lastDoneAt: null,
    ticks: [...ticks].map(([station, state]) => ({ station, state })),
    heldCourses: [...new Set(all.filter((p) => p.state === "HELD").map((p) => p.course))].sort((a, b) => a - b),
    readyToSend: order.expoConfirms && all.length > 0 && all.every((p) => p.state === "DONE") && order.status !== "READY",
  };
}

export const DONE_SHOWN = 8;

/**
 * The screen's tickets: open ones in arrival order (RUSH apart), the latest done ones (station:
 * done here, for recall; expo: READY), and every station seen. `keep`: orders a station view keeps
 * on screen though done (a bump that can still be undone). `cache`: one Ticket per order object,
 * so an event re-renders only the card it changed.
 */
export function arrange(
  orders: readonly OrderDto[],
  station: string | null,
  cache: WeakMap<OrderDto, Ticket | null>,
  keep: ReadonlySet<number> = new Set(),
) {
  const stations = new Set<string>();
  const rush: Ticket[] = [];
  const normal: Ticket[] = [];
  const done: Ticket[] = [];
  for (const o of orders) {
    for (const i of o.orderItems) for (const s of i.stations ?? [i.station]) if (s) stations.add(s);
    let t = cache.get(o);
    if (t === undefined) {
      t = ticketOf(o, station);
      cache.set(o, t);
    }
    if (!t) continue;
    const shown = station ? t.open || (keep.has(t.id) && OPEN_STATUS.includes(o.status)) : t.open;
    if (shown) (t.rush ? rush : normal).push(t);
    else if (station ? t.lastDoneAt && OPEN_STATUS.includes(o.status) : o.status === "READY") done.push(t);
  }
  const byArrival = (a: Ticket, b: Ticket) => a.arrivedAt - b.arrivedAt || a.id - b.id;
  rush.sort(byArrival);
  normal.sort(byArrival);
  const doneKey = (t: Ticket) => (station ? (t.lastDoneAt ?? "") : t.order.statusChangedAt);
  done.sort((a, b) => (doneKey(a) < doneKey(b) ? 1 : doneKey(a) > doneKey(b) ? -1 : 0));
  return { rush, normal, done: done.slice(0, DONE_SHOWN), stations: [...stations].sort() };
}

export type Slot = { page: number; col: number; row: number; key: number };

/**
 * Fixed slots on a grid of `cols` × `rows` per page. With three columns or more the first is
 * RUSH's own lane; the others fill row by row in arrival order. A narrower screen (a small tablet)
 * cannot give up half its width to a lane that is usually empty: RUSH goes first in the flow. `nav` is the bump bar's order: page by
 * page, the RUSH lane first; `key` is the card's 1–9 on its page.
 */
export function paginate(rush: readonly Ticket[], normal: readonly Ticket[], cols: number, rows: number) {
  cols = Math.max(1, Math.floor(cols));
  rows = Math.max(1, Math.floor(rows));
  const lane = cols >= 3 ? 1 : 0;
  const rest = lane ? normal : [...rush, ...normal];
  const laneList = lane ? rush : [];
  const perLane = lane * rows;
  const width = cols - lane;
  const perPage = width * rows;
  const pages = Math.max(1, perLane ? Math.ceil(laneList.length / perLane) : 0, Math.ceil(rest.length / perPage));
  const nav: Ticket[] = [];
  const slots = new Map<number, Slot>();
  for (let page = 0; page < pages; page++) {
    let key = 0;
    laneList.slice(page * perLane, (page + 1) * perLane).forEach((t, k) => {
      nav.push(t);
      slots.set(t.id, { page, col: 0, row: k, key: ++key });
    });
    rest.slice(page * perPage, (page + 1) * perPage).forEach((t, j) => {
      nav.push(t);
      slots.set(t.id, { page, col: lane + (j % width), row: Math.floor(j / width), key: ++key });
    });
  }
  return { nav, slots, pages, lane: lane === 1 };
}

/** The selected index: the selected ticket where it is now, else the same place (it left). */
export function selectedIndex(nav: readonly Ticket[], selection: { id: number | null; index: number }): number {
  if (nav.length === 0) return -1;
  const at = selection.id === null ? -1 : nav.findIndex((t) => t.id === selection.id);
  return at >= 0 ? at : Math.min(Math.max(0, selection.index), nav.length - 1);
}

export type Urgency = "ok" | "warn" | "late";

export function urgencyAt(now: number, warnAt: string | null, lateAt: string | null): Urgency {
  if (lateAt && now >= Date.parse(lateAt)) return "late";
  if (warnAt && now >= Date.parse(warnAt)) return "warn";
  return "ok";
}
