"use client";

import { useEffect, useRef, useState } from "react";
import { LiveStream, type ConnectionState, type Position } from "./live-stream";

/**
 * A partner's public menu, kept current: the server-rendered snapshot first, then the
 * anonymous `menu` channel (GET /api/events/menu?partner=SLUG, lib/projections/menu.ts). Each
 * `menu-changed` frame refetches GET /api/menu?soldOut=1 (fetches coalesce: one in flight, at
 * most one more after it). The first `connected` refetches too, covering changes between the
 * render and the stream; a reconnect resumes by Last-Event-ID from the last frame seen, and a
 * failed replay refetches.
 */
export function useLiveMenu<M>(slug: string, initial: M): { menu: M; state: ConnectionState } {
  const [menu, setMenu] = useState(initial);
  const [state, setState] = useState<ConnectionState>({ status: "connecting", since: Date.now() });
  const position = useRef<Position>({ lastEventId: null, epoch: null });

  useEffect(() => {
    let stopped = false;
    let inflight = false;
    let again = false;
    let firstConnect = true;
    const refetch = async () => {
      if (inflight) {
        again = true;
        return;
      }
      inflight = true;
      try {
        do {
          again = false;
          const res = await fetch(`/api/menu?partner=${encodeURIComponent(slug)}&soldOut=1`, { cache: "no-store" }).catch(() => null);
          if (res?.ok && !stopped) setMenu((await res.json()) as M);
        } while (again && !stopped);
      } finally {
        inflight = false;
      }
    };
    const stream = new LiveStream({
      url: `/api/events/menu?partner=${encodeURIComponent(slug)}`,
      position: () => position.current,
      handlers: {
        onEvent: (event) => {
          const data = (event.data ?? {}) as { epoch?: unknown; lastEventId?: unknown; replayUnavailable?: unknown };
          if (event.event === "connected") {
            position.current = {
              epoch: typeof data.epoch === "string" ? data.epoch : position.current.epoch,
              lastEventId:
                position.current.lastEventId ?? (typeof data.lastEventId === "number" ? data.lastEventId : position.current.lastEventId),
            };
            if (firstConnect || data.replayUnavailable) void refetch();
            firstConnect = false;
          } else if (event.event === "menu-changed") {
            if (event.id !== null) position.current = { ...position.current, lastEventId: event.id };
            void refetch();
          }
        },
        onState: setState,
        onReset: () => {
          position.current = { ...position.current, lastEventId: null };
          void refetch();
        },
      },
    });
    stream.start();
    return () => {
      stopped = true;
      stream.stop();
    };
  }, [slug]);

  return { menu, state };
}
