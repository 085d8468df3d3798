"use client";

import type { QueryClient, QueryKey } from "@tanstack/react-query";

/**
 * The last snapshot of each screen's order list, kept in localStorage (docs/architecture.md#offline):
 * a screen reloaded while Pass is unreachable (its page comes from the service worker, public/sw.js)
 * shows the tickets it last had — at their log position, so the stream resumes from there and
 * replays what it missed once the server is back — with the offline badge, instead of nothing.
 * Per page and query; written at most once a second; cleared on sign-out.
 */
const PREFIX = "pass.snapshot:";
const keyOf = (queryKey: QueryKey) => `${PREFIX}${location.pathname}${location.search}|${JSON.stringify(queryKey)}`;

export function readSnapshot<T>(queryKey: QueryKey): (T & { restoredFrom: string }) | null {
  try {
    const raw = localStorage.getItem(keyOf(queryKey));
    if (!raw) return null;
    const { savedAt, data } = JSON.parse(raw) as { savedAt: string; data: T };
    return { ...data, restoredFrom: savedAt };
  } catch {
    return null;
  }
}

/** Keeps every order list the page holds, as the stream changes it (throttled). */
export function persistOrderSnapshots(client: QueryClient): () => void {
  const pending = new Map<string, unknown>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = () => {
    timer = null;
    for (const [key, data] of pending) {
      try {
        localStorage.setItem(key, JSON.stringify({ savedAt: new Date().toISOString(), data }));
      } catch {
        // full or unavailable: the screen simply has no offline copy
      }
    }
    pending.clear();
  };
  const unsubscribe = client.getQueryCache().subscribe((event) => {
    if (event.type !== "updated" || event.query.queryKey[0] !== "orders") return;
    const data = event.query.state.data as { restoredFrom?: string } | undefined;
    if (!data) return;
    const { restoredFrom: _restored, ...fresh } = data;
    pending.set(keyOf(event.query.queryKey), fresh);
    timer ??= setTimeout(flush, 1_000);
  });
  const onHide = () => {
    if (document.visibilityState === "hidden" && timer) {
      clearTimeout(timer);
      flush();
    }
  };
  document.addEventListener("visibilitychange", onHide);
  return () => {
    unsubscribe();
    document.removeEventListener("visibilitychange", onHide);
    if (timer) clearTimeout(timer);
    flush();
  };
}

/** Sign-out: no screen data stays behind on the device, in storage or in the service worker. */
export async function forgetOfflineData(): Promise<void> {
  try {
    for (const key of Object.keys(localStorage)) if (key.startsWith(PREFIX)) localStorage.removeItem(key);
  } catch {
    // storage unavailable
  }
  navigator.serviceWorker?.controller?.postMessage({ type: "forget" });
  if ("caches" in globalThis) {
    const keys = await caches.keys().catch(() => [] as string[]);
    await Promise.all(keys.filter((k) => k.startsWith("pass-")).map((k) => caches.delete(k)));
  }
}
