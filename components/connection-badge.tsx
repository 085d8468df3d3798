"use client";

import { useEffect, useState } from "react";
import type { ConnectionState } from "@/lib/client/live-stream";
import { useT } from "./i18n";

const STYLES: Record<ConnectionState["status"], string> = {
  live: "bg-green-500 text-black",
  connecting: "bg-sky-400 text-black",
  reconnecting: "bg-amber-400 text-black",
  offline: "bg-red-600 text-white",
};

const BADGE = "inline-flex min-h-11 items-center justify-center gap-2 whitespace-nowrap rounded-full px-4 text-lg font-bold tabular-nums";

const clock = (t: number) => new Date(t).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

/**
 * Live / reconnecting / offline since hh:mm — visible on every screen, readable from afar.
 *
 * The badge is as wide in every state as its widest label: the labels it could show sit invisible
 * in the same grid cell. A wider "Reconnecting since 19:42" would otherwise wrap the header's tools
 * onto a second line, and on a wall TV a taller header means fewer rows of tickets, so the pages
 * would change under the cook whenever the connection did.
 */
export function ConnectionBadge({ state }: { state: ConnectionState }) {
  // Re-render once in a while so "reconnecting" can turn into "offline since" on its own.
  const t = useT();
  const [, tick] = useState(0);
  useEffect(() => {
    if (state.status === "live") return;
    const t = setInterval(() => tick((n) => n + 1), 5_000);
    return () => clearInterval(t);
  }, [state.status]);
  const since = state.status === "reconnecting" || state.status === "offline" ? state.since : Date.now();
  const labels: Record<ConnectionState["status"], string> = {
    live: t("conn.live"),
    connecting: t("conn.connecting"),
    reconnecting: t("conn.reconnecting", { time: clock(since) }),
    offline: t("conn.offline", { time: clock(since) }),
  };
  return (
    <span className="inline-grid shrink-0">
      {(Object.keys(labels) as ConnectionState["status"][])
        .filter((s) => s !== state.status)
        .map((s) => (
          <span key={s} aria-hidden className={`invisible col-start-1 row-start-1 ${BADGE}`}>
            <span className="h-3 w-3" />
            {labels[s]}
          </span>
        ))}
      <span
        role="status"
        aria-live="polite"
        data-testid="connection-badge"
        data-status={state.status}
        title={state.error}
        className={`col-start-1 row-start-1 ${BADGE} ${STYLES[state.status]}`}
      >
        <span aria-hidden className={`h-3 w-3 rounded-full ${state.status === "live" ? "bg-black/70" : "bg-current pulse-ring"}`} />
        {labels[state.status]}
      </span>
    </span>
  );
}
