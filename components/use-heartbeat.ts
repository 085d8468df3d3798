"use client";

import { useEffect, useRef } from "react";
import { useSoundAudible } from "./sound";

const EVERY_MS = 10_000;

function screenId(): string {
  try {
    let id = sessionStorage.getItem("pass.screen-id");
    if (!id) sessionStorage.setItem("pass.screen-id", (id = crypto.randomUUID()));
    return id;
  } catch {
    return crypto.randomUUID();
  }
}

/**
 * Reports this screen to the dashboard's health panel every 10 s (and at once when the tickets
 * it shows change, which is how kitchen screens acknowledge them).
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
    const send = () => {
      const s = latest.current;
      void fetch("/api/screens/heartbeat", {
        method: "POST",
        headers: { "content-type": "application/json" },
        credentials: "same-origin",
        body: JSON.stringify({
          screenId: screenId(),
          screen: s.screen,
          lastEventId: s.lastEventId,
          soundUnlocked: s.soundUnlocked,
          awake: s.awake,
          ...(s.shownOrderIds ? { shownOrderIds: s.shownOrderIds.slice(0, 500) } : {}),
        }),
      }).catch(() => undefined);
    };
    const soon = setTimeout(send, 300);
    const t = setInterval(send, EVERY_MS);
    return () => {
      clearTimeout(soon);
      clearInterval(t);
    };
  }, [shownKey, soundUnlocked, awake, screen]);
}
