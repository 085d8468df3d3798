"use client";

import { useRef, useState } from "react";
import Link from "next/link";
import { ConnectionBadge } from "@/components/connection-badge";
import { StoredPosition, type StreamEvent } from "@/lib/client/live-stream";
import { useEventStream } from "@/lib/client/use-event-stream";

const MAX_SHOWN = 200;

export function LiveView({ channel }: { channel: string }) {
  const [events, setEvents] = useState<(StreamEvent & { at: string })[]>([]);
  const [resets, setResets] = useState<string[]>([]);
  const url = `/api/events/${channel}`;
  // The raw contract stream (no `?view=pass`), as external clients get it; this page is its own
  // reader and follows its place in the log frame by frame.
  const position = useRef<StoredPosition | null>(null);
  const place = () => (position.current ??= new StoredPosition(url));
  const state = useEventStream({
    url,
    position: () => place().get(),
    onEvent: (e) => {
      place().record(e);
      setEvents((list) => [{ ...e, at: new Date().toLocaleTimeString() }, ...list].slice(0, MAX_SHOWN));
    },
    onReset: (reason) => setResets((r) => [...r, reason]),
  });

  return (
    <main className="flex min-h-dvh flex-col gap-4 p-6">
      <header className="flex flex-wrap items-center gap-4">
        <Link href="/" className="min-h-11 content-center text-lg text-sky-300 underline underline-offset-4">
          Home
        </Link>
        <h1 className="text-3xl font-black">
          Live stream: <span data-testid="live-channel">{channel}</span>
        </h1>
        <ConnectionBadge state={state} />
        <span className="text-lg text-gray-300">
          last id{" "}
          <strong data-testid="live-last-id">{events.find((e) => e.id !== null)?.id ?? position.current?.get().lastEventId ?? "—"}</strong>
        </span>
      </header>
      {resets.length > 0 && (
        <p data-testid="live-resets" className="rounded-xl border border-amber-400 bg-amber-950 px-4 py-2 text-lg">
          Replay unavailable ({resets.join(", ")}): screens reload their snapshot.
        </p>
      )}
      <ol className="flex flex-col gap-2" data-testid="live-events">
        {events.map((e, i) => (
          <li
            key={`${e.id ?? "x"}-${e.event}-${events.length - i}`}
            data-testid="live-event"
            data-event={e.event}
            data-id={e.id ?? ""}
            className="rounded-xl border border-white/10 bg-white/5 p-3"
          >
            <div className="flex flex-wrap gap-3 text-lg">
              <span className="font-mono text-gray-400">{e.at}</span>
              <span className="font-mono">id {e.id ?? "—"}</span>
              <strong>{e.event}</strong>
            </div>
            <pre className="mt-1 overflow-x-auto whitespace-pre-wrap break-all font-mono text-sm text-gray-200">
              {JSON.stringify(e.data)}
            </pre>
          </li>
        ))}
      </ol>
    </main>
  );
}
