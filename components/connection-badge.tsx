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

const clock = (t: number) => new Date(t).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

/** Live / reconnecting / offline since hh:mm — visible on every screen, readable from afar. */
export function ConnectionBadge({ state }: { state: ConnectionState }) {
  // Re-render once in a while so "reconnecting" can turn into "offline since" on its own.
  const t = useT();
  const [, tick] = useState(0);
  useEffect(() => {
    if (state.status === "live") return;
    const t = setInterval(() => tick((n) => n + 1), 5_000);
    return () => clearInterval(t);
  }, [state.status]);
  const label =
    state.status === "live"
      ? t("conn.live")
      : state.status === "connecting"
        ? t("conn.connecting")
        : state.status === "reconnecting"
          ? t("conn.reconnecting", { time: clock(state.since) })
          : t("conn.offline", { time: clock(state.since) });
  return (
    <span
      role="status"
      aria-live="polite"
      data-testid="connection-badge"
      data-status={state.status}
      title={state.error}
      className={`inline-flex min-h-11 items-center gap-2 rounded-full px-4 text-lg font-bold ${STYLES[state.status]}`}
    >
      <span aria-hidden className={`h-3 w-3 rounded-full ${state.status === "live" ? "bg-black/70" : "bg-current pulse-ring"}`} />
      {label}
    </span>
  );
}
