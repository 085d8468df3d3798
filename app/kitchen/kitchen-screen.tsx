"use client";

import Link from "next/link";
import { memo, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useMutation } from "@tanstack/react-query";
import { Elapsed } from "@/components/elapsed";
import { AllergyBand, LineDetails } from "@/components/order-lines";
import { ScreenShell } from "@/components/screen-shell";
import { SoldOutPanel } from "@/components/sold-out-panel";
import { playAlert } from "@/components/sound";
import { StatusChip, STATUS_STYLE } from "@/components/status";
import { postJson, setOrderStatus } from "@/lib/client/api";
import { useOrdersStream } from "@/lib/client/use-orders-stream";
import type { OrderDto } from "@/lib/orders/dto";

const FILTER = { status: ["CONFIRMED", "PREPARING", "READY"] } as const;
const READY_SHOWN = 8;

type Ticket = OrderDto & { items: OrderDto["orderItems"] };

/** An allergy ticket waits for the "Allergy seen" tap before it may be bumped (the server answers 409). */
const needsAck = (t: Ticket) => t.allergyAlert && !t.allergyAckAt;

export function KitchenScreen({ station }: { station: string | null }) {
  const { snapshot, state, lastEventId } = useOrdersStream({
    channel: "kitchen",
    filter: FILTER,
    onOrderEvent: ({ type, order }) => {
      // A new ticket (confirmed) for this station chimes.
      if (type === "order.confirmed" && (!station || order.orderItems.some((i) => i.station === station))) playAlert("ticket");
    },
  });

  const orders = snapshot.data?.orders;
  // One Ticket object per order object (and station): an event re-renders only the card it changed.
  const tickets = useRef({ station, cache: new WeakMap<OrderDto, Ticket>() });
  const { active, ready, stations } = useMemo(() => {
    if (tickets.current.station !== station) tickets.current = { station, cache: new WeakMap() };
    return arrange(orders ?? [], station, tickets.current.cache);
  }, [orders, station]);
  const [selected, setSelected] = useState(0);
  const [error, setError] = useState<string | null>(null);

  const move = useMutation({
    mutationFn: async ({ order, to }: { order: Ticket; to: "PREPARING" | "READY" }) => {
      // Bumping a ticket nobody started walks it through PREPARING: the lifecycle has no shortcut.
      if (to === "READY" && order.status === "CONFIRMED") await setOrderStatus(order.id, "PREPARING");
      return setOrderStatus(order.id, to);
    },
    onError: (err) => setError(err instanceof Error ? err.message : String(err)),
    onSuccess: () => setError(null),
  });

  // Tickets whose bump was refused for want of the allergy tap: the card says so until the tap.
  const [refused, setRefused] = useState<ReadonlySet<number>>(new Set());
  const ack = useMutation({
    mutationFn: (t: Ticket) => postJson<OrderDto>(`/api/orders/${t.id}/allergy-ack`, {}),
    onError: (err) => setError(err instanceof Error ? err.message : String(err)),
    onSuccess: (_, t) => {
      setError(null);
      setRefused((r) => new Set([...r].filter((id) => id !== t.id)));
    },
  });
  const bump = useCallback(
    (t: Ticket | undefined) => {
      if (!t) return;
      if (needsAck(t)) {
        setRefused((r) => new Set([...r, t.id]));
        playAlert("ticket");
        return;
      }
      move.mutate({ order: t, to: "READY" });
    },
    [move],
  );
  const seen = useCallback((t: Ticket | undefined) => t && needsAck(t) && ack.mutate(t), [ack]);
  const start = useCallback((t: Ticket | undefined) => t && t.status === "CONFIRMED" && move.mutate({ order: t, to: "PREPARING" }), [move]);
  const recall = useCallback((t: Ticket | undefined) => t && move.mutate({ order: t, to: "PREPARING" }), [move]);

  // A bump bar is a keyboard: arrows choose, Enter/B bumps, S starts, A is "allergy seen", R recalls the last ready.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement) return;
      // The "Sold out" panel (a modal) has its own buttons; the bump bar waits.
      if (document.querySelector("dialog[open]")) return;
      const key = e.key.toLowerCase();
      if (key === "arrowright" || key === "arrowdown") setSelected((s) => Math.min(s + 1, Math.max(0, active.length - 1)));
      else if (key === "arrowleft" || key === "arrowup") setSelected((s) => Math.max(0, s - 1));
      else if (/^[1-9]$/.test(key)) setSelected(Number(key) - 1);
      else if (key === "enter" || key === " " || key === "b") bump(active[selected]);
      else if (key === "s") start(active[selected]);
      else if (key === "a") seen(active[selected]);
      else if (key === "r") recall(ready[0]);
      else return;
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [active, ready, selected, bump, start, recall, seen]);

  useEffect(() => setSelected((s) => Math.min(s, Math.max(0, active.length - 1))), [active.length]);

  // Stable handlers for the memoized cards; they call the latest closures.
  const latest = useRef({ bump, start, seen });
  latest.current = { bump, start, seen };
  const actions = useMemo<CardActions>(
    () => ({
      select: (i) => setSelected(i),
      start: (t) => latest.current.start(t),
      bump: (t) => latest.current.bump(t),
      seen: (t) => latest.current.seen(t),
    }),
    [],
  );

  const shownOrderIds = useMemo(() => active.map((t) => t.id), [active]);

  const allDay = useMemo(() => {
    const counts = new Map<string, number>();
    for (const t of active) for (const i of t.items) counts.set(i.name, (counts.get(i.name) ?? 0) + i.quantity);
    return [...counts].sort((a, b) => b[1] - a[1]);
  }, [active]);

  return (
    <ScreenShell
      title={station ? `Kitchen · ${station}` : "Kitchen · expo"}
      screen={station ? `kitchen:${station}` : "kitchen"}
      lastEventId={lastEventId}
      shownOrderIds={shownOrderIds}
      state={state}
      tools={
        <>
          <nav className="flex flex-wrap gap-2" aria-label="Stations">
            <StationLink href="/kitchen" active={!station} label="All (expo)" />
            {stations.map((s) => (
              <StationLink key={s} href={`/kitchen?station=${encodeURIComponent(s)}`} active={s === station} label={s} />
            ))}
          </nav>
          <span className="ml-auto" />
          <SoldOutPanel />
        </>
      }
    >
      {error && (
        <p role="alert" className="mb-3 rounded-xl border border-red-400 bg-red-950 px-4 py-3 text-xl font-semibold">
          {error}
        </p>
      )}
      <div className="flex flex-col gap-4 xl:flex-row">
        <section aria-label="Open tickets" className="flex-1">
          {snapshot.isPending ? (
            <p className="text-2xl text-gray-300">Loading tickets…</p>
          ) : active.length === 0 ? (
            <p
              data-testid="kitchen-empty"
              className="rounded-2xl border border-dashed border-white/20 p-10 text-center text-3xl text-gray-300"
            >
              No open tickets{station ? ` for ${station}` : ""}.
            </p>
          ) : (
            <ol className="grid grid-cols-[repeat(auto-fill,minmax(19rem,1fr))] gap-4" data-testid="kitchen-tickets">
              {active.map((t, i) => (
                <TicketCard
                  key={t.id}
                  ticket={t}
                  index={i}
                  station={station}
                  refused={refused.has(t.id)}
                  seeing={ack.isPending && ack.variables?.id === t.id}
                  selected={i === selected}
                  actions={actions}
                  busy={move.isPending && move.variables?.order.id === t.id}
                />
              ))}
            </ol>
          )}
        </section>
        <aside className="flex w-full flex-col gap-4 xl:w-80">
          <section aria-labelledby="all-day" className="rounded-2xl border border-white/10 bg-white/5 p-4">
            <h2 id="all-day" className="mb-2 text-2xl font-bold">
              All day
            </h2>
            <ul data-testid="all-day" className="flex flex-col gap-1 text-xl">
              {allDay.length === 0 && <li className="text-gray-400">—</li>}
              {allDay.map(([name, qty]) => (
                <li key={name} className="flex justify-between gap-3">
                  <span>{name}</span>
                  <strong className="tabular-nums">{qty}</strong>
                </li>
              ))}
            </ul>
          </section>
          <section aria-labelledby="ready-heading" className="rounded-2xl border border-white/10 bg-white/5 p-4">
            <h2 id="ready-heading" className="mb-2 text-2xl font-bold">
              Ready <span className="text-base font-normal text-gray-400">(R recalls the latest)</span>
            </h2>
            <ul className="flex flex-col gap-2" data-testid="kitchen-ready">
              {ready.length === 0 && <li className="text-gray-400">—</li>}
              {ready.map((t) => (
                <li
                  key={t.id}
                  data-testid="ready-ticket"
                  data-ticket={t.ticketNumber ?? ""}
                  className="flex items-center justify-between gap-2 rounded-xl bg-green-950 px-3 py-2"
                >
                  <span className="text-2xl font-black">#{t.ticketNumber}</span>
                  <span className="text-lg text-gray-300">{t.displayCode}</span>
                  <button
                    type="button"
                    onClick={() => recall(t)}
                    data-testid="recall"
                    className="min-h-11 rounded-lg bg-white/15 px-3 text-lg font-bold"
                  >
                    Recall
                  </button>
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

type CardActions = { select(index: number): void; start(t: Ticket): void; bump(t: Ticket): void; seen(t: Ticket): void };

const TicketCard = memo(function TicketCard({
  ticket: t,
  index,
  station,
  refused,
  seeing,
  selected,
  actions,
  busy,
}: {
  ticket: Ticket;
  index: number;
  station: string | null;
  refused: boolean;
  seeing: boolean;
  selected: boolean;
  actions: CardActions;
  busy: boolean;
}) {
  const onSelect = () => actions.select(index);
  const onSeen = () => actions.seen(t);
  const onStart = () => actions.start(t);
  const onBump = () => actions.bump(t);
  const rush = t.priority === "HIGH";
  const waiting = needsAck(t);
  // The card's class skips layout and paint while off screen (content-visibility): a full rail's
  // timers tick every second.
  return (
    <li
      data-testid="ticket"
      data-ticket={t.ticketNumber ?? ""}
      data-status={t.status}
      data-allergy={t.allergyAlert}
      onClick={onSelect}
      className={`flex flex-col overflow-hidden rounded-2xl border-4 bg-[#15181d] [contain-intrinsic-size:auto_32rem] [content-visibility:auto] ${STATUS_STYLE[t.status]?.edge ?? ""} ${selected ? "ring-4 ring-sky-400" : ""}`}
    >
      {rush && <div className="bg-red-600 py-1 text-center text-xl font-black tracking-widest text-white">RUSH</div>}
      <AllergyBand order={t}>
        {waiting && (
          <button
            type="button"
            onClick={(e) => (e.stopPropagation(), onSeen())}
            disabled={seeing}
            data-testid="allergy-seen"
            className="min-h-16 rounded-xl bg-white text-2xl font-black tracking-wide text-red-700 uppercase disabled:opacity-50"
          >
            Allergy seen <span className="text-lg font-bold">(A)</span>
          </button>
        )}
      </AllergyBand>
      <div className="flex items-start justify-between gap-2 p-3">
        <div className="min-w-0 break-words">
          <div className="text-6xl font-black leading-none tabular-nums" data-testid="ticket-number">
            #{t.ticketNumber}
          </div>
          <div className="mt-1 text-xl text-gray-300">
            {t.displayCode}
            {t.table ? ` · Table ${t.table}` : ""}
            {t.customer ? ` · ${t.customer}` : ""}
          </div>
        </div>
        <div className="flex shrink-0 flex-col items-end gap-2">
          <Elapsed from={t.confirmedAt ?? t.createdAt} className="text-2xl" />
          <StatusChip status={t.status} />
        </div>
      </div>
      <ul className="flex flex-1 flex-col gap-2 px-3 pb-3 text-2xl">
        {t.items.map((i) => (
          <li key={i.id} data-testid="ticket-line">
            <span className="font-black tabular-nums">{i.quantity}×</span> <span className="font-semibold">{i.name}</span>
            <LineDetails line={i} station={station} />
          </li>
        ))}
      </ul>
      {refused && waiting && (
        <p
          role="alert"
          data-testid="bump-refused"
          className="mx-3 mb-1 rounded-xl bg-[#b91c1c] px-3 py-2 text-center text-2xl font-black text-white"
        >
          Tap ALLERGY SEEN first
        </p>
      )}
      <div className="grid grid-cols-2 gap-2 border-t border-white/10 p-3">
        <button
          type="button"
          onClick={(e) => (e.stopPropagation(), onStart())}
          disabled={t.status !== "CONFIRMED" || busy}
          data-testid="start"
          className="min-h-14 rounded-xl bg-violet-600 text-xl font-bold text-white disabled:opacity-30"
        >
          Start
        </button>
        <button
          type="button"
          onClick={(e) => (e.stopPropagation(), onBump())}
          disabled={busy}
          title={waiting ? "Tap ALLERGY SEEN first" : undefined}
          data-testid="bump"
          className={`min-h-14 rounded-xl text-xl font-black disabled:opacity-40 ${waiting ? "bg-gray-600 text-gray-200" : "bg-green-500 text-black"}`}
        >
          Bump ✓
        </button>
      </div>
    </li>
  );
});

/** Open tickets (RUSH first, then oldest first), the latest ready ones, and the stations seen. */
function arrange(orders: OrderDto[], station: string | null, cache: WeakMap<OrderDto, Ticket>) {
  const stations = new Set<string>();
  const tickets: Ticket[] = [];
  for (const o of orders) {
    for (const i of o.orderItems) for (const s of i.stations ?? [i.station]) stations.add(s);
    // A line shows at its food's station and at any station one of its options is cooked at.
    let ticket = cache.get(o);
    if (!ticket) {
      const items = station ? o.orderItems.filter((i) => i.station === station || i.stations?.includes(station)) : o.orderItems;
      ticket = { ...o, items };
      cache.set(o, ticket);
    }
    if (ticket.items.length > 0) tickets.push(ticket);
  }
  const byAge = (a: Ticket, b: Ticket) => Date.parse(a.confirmedAt ?? a.createdAt) - Date.parse(b.confirmedAt ?? b.createdAt);
  const active = tickets
    .filter((t) => t.status === "CONFIRMED" || t.status === "PREPARING")
    .sort((a, b) => (a.priority === b.priority ? byAge(a, b) : a.priority === "HIGH" ? -1 : 1));
  const ready = tickets
    .filter((t) => t.status === "READY")
    .sort((a, b) => Date.parse(b.statusChangedAt) - Date.parse(a.statusChangedAt))
    .slice(0, READY_SHOWN);
  return { active, ready, stations: [...stations].filter(Boolean).sort() };
}
