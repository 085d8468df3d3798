"use client";

import { useEffect, useRef, useState } from "react";
import type { ConnectionState, Position, StreamEvent } from "./live-stream";
import { SharedStream } from "./shared-stream";

/**
 * The one hook every screen uses. Join order, as on the server: listen first (events wait in a
 * buffer), wait until the reader has data (`position` defined: its snapshot has loaded), hand
 * it the buffered events, then everything live. The hook keeps no position: `position` is read
 * on every (re)connect, and the reader itself ignores what it already holds (applyOrderEvent,
 * ./order-events.ts). After a failed replay `onReset` reloads the reader's data; events wait in
 * the buffer again until the promise it returns settles, so none lands on the stale list.
 */
export function useEventStream({
  url,
  position,
  onEvent,
  onReset,
}: {
  url: string;
  /** Where the reader is; undefined until it has data to apply events to. */
  position: (() => Position) | undefined;
  onEvent(event: StreamEvent): void;
  onReset?(reason: string): unknown;
}): ConnectionState {
  const [state, setState] = useState<ConnectionState>({ status: "connecting", since: Date.now() });
  const handlers = useRef({ position, onEvent, onReset });
  handlers.current = { position, onEvent, onReset };
  const ready = position !== undefined;
  /** Events waiting for the reader's data; null once it is ready. */
  const buffer = useRef<StreamEvent[] | null>([]);
  const resets = useRef(0);
  const streamRef = useRef<SharedStream | null>(null);

  useEffect(() => {
    const stream = SharedStream.for(url);
    streamRef.current = stream;
    buffer.current = [];
    const flush = () => {
      const queued = buffer.current ?? [];
      buffer.current = null;
      for (const event of queued) handlers.current.onEvent(event);
    };
    const unsubscribe = stream.subscribe({
      position: () => handlers.current.position?.(),
      onEvent: (event) => {
        if (buffer.current) buffer.current.push(event);
        else handlers.current.onEvent(event);
      },
      onState: setState,
      onReset: (reason) => {
        // Until the data is reloaded, events would apply to a stale list.
        buffer.current ??= [];
        const reset = ++resets.current;
        void Promise.resolve(handlers.current.onReset?.(reason))
          .catch(() => undefined)
          .finally(() => {
            if (reset === resets.current && handlers.current.position) flush();
          });
      },
    });
    return () => {
      unsubscribe();
      streamRef.current = null;
    };
  }, [url]);

  useEffect(() => {
    if (!ready || !streamRef.current) return;
    const queued = buffer.current ?? [];
    buffer.current = null;
    for (const event of queued) handlers.current.onEvent(event);
    streamRef.current.start();
  }, [ready, url]);

  return state;
}
