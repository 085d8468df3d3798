"use client";

import { useEffect, useMemo, useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { ScreenShell } from "@/components/screen-shell";
import { playAlert } from "@/components/sound";
import { useNow } from "@/components/use-now";
import { orderKeys, ordersQuery, type OrdersSnapshot } from "@/lib/client/orders-query";
import { useEventStream } from "@/lib/client/use-event-stream";
import type { StreamEvent } from "@/lib/client/live-stream";
import type { OrderDto } from "@/lib/orders/dto";

const FILTER = { status: ["CONFIRMED", "PREPARING", "READY"] } as const;
/** A ready number leaves the board after this long even if nobody marks it picked up. */
const READY_SHOWN_MS = 10 * 60_000;
const HIGHLIGHT_MS = 8_000;

type DisplayChange = { id: number; displayCode: string; ticketNumber: number | null; status?: string; statusChangedAt?: string };

/** The display channel carries seeds/003's `{displayCode, ticketNumber, id}` and Pass's status changes. */
export function applyDisplayEvent(snapshot: OrdersSnapshot, event: StreamEvent, now: number): OrdersSnapshot {
  if (event.id === null || event.id <= snapshot.lastEventId) return snapshot;
  const change = event.data as DisplayChange;
  if (event.event !== "confirmed-order" && event.event !== "order-status") return { ...snapshot, lastEventId: event.id };
  const at = snapshot.orders.findIndex((o) => o.id === change.id);
  const base =
    at === -1 ? ({ id: change.id, status: "CONFIRMED", statusChangedAt: new Date(now).toISOString() } as OrderDto) : snapshot.orders[at]!;
  const next = {
    ...base,
    displayCode: change.displayCode,
    ticketNumber: change.ticketNumber,
    ...(event.event === "order-status" ? { status: change.status!, statusChangedAt: change.statusChangedAt! } : {}),
  } as OrderDto;
  const orders = at === -1 ? [...snapshot.orders, next] : snapshot.orders.map((o, i) => (i === at ? next : o));
  return { ...snapshot, orders, lastEventId: event.id };
}

export function BoardScreen() {
  const queryClient = useQueryClient();
  const snapshot = useQuery(ordersQuery(FILTER));
  const [highlight, setHighlight] = useState<Map<number, number>>(new Map());
  const state = useEventStream({
    url: "/api/events/display",
    since: snapshot.data?.snapshotId,
    onEvent: (event) => {
      queryClient.setQueryData(ordersQuery(FILTER).queryKey, (s?: OrdersSnapshot) => (s ? applyDisplayEvent(s, event, Date.now()) : s));
      const change = event.data as DisplayChange;
      if (event.event === "order-status" && change.status === "READY") {
        playAlert("ready");
        setHighlight((h) => new Map(h).set(change.id, Date.now()));
      }
    },
    onReset: () => void queryClient.invalidateQueries({ queryKey: orderKeys.all }),
  });
  const now = useNow();
  useEffect(() => {
    setHighlight((h) => new Map([...h].filter(([, at]) => now - at < HIGHLIGHT_MS)));
  }, [now]);

  const orders = snapshot.data?.orders;
  const { preparing, ready } = useMemo(() => {
    const list = orders ?? [];
    const byTicket = (a: OrderDto, b: OrderDto) => (a.ticketNumber ?? 0) - (b.ticketNumber ?? 0);
    return {
      preparing: list.filter((o) => o.status === "CONFIRMED" || o.status === "PREPARING").sort(byTicket),
      ready: list.filter((o) => o.status === "READY").sort((a, b) => Date.parse(b.statusChangedAt) - Date.parse(a.statusChangedAt)),
    };
  }, [orders]);
  const visibleReady = ready.filter((o) => now - Date.parse(o.statusChangedAt) < READY_SHOWN_MS);

  return (
    <ScreenShell title="Order board" screen="board" streamUrl="/api/events/display" state={state}>
      <div className="grid min-h-[75dvh] grid-cols-2 gap-6">
        <section aria-labelledby="preparing" className="rounded-3xl border-4 border-violet-500/60 bg-violet-950/30 p-6">
          <h2 id="preparing" className="mb-6 text-5xl font-black text-violet-200">
            Preparing
          </h2>
          <ul className="flex flex-wrap gap-4" data-testid="board-preparing">
            {preparing.map((o) => (
              <li
                key={o.id}
                data-testid="board-number"
                data-ticket={o.ticketNumber ?? ""}
                className="min-w-32 rounded-2xl bg-white/10 px-6 py-3 text-center text-7xl font-black tabular-nums"
              >
                {o.ticketNumber}
              </li>
            ))}
          </ul>
        </section>
        <section aria-labelledby="ready" className="rounded-3xl border-4 border-green-500 bg-green-950/40 p-6">
          <h2 id="ready" className="mb-6 text-5xl font-black text-green-300">
            Ready
          </h2>
          <ul className="flex flex-wrap gap-4" data-testid="board-ready">
            {visibleReady.map((o) => (
              <li
                key={o.id}
                data-testid="board-number"
                data-ticket={o.ticketNumber ?? ""}
                data-highlight={highlight.has(o.id)}
                className={`min-w-32 rounded-2xl px-6 py-3 text-center text-8xl font-black tabular-nums ${highlight.has(o.id) ? "pulse-ring bg-green-400 text-black" : "bg-green-600 text-white"}`}
              >
                {o.ticketNumber}
              </li>
            ))}
          </ul>
        </section>
      </div>
    </ScreenShell>
  );
}
