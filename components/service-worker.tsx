"use client";

import { useEffect } from "react";

/**
 * Registers public/sw.js (docs/architecture.md#offline) on every page, in production builds only
 * (in development it would keep stale pages around HMR). This page was loaded before the worker
 * controlled it, so it hands the worker its own URL and the assets it loaded: the first reload
 * during an outage already finds them.
 */
export function ServiceWorkerRegistration() {
  useEffect(() => {
    if (process.env.NODE_ENV !== "production" || !("serviceWorker" in navigator)) return;
    let stopped = false;
    navigator.serviceWorker
      .register("/sw.js", { scope: "/" })
      .then(() => navigator.serviceWorker.ready)
      .then((registration) => {
        if (stopped) return;
        const assets = performance
          .getEntriesByType("resource")
          .map((e) => e.name)
          .filter((name) => new URL(name).pathname.startsWith("/_next/static/"));
        registration.active?.postMessage({ type: "warm", page: location.pathname + location.search, assets });
      })
      .catch((err: unknown) => console.warn(`pass: no offline copy of this screen (${(err as Error).message})`));
    return () => {
      stopped = true;
    };
  }, []);
  return null;
}
