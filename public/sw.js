/**
 * Pass's service worker (docs/architecture.md#offline): the screens survive the network.
 *
 * - The pages of the staff screens (kitchen, board, cashier, printer, dashboard) and the guests'
 *   pages (order, track) are fetched from the network first; each good answer is kept, by its
 *   URL, so a reload while the server or the Wi-Fi is down gets the last page instead of the
 *   browser's error page. The page then shows its last snapshot (kept by the page itself,
 *   lib/client/offline-snapshot.ts) with the offline badge, and reconnects by itself.
 * - Next's build assets (/_next/static: content-hashed, immutable) are kept once fetched.
 * - Nothing else is ever stored: no /api answer, no stream, no other page. A page answer is what
 *   one browser was given for itself; signing out deletes it all (app/logout-button.tsx).
 * - A page never kept gets a small offline page that retries by itself.
 */
// One worker per scope: the guest's Web Push notifications (public/push-sw.js) are part of this one,
// so registering either never replaces the other's handlers.
importScripts("/push-sw.js");

const PAGES = "pass-pages-v1";
const ASSETS = "pass-assets-v1";
const OFFLINE = "/offline.html";
const KEPT_PAGES = /^\/(?:kitchen|board|cashier|printer|dashboard|order\/[^/]+|track\/[^/]+)\/?$/;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(ASSETS)
      .then((cache) => cache.add(new Request(OFFLINE, { cache: "reload" })))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("pass-") && k !== PAGES && k !== ASSETS).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

const isAsset = (url) => url.pathname.startsWith("/_next/static/");
const isKeptPage = (url) => KEPT_PAGES.test(url.pathname);

/** A page answer worth keeping: ours, whole, not a redirect to the sign-in page. */
const keepable = (res) =>
  res.ok && res.type === "basic" && !res.redirected && (res.headers.get("content-type") ?? "").includes("text/html");

async function networkFirstPage(request) {
  const cache = await caches.open(PAGES);
  try {
    const res = await fetch(request);
    if (keepable(res)) await cache.put(request.url, res.clone());
    // A proxy in front answering for a node that is down (502, 503, 504): the kept page is better.
    if (res.status >= 502 && res.status <= 504) return (await cache.match(request.url)) ?? res;
    return res;
  } catch {
    const kept = (await cache.match(request.url)) ?? (await cache.match(request.url, { ignoreSearch: true }));
    if (kept) return kept;
    return (await caches.match(OFFLINE)) ?? Response.error();
  }
}

async function cacheFirstAsset(request) {
  const cache = await caches.open(ASSETS);
  const kept = await cache.match(request);
  if (kept) return kept;
  const res = await fetch(request);
  if (res.ok) await cache.put(request, res.clone());
  return res;
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (isAsset(url)) {
    event.respondWith(cacheFirstAsset(request));
    return;
  }
  if (request.mode === "navigate") {
    if (isKeptPage(url)) {
      event.respondWith(networkFirstPage(request));
      return;
    }
    // Any other page: the network, and the offline page instead of the browser's error.
    event.respondWith(fetch(request).catch(async () => (await caches.match(OFFLINE)) ?? Response.error()));
  }
  // /api, streams and everything else: untouched, never stored.
});

/**
 * The page that registered us was loaded before we controlled it: it sends its own URL and the
 * assets it loaded, so the first reload offline already finds them. `forget` empties the caches.
 */
self.addEventListener("message", (event) => {
  const data = event.data ?? {};
  if (data.type === "warm") {
    event.waitUntil(
      (async () => {
        const assets = await caches.open(ASSETS);
        for (const href of data.assets ?? []) {
          const url = new URL(href, self.location.origin);
          if (url.origin === self.location.origin && isAsset(url) && !(await assets.match(url.href))) {
            await assets.add(url.href).catch(() => undefined);
          }
        }
        if (data.page) {
          const url = new URL(data.page, self.location.origin);
          if (url.origin === self.location.origin && isKeptPage(url)) {
            const pages = await caches.open(PAGES);
            if (!(await pages.match(url.href))) {
              const res = await fetch(url.href, { credentials: "same-origin" }).catch(() => null);
              if (res && keepable(res)) await pages.put(url.href, res);
            }
          }
        }
      })(),
    );
  } else if (data.type === "forget") {
    event.waitUntil(caches.keys().then((keys) => Promise.all(keys.filter((k) => k.startsWith("pass-")).map((k) => caches.delete(k)))));
  }
});
