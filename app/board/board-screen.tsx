"use client";

import { useEffect, useMemo, useState } from "react";
import { useT } from "@/components/i18n";
import { ScreenShell } from "@/components/screen-shell";
import { playAlert } from "@/components/sound";
import { useNow } from "@/components/use-now";
import { useOrdersStream } from "@/lib/client/use-orders-stream";
import type { OrderDto } from "@/lib/orders/dto";

const FILTER = { status: ["CONFIRMED", "PREPARING", "READY"] } as const;
/** A ready number leaves the board after this long even if nobody marks it picked up. */
const READY_SHOWN_MS = 10 * 60_000;
const HIGHLIGHT_MS = 8_000;

export function BoardScreen() {
  const t = useT();
  const [highlight, setHighlight] = useState<Map<number, number>>(new Map());
  const { snapshot, state, lastEventId } = useOrdersStream({
    channel: "display",
    filter: FILTER,
    onOrderEvent: ({ type, order }) => {
      // A number that becomes READY chimes and glows for a while.
      if (type === "order.status" && order.status === "READY") {
        playAlert("ready");
        setHighlight((h) => new Map(h).set(order.id, Date.now()));
      }
    },
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
    <ScreenShell title={t("board.title")} screen="board" lastEventId={lastEventId} state={state}>
      <div className="grid min-h-[75dvh] grid-cols-2 gap-6">
        <section aria-labelledby="preparing" className="rounded-3xl border-4 border-violet-500/60 bg-violet-950/30 p-6">
          <h2 id="preparing" className="mb-6 text-5xl font-black text-violet-200">
            {t("board.preparing")}
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
            {t("board.ready")}
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
