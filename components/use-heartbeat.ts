"use client";

import { useEffect, useRef } from "react";
import { useSoundAudible } from "./sound";

const EVERY_MS = 10_000;

/** This tab's id: kept across a reload (sessionStorage), new in every other tab. */
function screenId(): string {
  try {
    let id = sessionStorage.getItem("pass.screen-id");
    if (!id) sessionStorage.setItem("pass.screen-id", (id = crypto.randomUUID()));
    return id;
  } catch {
    return fallbackTab;
  }
}
const fallbackTab = typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : "tab-without-storage";

/**
 * This page load's id (a reload is another): the closing word names it, so a heartbeat the
 * closing page still had in flight does not reopen the tab on the server.
 */
let pageId = newPageId();
function newPageId(): string {
  return typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : `page-${Date.now()}`;
}
let closed = false;

/** This browser's id, shared by all its tabs (localStorage): the health panel lists a device once. */
function deviceId(): string | undefined {
  try {
    let id = localStorage.getItem("pass.device-id");
    if (!id) localStorage.setItem("pass.device-id", (id = crypto.randomUUID()));
    return id;
  } catch {
    return undefined;
  }
}

/**
 * Reports this screen to the dashboard's health panel every 10 s (and at once when the tickets
 * it shows change, which is how kitchen screens acknowledge them, or when the page is shown or
 * hidden). When the tab goes away (closed, navigated off, put in the back-forward cache) it says
 * so with a keepalive request, so it leaves the panel at once; a tab that just stops (a crash, a
 * dead network) is dropped after 25 s (docs/architecture.md "Presence").
 */
export function useHeartbeat({
  screen,
  lastEventId,
  awake,
  shownOrderIds,
}: {
  screen: string;
  lastEventId: number | null;
  awake: boolean;
  shownOrderIds?: number[];
}) {
  // "Sound on" on the health panel: unlocked and not muted (a muted kitchen is as silent as a locked one).
  const soundUnlocked = useSoundAudible();
  const latest = useRef({ screen, lastEventId, awake, shownOrderIds, soundUnlocked });
  latest.current = { screen, lastEventId, awake, shownOrderIds, soundUnlocked };
  const shownKey = (shownOrderIds ?? []).join(",");

  useEffect(() => {
    const send = (closing = false) => {
      // After the closing word the page says nothing more (until it is shown again).
      if (closed && !closing) return;
      if (closing) closed = true;
      const s = latest.current;
      const device = deviceId();
      void fetch("/api/screens/heartbeat", {
        method: "POST",
        headers: { "content-type": "application/json" },
        credentials: "same-origin",
        // The closing word must outlive the page.
        keepalive: closing,
        body: JSON.stringify({
          screenId: screenId(),
          ...(device ? { deviceId: device } : {}),
          screen: s.screen,
          lastEventId: s.lastEventId,
          soundUnlocked: s.soundUnlocked,
          awake: s.awake,
          visible: document.visibilityState === "visible",
          pageId,
          ...(closing ? { closing: true } : {}),
          ...(s.shownOrderIds && !closing ? { shownOrderIds: s.shownOrderIds.slice(0, 500) } : {}),
        }),
      }).catch(() => undefined);
    };
    const soon = setTimeout(() => send(), 300);
    const t = setInterval(() => send(), EVERY_MS);
    const onHide = () => send(true);
    // Back from the back-forward cache: on line again at once.
    const onShow = (e: PageTransitionEvent) => {
      if (!e.persisted) return;
      closed = false;
      pageId = newPageId();
      send();
    };
    const onVisibility = () => send();
    window.addEventListener("pagehide", onHide);
    window.addEventListener("pageshow", onShow);
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      clearTimeout(soon);
      clearInterval(t);
      window.removeEventListener("pagehide", onHide);
      window.removeEventListener("pageshow", onShow);
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, [shownKey, soundUnlocked, awake, screen]);
}
