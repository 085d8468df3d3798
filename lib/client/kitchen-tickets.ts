import type { OrderDto } from "../orders/dto";

/**
 * The kitchen screen's tickets, pure (issue "Station workflow" items 3, 4, 7). A station view
 * (`/kitchen?station=bar`) shows each order's lines cooked there, in the state of that
 * station's part; expo (`/kitchen`) shows every line with a tick per station. Then the wall TV
 * lays the tickets out on fixed slots, page by page, so an arriving ticket never moves a card
 * already shown: tickets keep the order they arrived in and new ones take the next free slot;
 * RUSH tickets have their own lane (a reserved column; one slot per page on a narrow screen).
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

const byArrival = (a: Ticket, b: Ticket) => a.arrivedAt - b.arrivedAt || a.id - b.id;

/**
 * The screen's tickets: open ones in arrival order (RUSH apart), the latest done ones (station:
 * done here, for recall; expo: READY), and every station seen. `keep`: orders a station view keeps
 * on screen though done (a bump that can still be undone). `cache`: one Ticket per order object,
 * so an event re-renders only the card it changed. `places`: the screen's arrival order, kept from
 * one call to the next (the map is updated here); without it, the server's arrival times.
 */
export function arrange(
  orders: readonly OrderDto[],
  station: string | null,
  cache: WeakMap<OrderDto, Ticket | null>,
  keep: ReadonlySet<number> = new Set(),
  places?: Map<number, number>,
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
  rush.sort(byArrival);
  normal.sort(byArrival);
  if (places) {
    // The screen's own arrival order: a ticket keeps its place while it is shown, and one that comes
    // (back) — a new order, a fired course, a recalled ticket — goes after the others, so an arrival
    // never moves a card already there (a recalled ticket's firedAt would put it back among them).
    const open = new Set([...rush, ...normal].map((t) => t.id));
    let next = 1;
    for (const [id, place] of places) {
      if (!open.has(id)) places.delete(id);
      else if (place >= next) next = place + 1;
    }
    for (const t of [...rush, ...normal].sort(byArrival)) if (!places.has(t.id)) places.set(t.id, next++);
    const byPlace = (a: Ticket, b: Ticket) => places.get(a.id)! - places.get(b.id)!;
    rush.sort(byPlace);
    normal.sort(byPlace);
  }
  const doneKey = (t: Ticket) => (station ? (t.lastDoneAt ?? "") : t.order.statusChangedAt);
  done.sort((a, b) => (doneKey(a) < doneKey(b) ? 1 : doneKey(a) > doneKey(b) ? -1 : 0));
  return { rush, normal, done: done.slice(0, DONE_SHOWN), stations: [...stations].sort() };
}

export type Slot = { page: number; col: number; row: number; key: number };

/**
 * Fixed slots on a grid of `cols` × `rows` per page; RUSH has slots of its own on every page, so
 * a RUSH that arrives takes its lane and never pushes a card already shown. With three columns or
 * more the lane is the first column; a two-column tablet (or a one-column screen of two rows or
 * more) cannot give up half its width to a lane that is usually empty: its lane is the first slot
 * of each page. Only a screen of one slot has no lane: a RUSH there waits its turn in arrival order
 * (the pager says a RUSH is on a later page, `rushLater`). The others fill row by row in arrival
 * order. `nav` is the bump bar's order: page by page, the lane first; `key` is the card's 1–9 on
 * its page. `lane`: the lane's slots (for the screen's dashed placeholder), none without a lane.
 */
export function paginate(
  rush: readonly Ticket[],
  normal: readonly Ticket[],
  cols: number,
  rows: number,
  places?: ReadonlyMap<number, number>,
) {
  cols = Math.max(1, Math.floor(cols));
  rows = Math.max(1, Math.floor(rows));
  const laneKind: "column" | "slot" | null = cols >= 3 ? "column" : cols * rows >= 2 ? "slot" : null;
  const laneSlots: { col: number; row: number }[] =
    laneKind === "column" ? Array.from({ length: rows }, (_, row) => ({ col: 0, row })) : laneKind === "slot" ? [{ col: 0, row: 0 }] : [];
  const inLane = (col: number, row: number) => laneSlots.some((s) => s.col === col && s.row === row);
  const restSlots: { col: number; row: number }[] = [];
  for (let row = 0; row < rows; row++) for (let col = 0; col < cols; col++) if (!inLane(col, row)) restSlots.push({ col, row });
  const byPlace = (a: Ticket, b: Ticket) => (places ? (places.get(a.id) ?? 0) - (places.get(b.id) ?? 0) : byArrival(a, b));
  const rest = laneKind ? normal : [...normal, ...rush].sort(byPlace);
  const laneList = laneKind ? rush : [];
  const perLane = laneSlots.length;
  const perPage = restSlots.length;
  const pages = Math.max(1, perLane ? Math.ceil(laneList.length / perLane) : 0, Math.ceil(rest.length / perPage));
  const nav: Ticket[] = [];
  const slots = new Map<number, Slot>();
  for (let page = 0; page < pages; page++) {
    let key = 0;
    laneList.slice(page * perLane, (page + 1) * perLane).forEach((t, k) => {
      nav.push(t);
      slots.set(t.id, { page, ...laneSlots[k]!, key: ++key });
    });
    rest.slice(page * perPage, (page + 1) * perPage).forEach((t, j) => {
      nav.push(t);
      slots.set(t.id, { page, ...restSlots[j]!, key: ++key });
    });
  }
  return { nav, slots, pages, lane: laneKind ? { kind: laneKind, rows: laneKind === "column" ? rows : 1 } : null };
}

/** How many RUSH tickets are on pages after `page` (the pager's "+N more" says a RUSH waits there). */
export function rushAfter(nav: readonly Ticket[], slots: ReadonlyMap<number, Slot>, page: number): number {
  return nav.filter((t) => t.rush && slots.get(t.id)!.page > page).length;
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
