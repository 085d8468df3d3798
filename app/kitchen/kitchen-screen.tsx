"use client";

import Link from "next/link";
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { useMutation } from "@tanstack/react-query";
import { useT } from "@/components/i18n";
import { ScreenShell } from "@/components/screen-shell";
import { SoldOutPanel } from "@/components/sold-out-panel";
import { playAlert } from "@/components/sound";
import { ApiError, postJson, setOrderStatus } from "@/lib/client/api";
import { usePartnerStyles } from "@/lib/client/money";
import { arrange, paginate, rushAfter, selectedIndex, type Ticket, type TicketLine } from "@/lib/client/kitchen-tickets";
import { useOrdersStream } from "@/lib/client/use-orders-stream";
import type { OrderDto } from "@/lib/orders/dto";
import { UNDO_WINDOW_MS } from "@/lib/orders/line-state";
import { type CardActions, type Density, needsAck, TicketCard, UndoButton } from "./ticket-card";

const FILTER = { status: ["CONFIRMED", "PREPARING", "READY"] } as const;
const DENSITY_KEY = "pass.kitchen.density";
/** The smallest card of each density, px: the grid fits as many as the screen holds. */
const CARD: Record<Density, { w: number; h: number }> = { normal: { w: 340, h: 440 }, compact: { w: 270, h: 285 } };
const GAP = 12;

type Act =
  | { kind: "start" | "bump" | "recall" | "undo"; ticket: Ticket; itemIds?: string[] }
  | { kind: "expo"; ticket: Ticket; force: boolean }
  | { kind: "expo-undo"; ticket: Ticket }
  | { kind: "fire"; ticket: Ticket; course: number }
  | { kind: "ack"; ticket: Ticket };

/** A request that never got an answer (offline, the server unreachable) — not a refusal. */
const isNetworkFailure = (err: unknown) => !(err instanceof ApiError);
/**
 * Sending these twice does no harm (a part already started or done answers 409, which means it
 * landed): they are kept and sent again once the connection is back. Undo, recall, fire, force
 * and "allergy seen" are not replayed blind — the cook decides again.
 */
const replayable = (a: Act) => a.kind === "start" || a.kind === "bump" || (a.kind === "expo" && !a.force);
type CardError = { message: string; offline: boolean };

export function KitchenScreen({ station }: { station: string | null }) {
  const tr = useT();
  const { snapshot, state, lastEventId } = useOrdersStream({
    channel: "kitchen",
    filter: FILTER,
    onOrderEvent: ({ type, order }, before) => {
      // A new ticket chimes where it lands: expo on confirmation, a station when its lines fire there.
      if (!station) {
        if (type === "order.confirmed") playAlert("ticket");
        return;
      }
      const queued = (o: OrderDto | undefined) =>
        o?.orderItems.filter((i) => i.parts.some((p) => p.station === station && p.state === "QUEUED" && p.firedAt)).length ?? 0;
      if ((type === "order.confirmed" || type === "order.fired") && queued(order) > queued(before)) playAlert("ticket");
    },
  });

  // Undo: this screen's recent bumps, per order (each card shows its own Undo for 10 s; U takes the latest back).
  const [undoable, setUndoable] = useState<ReadonlyMap<number, number>>(new Map());
  useEffect(() => {
    if (undoable.size === 0) return;
    const next = Math.min(...undoable.values());
    const timer = setTimeout(
      () => setUndoable((m) => new Map([...m].filter(([, until]) => until > Date.now()))),
      Math.max(0, next - Date.now()) + 50,
    );
    return () => clearTimeout(timer);
  }, [undoable]);
  const keep = useMemo(() => new Set(undoable.keys()), [undoable]);

  const orders = snapshot.data?.orders;
  // A scheduled ticket's "fires 19:05" is the restaurant's clock (its time zone), not the screen's.
  const { timeZoneOf } = usePartnerStyles();
  // One Ticket per order object, and the screen's arrival order (see arrange), per station shown.
  const cache = useRef({ station, map: new WeakMap<OrderDto, Ticket | null>(), places: new Map<number, number>() });
  const { rush, normal, done, stations } = useMemo(() => {
    if (cache.current.station !== station) cache.current = { station, map: new WeakMap(), places: new Map() };
    return arrange(orders ?? [], station, cache.current.map, keep, cache.current.places);
  }, [orders, station, keep]);

  // The wall TV's grid: as many fixed slots as the screen holds at the chosen density.
  const [density, setDensity] = useState<Density>("normal");
  useEffect(() => {
    if (localStorage.getItem(DENSITY_KEY) === "compact") setDensity("compact");
  }, []);
  const chooseDensity = (d: Density) => {
    setDensity(d);
    localStorage.setItem(DENSITY_KEY, d);
  };
  const gridRef = useRef<HTMLOListElement>(null);
  const [box, setBox] = useState({ w: 0, h: 0 });
  useLayoutEffect(() => {
    const el = gridRef.current;
    if (!el) return;
    const measure = () => setBox({ w: el.clientWidth, h: el.clientHeight });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const cols = Math.max(1, Math.floor((box.w + GAP) / (CARD[density].w + GAP)));
  const rows = Math.max(1, Math.floor((box.h + GAP) / (CARD[density].h + GAP)));
  const { nav, slots, pages, lane } = useMemo(() => paginate(rush, normal, cols, rows, cache.current.places), [rush, normal, cols, rows]);

  const [selection, setSelection] = useState<{ id: number | null; index: number }>({ id: null, index: 0 });
  const selIndex = selectedIndex(nav, selection);
  const selected = selIndex >= 0 ? nav[selIndex]! : undefined;
  // The page shown is the selection's: the bump bar's choice is always on screen.
  const page = selected ? slots.get(selected.id)!.page : 0;
  const selectAt = useCallback((list: Ticket[], i: number) => {
    const at = Math.min(Math.max(0, i), list.length - 1);
    if (at >= 0) setSelection({ id: list[at]!.id, index: at });
  }, []);

  const [errors, setErrors] = useState<ReadonlyMap<number, CardError>>(new Map());
  const setError = useCallback(
    (id: number, error: CardError | null) =>
      setErrors((m) => {
        if (!error && !m.has(id)) return m;
        const next = new Map(m);
        if (error) next.set(id, error);
        else next.delete(id);
        return next;
      }),
    [],
  );
  const [asking, setAsking] = useState<number | null>(null);
  // A ticket too long for its slot, shown whole over the grid ("+N more lines — show all", M).
  const [expanded, setExpanded] = useState<number | null>(null);
  const [refused, setRefused] = useState<ReadonlySet<number>>(new Set());

  /** `at`: the station the cook acted on (a replay goes there even if the screen switched station since). */
  const send = (a: Act, at: string | null = station) => {
    const id = a.ticket.id;
    switch (a.kind) {
      case "ack":
        return postJson<OrderDto>(`/api/orders/${id}/allergy-ack`, {});
      case "expo":
        return postJson<OrderDto>(`/api/orders/${id}/expo`, a.force ? { force: true } : {});
      case "expo-undo":
        return postJson<OrderDto>(`/api/orders/${id}/expo`, { undo: true });
      case "fire":
        return postJson<OrderDto>(`/api/orders/${id}/fire`, { course: a.course });
      default:
        // Expo has no station of its own: its Start and Recall act on the whole order.
        if (!at) return setOrderStatus(id, "PREPARING");
        return postJson<OrderDto>(
          `/api/orders/${id}/stations/${encodeURIComponent(at)}/${a.kind}`,
          a.itemIds ? { itemIds: a.itemIds } : {},
        );
    }
  };
  const landed = (a: Act, result?: OrderDto, at: string | null = station) => {
    setError(a.ticket.id, null);
    if (a.kind === "ack") setRefused((r) => new Set([...r].filter((id) => id !== a.ticket.id)));
    if (a.kind === "expo") setAsking(null);
    // A bump (a station's, or expo's completing the order) can be taken back for 10 s: card's Undo or U.
    if ((at && at === station && a.kind === "bump") || (!station && a.kind === "expo" && result?.status === "READY")) {
      setUndoable((m) => new Map([...m, [a.ticket.id, Date.now() + UNDO_WINDOW_MS]]));
    }
    if (a.kind === "undo" || a.kind === "expo-undo" || a.kind === "recall") {
      setUndoable((m) => new Map([...m].filter(([id]) => id !== a.ticket.id)));
    }
  };

  // Offline: the replayable actions wait here (the latest per ticket) until the connection is back.
  const waiting = useRef(new Map<number, { act: Act; at: string | null }>());
  const [waitingCount, setWaitingCount] = useState(0);
  const latestSend = useRef({ send, landed });
  latestSend.current = { send, landed };

  const act = useMutation({
    mutationFn: (a: Act) => send(a),
    onError: (err, a) => {
      if (isNetworkFailure(err)) {
        if (replayable(a)) {
          waiting.current.set(a.ticket.id, { act: a, at: station });
          setWaitingCount(waiting.current.size);
        }
        setError(a.ticket.id, { message: tr(replayable(a) ? "error.offline" : "error.offlineNoRetry"), offline: true });
      } else setError(a.ticket.id, { message: err.message, offline: false });
    },
    onSuccess: (result, a) => landed(a, result as OrderDto),
  });
  const run = act.mutate;

  const flushing = useRef(false);
  const flush = useCallback(async () => {
    if (flushing.current || waiting.current.size === 0) return;
    flushing.current = true;
    try {
      for (const [id, { act: a, at }] of [...waiting.current]) {
        try {
          await latestSend.current.send(a, at);
          waiting.current.delete(id);
          latestSend.current.landed(a, undefined, at);
        } catch (err) {
          if (isNetworkFailure(err)) break; // still offline: keep them all for the next try
          waiting.current.delete(id);
          // 409: it had already landed (the answer was lost) or someone else did it: nothing to say.
          if (err instanceof ApiError && err.status === 409) latestSend.current.landed(a, undefined, at);
          else setError(id, { message: (err as Error).message, offline: false });
        }
      }
    } finally {
      flushing.current = false;
      setWaitingCount(waiting.current.size);
    }
  }, [setError]);
  // The stream live again is the sign the network is back: send what waited, and drop the
  // offline banners that no longer hold (the ones still waiting clear when their retry lands).
  const live = state.status === "live";
  useEffect(() => {
    if (!live) return;
    setErrors((m) => {
      const stale = [...m].filter(([id, e]) => e.offline && !waiting.current.has(id));
      return stale.length ? new Map([...m].filter(([id]) => !stale.some(([s]) => s === id))) : m;
    });
    void flush();
  }, [live, flush]);
  // The stream may have stayed open through a short cut: try again now and then, and when the browser says it is online.
  useEffect(() => {
    if (waitingCount === 0 || !live) return;
    const timer = setInterval(() => void flush(), 3_000);
    const online = () => void flush();
    window.addEventListener("online", online);
    return () => {
      clearInterval(timer);
      window.removeEventListener("online", online);
    };
  }, [waitingCount, live, flush]);

  const bump = useCallback(
    (t: Ticket | undefined, itemIds?: string[]) => {
      if (!t) return;
      if (needsAck(t)) {
        setRefused((r) => new Set([...r, t.id]));
        playAlert("ticket");
        return;
      }
      if (station) return run({ kind: "bump", ticket: t, itemIds });
      // Expo: READY when every station is done; otherwise a confirm step forces it.
      if (t.order.waitingOn.length > 0 || t.heldCourses.length > 0) {
        if (asking === t.id) run({ kind: "expo", ticket: t, force: true });
        else setAsking(t.id);
        return;
      }
      run({ kind: "expo", ticket: t, force: false });
    },
    [run, station, asking],
  );
  const start = useCallback((t: Ticket | undefined) => t?.startable && run({ kind: "start", ticket: t }), [run]);
  const seen = useCallback((t: Ticket | undefined) => t && needsAck(t) && run({ kind: "ack", ticket: t }), [run]);
  const recall = useCallback((t: Ticket | undefined) => t && run({ kind: "recall", ticket: t }), [run]);
  const lastUndoable = useMemo(() => {
    let best: [number, number] | null = null;
    for (const e of undoable) if (!best || e[1] > best[1]) best = e;
    return best ? (orders?.find((o) => o.id === best![0]) ?? null) : null;
  }, [undoable, orders]);
  const undo = useCallback(
    (t: Ticket | undefined) => t && run(station ? { kind: "undo", ticket: t } : { kind: "expo-undo", ticket: t }),
    [run, station],
  );

  // A bump bar is a keyboard: arrows and 1–9 choose, Enter/B bumps, S starts, R recalls, U undoes, A is "allergy seen".
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLSelectElement) return;
      // The "Sold out" panel (a modal) has its own buttons; the bump bar waits.
      if (document.querySelector("dialog[open]")) return;
      const key = e.key.toLowerCase();
      const onPage = nav.filter((t) => slots.get(t.id)!.page === page);
      if (key === "arrowright" || key === "arrowdown") selectAt(nav, selIndex + 1);
      else if (key === "arrowleft" || key === "arrowup") selectAt(nav, selIndex - 1);
      else if (/^[1-9]$/.test(key)) {
        const t = onPage[Number(key) - 1];
        if (t) selectAt(nav, nav.indexOf(t));
      } else if (key === "pagedown")
        selectAt(
          nav,
          nav.findIndex((t) => slots.get(t.id)!.page === Math.min(page + 1, pages - 1)),
        );
      else if (key === "pageup")
        selectAt(
          nav,
          nav.findIndex((t) => slots.get(t.id)!.page === Math.max(page - 1, 0)),
        );
      else if (key === "enter" || key === " " || key === "b") bump(selected);
      else if (key === "s") start(selected);
      else if (key === "a") seen(selected);
      else if (key === "r") recall(done[0]);
      else if (key === "u") undo(lastUndoable ? (cache.current.map.get(lastUndoable) ?? undefined) : undefined);
      else if (key === "m") setExpanded((x) => (x === null && selected ? selected.id : null));
      else if (key === "escape") {
        setAsking(null);
        setExpanded(null);
      } else return;
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [nav, slots, page, pages, selIndex, selected, selectAt, bump, start, seen, recall, undo, done, lastUndoable]);

  // Stable handlers for the memoized cards; they call the latest closures.
  const latest = useRef({ bump, start, seen, undo, run, nav, selectAt });
  latest.current = { bump, start, seen, undo, run, nav, selectAt };
  const actions = useMemo<CardActions>(
    () => ({
      select: (id) => {
        const { nav, selectAt } = latest.current;
        selectAt(
          nav,
          nav.findIndex((t) => t.id === id),
        );
      },
      start: (t) => latest.current.start(t),
      bump: (t) => latest.current.bump(t),
      bumpLine: (t: Ticket, line: TicketLine) => latest.current.bump(t, [line.item.id]),
      seen: (t) => latest.current.seen(t),
      undo: (t) => latest.current.undo(t),
      force: (t) => latest.current.run({ kind: "expo", ticket: t, force: true }),
      cancelForce: () => setAsking(null),
      fire: (t, course) => latest.current.run({ kind: "fire", ticket: t, course }),
      expand: (t) => {
        const { nav, selectAt } = latest.current;
        selectAt(
          nav,
          nav.findIndex((x) => x.id === t.id),
        );
        setExpanded(t.id);
      },
    }),
    [],
  );

  const shownOrderIds = useMemo(() => nav.filter((t) => slots.get(t.id)!.page === page).map((t) => t.id), [nav, slots, page]);
  const later = nav.filter((t) => slots.get(t.id)!.page > page).length;
  const earlier = nav.filter((t) => slots.get(t.id)!.page < page).length;
  const rushLater = rushAfter(nav, slots, page);

  // All day, in name order (a new dish is added, nothing reorders while tickets arrive).
  const allDay = useMemo(() => {
    const counts = new Map<string, number>();
    for (const t of nav)
      for (const l of t.lines)
        if (l.state !== "DONE" && l.state !== "HELD") counts.set(l.item.name, (counts.get(l.item.name) ?? 0) + l.item.quantity);
    return [...counts].sort((a, b) => a[0].localeCompare(b[0]));
  }, [nav]);

  const busyId = act.isPending ? act.variables.ticket.id : null;
  // The overlay follows its ticket; once bumped off this screen it closes by itself.
  const full = expanded === null ? null : (nav.find((t) => t.id === expanded) ?? null);
  const open = nav.length;

  return (
    <ScreenShell
      title={station ? tr("kitchen.titleStation", { station }) : tr("kitchen.titleExpo")}
      screen={station ? `kitchen:${station}` : "kitchen"}
      lastEventId={lastEventId}
      shownOrderIds={shownOrderIds}
      state={state}
      fit
      tools={
        <>
          <nav className="flex flex-wrap gap-2" aria-label={tr("kitchen.stations")}>
            <StationLink href="/kitchen" active={!station} label={tr("kitchen.allExpo")} />
            {stations.map((s) => (
              <StationLink key={s} href={`/kitchen?station=${encodeURIComponent(s)}`} active={s === station} label={s} />
            ))}
          </nav>
          {waitingCount > 0 && (
            <span
              role="status"
              data-testid="retry-waiting"
              data-count={waitingCount}
              className="min-h-11 content-center rounded-full bg-amber-400 px-4 text-lg font-bold text-black"
            >
              {tr("kitchen.retrying", { count: waitingCount })}
            </span>
          )}
          <span className="ml-auto" />
          <div role="group" aria-label={tr("kitchen.cardSize")} className="flex rounded-full bg-white/10 p-1" data-testid="density">
            {(["normal", "compact"] as const).map((d) => (
              <button
                key={d}
                type="button"
                aria-pressed={density === d}
                data-testid={`density-${d}`}
                onClick={() => chooseDensity(d)}
                className={`min-h-11 rounded-full px-4 text-lg font-bold ${density === d ? "bg-sky-400 text-black" : ""}`}
              >
                {tr(d === "normal" ? "kitchen.density.normal" : "kitchen.density.compact")}
              </button>
            ))}
          </div>
          <SoldOutPanel />
        </>
      }
    >
      <div className="flex min-h-0 flex-1 gap-4">
        <section aria-label={tr("kitchen.openTickets")} className="flex min-h-0 min-w-0 flex-1 flex-col gap-2">
          <div className="relative min-h-0 flex-1">
            <ol
              ref={gridRef}
              data-testid="kitchen-tickets"
              data-count={open}
              data-page={page}
              data-pages={pages}
              data-density={density}
              className="grid h-full"
              style={{
                gap: GAP,
                gridTemplateColumns: `repeat(${cols}, minmax(0, 1fr))`,
                gridTemplateRows: `repeat(${rows}, minmax(0, 1fr))`,
              }}
            >
              {lane && (
                <li
                  aria-hidden
                  data-testid="rush-lane"
                  data-lane={lane.kind}
                  style={{ gridColumnStart: 1, gridRowStart: 1, gridRowEnd: lane.rows + 1 }}
                  className="flex items-end justify-center rounded-2xl border-4 border-dashed border-red-900 pb-3 text-xl font-black tracking-widest text-red-400"
                >
                  {tr("kitchen.rushLane")}
                </li>
              )}
              {nav.map((t, i) => {
                const slot = slots.get(t.id)!;
                return (
                  <TicketCard
                    key={t.id}
                    ticket={t}
                    station={station}
                    col={slot.col}
                    row={slot.row}
                    page={slot.page}
                    shown={slot.page === page}
                    keyHint={slot.key}
                    selected={i === selIndex}
                    busy={busyId === t.id}
                    error={errors.get(t.id)?.message ?? null}
                    undoUntil={undoable.get(t.id) ?? null}
                    asking={asking === t.id}
                    refused={refused.has(t.id)}
                    density={density}
                    timeZone={timeZoneOf(t.order.partnerId)}
                    actions={actions}
                  />
                );
              })}
            </ol>
            {full && (
              <div
                role="dialog"
                aria-label={tr("ticket.everyLine", { number: String(full.order.ticketNumber ?? full.order.displayCode) })}
                data-testid="ticket-overlay"
                className="absolute inset-0 z-10 flex items-stretch justify-center bg-black/70 p-4"
                onClick={() => setExpanded(null)}
              >
                <ul className="flex w-full max-w-3xl flex-col" onClick={(e) => e.stopPropagation()}>
                  <TicketCard
                    ticket={full}
                    station={station}
                    col={0}
                    row={0}
                    page={page}
                    shown
                    keyHint={10}
                    selected
                    busy={busyId === full.id}
                    error={errors.get(full.id)?.message ?? null}
                    undoUntil={undoable.get(full.id) ?? null}
                    asking={asking === full.id}
                    refused={refused.has(full.id)}
                    density="normal"
                    timeZone={timeZoneOf(full.order.partnerId)}
                    actions={actions}
                    full
                  />
                  <button
                    type="button"
                    data-testid="overlay-close"
                    onClick={() => setExpanded(null)}
                    className="mt-2 min-h-12 shrink-0 rounded-xl bg-white/15 text-xl font-bold"
                  >
                    {tr("ticket.closeOverlay")}
                  </button>
                </ul>
              </div>
            )}
            {open === 0 && (
              <p
                data-testid="kitchen-empty"
                className="absolute inset-x-0 top-1/3 mx-auto w-fit rounded-2xl border border-dashed border-white/20 bg-[#0b0d10] p-10 text-center text-3xl text-gray-300"
              >
                {snapshot.isPending ? tr("kitchen.loading") : station ? tr("kitchen.emptyStation", { station }) : tr("kitchen.empty")}
                {!snapshot.isPending && <span className="mt-3 block text-xl text-gray-400">{tr("kitchen.emptyHint")}</span>}
              </p>
            )}
          </div>
          <nav
            aria-label={tr("kitchen.pages")}
            data-testid="kitchen-pager"
            className="flex h-14 shrink-0 items-center gap-3 text-xl font-bold"
          >
            <button
              type="button"
              disabled={page === 0}
              data-testid="page-prev"
              onClick={() =>
                selectAt(
                  nav,
                  nav.findIndex((t) => slots.get(t.id)!.page === page - 1),
                )
              }
              className="min-h-12 rounded-xl bg-white/10 px-4 disabled:opacity-30"
            >
              ← {earlier > 0 ? tr("kitchen.before", { count: earlier }) : "PgUp"}
            </button>
            <span data-testid="page-of" className="tabular-nums">
              {tr("kitchen.pageOf", { page: page + 1, pages, open })}
            </span>
            <span className="flex-1" />
            <button
              type="button"
              disabled={later === 0}
              data-testid="more"
              data-more={later}
              data-rush-later={rushLater}
              onClick={() =>
                selectAt(
                  nav,
                  nav.findIndex((t) => slots.get(t.id)!.page === page + 1),
                )
              }
              className={`min-h-12 rounded-xl px-4 ${later > 0 ? "bg-sky-400 text-black" : "bg-white/10 opacity-30"}`}
            >
              {rushLater > 0 && <span className="mr-2 rounded bg-red-600 px-2 text-white">{tr("ticket.rush")}</span>}
              {later > 0 ? tr("kitchen.more", { count: later }) : "PgDn"}
            </button>
          </nav>
        </section>
        <aside className="flex min-h-0 w-64 shrink-0 flex-col gap-3 overflow-hidden">
          <section aria-labelledby="all-day" className="min-h-0 flex-1 overflow-hidden rounded-2xl border border-white/10 bg-white/5 p-3">
            <h2 id="all-day" className="mb-1 text-2xl font-bold">
              {tr("kitchen.allDay")}
            </h2>
            <ul data-testid="all-day" className="flex flex-col text-lg">
              {allDay.length === 0 && <li className="text-gray-400">—</li>}
              {allDay.map(([name, qty]) => (
                <li key={name} className="flex justify-between gap-3">
                  <span className="truncate">{name}</span>
                  <strong className="tabular-nums">{qty}</strong>
                </li>
              ))}
            </ul>
          </section>
          <section aria-labelledby="ready-heading" className="shrink-0 rounded-2xl border border-white/10 bg-white/5 p-3">
            <h2 id="ready-heading" className="mb-1 text-2xl font-bold">
              {station ? tr("kitchen.doneHere") : tr("kitchen.ready")}{" "}
              <span className="text-base font-normal text-gray-400">{tr("kitchen.recallHint")}</span>
            </h2>
            <ul className="flex flex-col gap-1.5" data-testid="kitchen-ready">
              {done.length === 0 && <li className="text-gray-400">—</li>}
              {done.map((t) => (
                <li
                  key={t.id}
                  data-testid="ready-ticket"
                  data-ticket={t.order.ticketNumber ?? ""}
                  className="flex items-center justify-between gap-2 rounded-xl bg-green-950 px-3 py-1"
                >
                  <span className="text-2xl font-black">#{t.order.ticketNumber}</span>
                  <span className="text-base text-gray-300">{t.order.displayCode}</span>
                  {/* Expo's bump left the grid: its Undo waits here for 10 s (U), then Recall. */}
                  {!station && undoable.has(t.id) ? (
                    <UndoButton until={undoable.get(t.id)!} onUndo={() => undo(t)} busy={busyId === t.id} />
                  ) : (
                    <button
                      type="button"
                      onClick={() => recall(t)}
                      data-testid="recall"
                      className="min-h-11 rounded-lg bg-white/15 px-3 text-lg font-bold"
                    >
                      {tr("kitchen.recall")}
                    </button>
                  )}
                </li>
              ))}
            </ul>
          </section>
        </aside>
      </div>
    </ScreenShell>
  );
}

function StationLink({ href, active, label }: { href: string; active: boolean; label: string }) {
  return (
    <Link
      href={href}
      aria-current={active ? "page" : undefined}
      className={`min-h-11 content-center rounded-full px-4 text-lg font-bold capitalize ${active ? "bg-sky-400 text-black" : "bg-white/10"}`}
    >
      {label}
    </Link>
  );
}
