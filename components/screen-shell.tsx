"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import type { ConnectionState } from "@/lib/client/live-stream";
import { ConnectionBadge } from "./connection-badge";
import { useT } from "./i18n";
import { SoundControl, SoundOffBar, useSoundOff, useSoundUnlock } from "./sound";
import { useHeartbeat } from "./use-heartbeat";

/** Keeps the screen on (kitchen tablets, wall TVs); re-requested when the tab is visible again. */
function useWakeLock(): boolean {
  const [held, setHeld] = useState(false);
  useEffect(() => {
    if (!("wakeLock" in navigator)) return;
    let lock: WakeLockSentinel | null = null;
    const request = () => {
      if (document.visibilityState !== "visible") return;
      navigator.wakeLock.request("screen").then(
        (l) => {
          lock = l;
          setHeld(true);
          l.addEventListener("release", () => setHeld(false));
        },
        () => setHeld(false),
      );
    };
    request();
    document.addEventListener("visibilitychange", request);
    return () => {
      document.removeEventListener("visibilitychange", request);
      void lock?.release().catch(() => undefined);
    };
  }, []);
  return held;
}

function toggleFullscreen() {
  if (document.fullscreenElement) void document.exitFullscreen();
  else void document.documentElement.requestFullscreen?.().catch(() => undefined);
}

export function ScreenShell({
  title,
  screen,
  lastEventId,
  shownOrderIds,
  state,
  sound = true,
  fit = false,
  tools,
  children,
}: {
  title: string;
  /** What this screen is, for the health panel ("kitchen:grill", "cashier", …). */
  screen: string;
  /** The screen's stream position (its snapshot's), reported so the health panel can say how far behind it is. */
  lastEventId: number | null;
  /** Kitchen screens: the tickets on display, acknowledged through the heartbeat. */
  shownOrderIds?: number[];
  state: ConnectionState;
  sound?: boolean;
  /** Wall TVs: the screen is exactly the viewport (the kitchen pages instead of scrolling). */
  fit?: boolean;
  tools?: React.ReactNode;
  children: React.ReactNode;
}) {
  const t = useT();
  const awake = useWakeLock();
  useHeartbeat({ screen, lastEventId, awake, shownOrderIds });
  useSoundUnlock(sound);
  const soundOff = useSoundOff();
  // A wall TV's grid is sized to the viewport: a bar of its own would cost a row of tickets at
  // 1080p, so there the whole header turns red and says SOUND OFF; other screens get the bar.
  const headerOff = sound && fit && soundOff !== null;
  return (
    <div className={fit ? "flex h-dvh flex-col overflow-hidden" : "flex min-h-dvh flex-col"} data-last-event-id={lastEventId ?? undefined}>
      <header
        {...(headerOff ? { "data-testid": "sound-off", "data-reason": soundOff, role: "alert" } : {})}
        className={`sticky top-0 z-20 flex flex-wrap items-center gap-3 border-b px-4 py-3 ${headerOff ? "border-red-400 bg-red-800" : "border-white/10 bg-[#0b0d10]/95 backdrop-blur"}`}
      >
        <Link
          href="/"
          className={`min-h-11 content-center rounded-lg px-2 text-lg underline-offset-4 hover:underline ${headerOff ? "text-white underline" : "text-sky-300"}`}
          title={t("shell.home")}
        >
          Pass
        </Link>
        <h1 className="text-3xl font-black tracking-tight">{title}</h1>
        <div className="flex flex-1 flex-wrap items-center gap-3">{tools}</div>
        <ConnectionBadge state={state} />
        {sound && <SoundControl off={headerOff} />}
        <button
          type="button"
          onClick={toggleFullscreen}
          data-testid="fullscreen"
          className="inline-flex min-h-11 min-w-11 items-center justify-center rounded-full bg-white/10 px-3"
          aria-label={t("shell.fullscreen")}
          title={t("shell.fullscreen")}
        >
          <svg
            aria-hidden
            viewBox="0 0 24 24"
            className="h-6 w-6"
            fill="none"
            stroke="currentColor"
            strokeWidth="2.4"
            strokeLinecap="round"
          >
            <path d="M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5" />
          </svg>
        </button>
      </header>
      {sound && !fit && <SoundOffBar />}
      <main className={fit ? "flex min-h-0 flex-1 flex-col p-4" : "flex-1 p-4"}>{children}</main>
    </div>
  );
}
