/*
 * The push half of Pass's service worker (imported by public/sw.js, which is the one registered):
 * on the guest's /track page it shows the Web Push notification Pass sends
 * when the order is ready or cancelled (lib/notifications/push.ts; payload
 * { title, body, url, orderId, status, tag }), and opens the tracking page when it is tapped.
 */
self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { title: "Your order", body: event.data ? event.data.text() : "" };
  }
  const title = data.title || "Your order";
  event.waitUntil(
    self.registration.showNotification(title, {
      body: data.body || "",
      tag: data.tag || "pass-order",
      data: { url: data.url || "/", orderId: data.orderId, status: data.status },
      // A ready order stays on screen until the guest sees it.
      requireInteraction: data.status === "READY",
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = event.notification.data?.url || "/";
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((list) => {
      for (const client of list) if (client.url.includes(url) && "focus" in client) return client.focus();
      return self.clients.openWindow(url);
    }),
  );
});
