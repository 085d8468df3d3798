"use client";

import { useEffect, useRef } from "react";
import { loadPosition } from "@/lib/client/live-stream";
import { useSound } from "./sound";

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
  streamUrl,
  awake,
  shownOrderIds,
}: {
  screen: string;
  streamUrl: string;
  awake: boolean;
  shownOrderIds?: number[];
}) {
  const soundUnlocked = useSound((s) => s.unlocked);
  const latest = useRef({ screen, streamUrl, awake, shownOrderIds, soundUnlocked });
  latest.current = { screen, streamUrl, awake, shownOrderIds, soundUnlocked };
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
          lastEventId: loadPosition(s.streamUrl).lastEventId,
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
