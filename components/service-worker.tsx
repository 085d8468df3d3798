"use client";

import { usePathname } from "next/navigation";
import { useEffect, useState } from "react";

/**
 * Registers public/sw.js (docs/architecture.md#offline) on every page, in production builds only
 * (in development it would keep stale pages around HMR). A page loaded before the worker
 * controlled it — or reached by a client-side navigation (the guest's order page pushes /track),
 * which the worker never sees as a page load — is handed to the worker with the assets loaded so
 * far: the first reload during an outage already finds them.
 */
export function ServiceWorkerRegistration() {
  const pathname = usePathname();
  const [registration, setRegistration] = useState<ServiceWorkerRegistration | null>(null);
  useEffect(() => {
    if (process.env.NODE_ENV !== "production" || !("serviceWorker" in navigator)) return;
    let stopped = false;
    navigator.serviceWorker
      .register("/sw.js", { scope: "/" })
      .then(() => navigator.serviceWorker.ready)
      .then((ready) => {
        if (!stopped) setRegistration(ready);
      })
      .catch((err: unknown) => console.warn(`pass: no offline copy of this screen (${(err as Error).message})`));
    return () => {
      stopped = true;
    };
  }, []);
  useEffect(() => {
    if (!registration || !pathname) return;
    const assets = performance
      .getEntriesByType("resource")
      .map((e) => e.name)
      .filter((name) => new URL(name).pathname.startsWith("/_next/static/"));
    registration.active?.postMessage({ type: "warm", page: location.pathname + location.search, assets });
  }, [registration, pathname]);
  return null;
}
