"use client";

import { useEffect, useRef, useState } from "react";
import type { ConnectionState, StreamEvent } from "./live-stream";
import { SharedStream } from "./shared-stream";

/**
 * The one hook every screen uses. Join order, as on the server: listen first (events wait in a
 * buffer), wait for the screen's snapshot position (`since`, the list's Last-Event-ID; null to
 * start from now), apply buffered events above it, then everything live. `onEvent` updates the
 * react-query cache (setQueryData); `onReset` refetches the snapshot after a failed replay.
 */
export function useEventStream({
  url,
  since,
  onEvent,
  onReset,
}: {
  url: string;
  /** undefined while the snapshot loads. */
  since: number | null | undefined;
  onEvent(event: StreamEvent): void;
  onReset?(reason: string): void;
}): ConnectionState {
  const [state, setState] = useState<ConnectionState>({ status: "connecting", since: Date.now(), lastEventId: null });
  const handlers = useRef({ onEvent, onReset });
  handlers.current = { onEvent, onReset };
  /** The position the screen's data is at; undefined until its snapshot has loaded. */
  const sinceRef = useRef<number | null | undefined>(undefined);
  const buffer = useRef<StreamEvent[] | null>([]);
  const streamRef = useRef<SharedStream | null>(null);

  useEffect(() => {
    const stream = SharedStream.for(url);
    streamRef.current = stream;
    buffer.current = [];
    const unsubscribe = stream.subscribe({
      onEvent: (event) => {
        if (buffer.current) buffer.current.push(event);
        else if (event.id === null || sinceRef.current == null || event.id > sinceRef.current) handlers.current.onEvent(event);
      },
      onState: setState,
      onReset: (reason) => {
        // Until the snapshot is reloaded, events would apply to a stale list.
        buffer.current = [];
        handlers.current.onReset?.(reason);
      },
    });
    return () => {
      unsubscribe();
      streamRef.current = null;
      sinceRef.current = undefined;
    };
  }, [url]);

  useEffect(() => {
    if (since === undefined || !streamRef.current) return;
    const previous = sinceRef.current;
    sinceRef.current = since;
    const queued = buffer.current ?? [];
    buffer.current = null;
    for (const event of queued) {
      if (event.id === null || since === null || event.id > since) handlers.current.onEvent(event);
    }
    if (previous === undefined) streamRef.current.start(since);
    else streamRef.current.restartFrom(since);
  }, [since, url]);

  return state;
}
