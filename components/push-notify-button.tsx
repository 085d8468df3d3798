"use client";

import { useEffect, useState } from "react";

type State = "unsupported" | "idle" | "asking" | "on" | "denied" | "error";

/** Statuses the guest can still be told about (READY or CANCELLED come later). */
const WAITING = new Set(["PENDING", "CONFIRMED", "PREPARING"]);

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const b64 = base64url
    .replace(/-/g, "+")
    .replace(/_/g, "/")
    .padEnd(Math.ceil(base64url.length / 4) * 4, "=");
  const raw = atob(b64);
  const out = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

/**
 * "Tell me when it's ready" on the guest's /track page: registers public/push-sw.js, asks for
 * notification permission when tapped (browsers allow the prompt only on a tap), subscribes with
 * Pass's VAPID key and hands the subscription to POST /api/orders/{id}/push-subscription with the
 * order's tracking token. Hidden once the order is past waiting, or where the phone has no Web Push.
 */
export function PushNotifyButton({ orderId, token, status }: { orderId: number; token: string; status: string | null }) {
  const [state, setState] = useState<State>("idle");
  const [registration, setRegistration] = useState<ServiceWorkerRegistration | null>(null);

  useEffect(() => {
    if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
      setState("unsupported");
      return;
    }
    if (Notification.permission === "denied") setState("denied");
    navigator.serviceWorker
      // The one worker of the site (public/sw.js: offline pages + these notifications, public/push-sw.js).
      .register("/sw.js", { scope: "/" })
      .then(async (reg) => {
        setRegistration(reg);
        // Already subscribed on this phone (a reload): say so.
        if (Notification.permission === "granted" && (await reg.pushManager.getSubscription())) setState("on");
      })
      .catch(() => setState("unsupported"));
  }, []);

  const enable = async () => {
    if (!registration) return;
    setState("asking");
    try {
      if ((await Notification.requestPermission()) !== "granted") {
        setState("denied");
        return;
      }
      const { publicKey } = (await (await fetch("/api/push/public-key", { cache: "no-store" })).json()) as { publicKey: string };
      const subscription =
        (await registration.pushManager.getSubscription()) ??
        (await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) }));
      const res = await fetch(`/api/orders/${orderId}/push-subscription`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-tracking-token": token },
        body: JSON.stringify({ subscription: subscription.toJSON() }),
      });
      setState(res.ok ? "on" : "error");
    } catch {
      setState("error");
    }
  };

  if (state === "unsupported" || (status !== null && !WAITING.has(status) && state !== "on")) return null;
  const label: Record<Exclude<State, "unsupported">, string> = {
    idle: "Notify me when it's ready",
    asking: "Asking…",
    on: "This phone will be notified when it's ready",
    denied: "Notifications are blocked for this site in your browser settings",
    error: "Could not turn on notifications — tap to try again",
  };
  return (
    <button
      type="button"
      data-testid="push-notify"
      data-state={state}
      data-registered={registration ? "true" : "false"}
      onClick={enable}
      disabled={!registration || state === "asking" || state === "on" || state === "denied"}
      className="min-h-14 rounded-2xl border-2 border-sky-400 bg-sky-950 px-5 py-3 text-xl font-bold text-white disabled:opacity-80"
    >
      {label[state]}
    </button>
  );
}
