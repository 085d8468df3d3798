"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useT } from "@/components/i18n";
import { type CourierDelivery, type CourierMe, courierMeKey, courierMeQuery, couriersApi } from "@/lib/client/couriers";
import type { MessageKey } from "@/lib/i18n";

/** How often the phone reports its position over /ws (the server allows 60 a minute). */
const REPORT_EVERY_MS = 15_000;

/** The link's token: `/courier#token=…` (a fragment never reaches a server log), or the token pasted alone. */
function tokenFrom(text: string): string | null {
  const m = /(?:#|^)token=([^&\s]+)/.exec(text.trim()) ?? /^(\S{20,200})$/.exec(text.trim());
  return m ? decodeURIComponent(m[1]!) : null;
}

export function CourierSignIn() {
  const t = useT();
  const [link, setLink] = useState("");
  const [error, setError] = useState("");
  const signIn = useMutation({
    mutationFn: (token: string) => couriersApi.signIn(token),
    onSuccess: () => {
      window.history.replaceState(null, "", "/courier");
      window.location.reload();
    },
    onError: (err) => setError(err instanceof Error ? err.message : String(err)),
  });
  const { mutate } = signIn;
  useEffect(() => {
    const token = tokenFrom(window.location.hash.slice(1));
    if (token) mutate(token);
  }, [mutate]);
  return (
    <main className="mx-auto flex min-h-dvh max-w-md flex-col justify-center gap-5 p-5" data-testid="courier-signin">
      <h1 className="text-4xl font-black">{t("courier.signInTitle")}</h1>
      <p className="text-xl text-gray-300">{t("courier.signInHow")}</p>
      <form
        className="grid gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          const token = tokenFrom(link);
          if (token) mutate(token);
        }}
      >
        <label className="grid gap-1 text-lg">
          <span>{t("courier.signInLink")}</span>
          <input
            className="min-h-12 rounded-xl border border-white/20 bg-black/40 px-3 text-lg"
            value={link}
            autoComplete="off"
            onChange={(e) => setLink(e.target.value)}
            data-testid="courier-signin-link"
          />
        </label>
        <button
          type="submit"
          className="min-h-14 rounded-2xl bg-green-500 px-5 text-2xl font-black text-black disabled:opacity-40"
          disabled={signIn.isPending || !tokenFrom(link)}
        >
          {signIn.isPending ? t("courier.signingIn") : t("courier.signIn")}
        </button>
      </form>
      {error && (
        <p role="alert" className="rounded-xl bg-red-950 px-4 py-3 text-xl" data-testid="courier-signin-error">
          {error}
        </p>
      )}
    </main>
  );
}

/** The position, over /ws (as a courier app does, docs/contracts.md#seeds-004), for each delivery on the way or, idle, for the next one. */
function useLocationReports(deliveries: readonly CourierDelivery[], available: boolean): boolean {
  const [sharing, setSharing] = useState(false);
  const onTheWay = deliveries.filter((d) => d.status === "PICKED_UP").map((d) => d.id);
  const wanted = available || onTheWay.length > 0;
  const orders = useRef<number[]>([]);
  orders.current = onTheWay;
  useEffect(() => {
    if (!wanted || typeof navigator === "undefined" || !navigator.geolocation) return;
    let ws: WebSocket | null = null;
    let closed = false;
    let last = 0;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const open = () => {
      ws = new WebSocket(`${window.location.protocol === "https:" ? "wss" : "ws"}://${window.location.host}/ws`);
      ws.onclose = () => {
        setSharing(false);
        if (!closed) retry = setTimeout(open, 5_000);
      };
    };
    open();
    const watch = navigator.geolocation.watchPosition(
      (pos) => {
        const now = Date.now();
        if (now - last < REPORT_EVERY_MS || ws?.readyState !== WebSocket.OPEN) return;
        last = now;
        const { latitude: lat, longitude: lng } = pos.coords;
        const ids = orders.current;
        if (ids.length === 0) ws.send(JSON.stringify({ type: "location", lat, lng }));
        for (const orderId of ids) ws.send(JSON.stringify({ type: "location", orderId, lat, lng }));
        setSharing(true);
      },
      () => setSharing(false),
      { enableHighAccuracy: true, maximumAge: 10_000 },
    );
    return () => {
      closed = true;
      clearTimeout(retry);
      navigator.geolocation.clearWatch(watch);
      ws?.close();
    };
  }, [wanted]);
  return sharing;
}

export function CourierScreen({ initial }: { initial: CourierMe }) {
  const t = useT();
  const qc = useQueryClient();
  const me = useQuery(courierMeQuery(initial));
  const data = me.data ?? initial;
  const [error, setError] = useState("");
  const onError = (err: unknown) => setError(err instanceof Error ? err.message : String(err));
  const available = useMutation({
    mutationFn: (on: boolean) => couriersApi.setAvailable(on),
    onSuccess: (next) => {
      setError("");
      qc.setQueryData(courierMeKey, next);
    },
    onError,
  });
  const mark = useMutation({
    mutationFn: ({ id, status }: { id: number; status: "PICKED_UP" | "DELIVERED" }) => couriersApi.mark(id, status),
    onSuccess: () => {
      setError("");
      void qc.invalidateQueries({ queryKey: courierMeKey });
    },
    onError,
  });
  const sharing = useLocationReports(data.deliveries, data.courier.available);
  return (
    <main className="mx-auto flex min-h-dvh max-w-md flex-col gap-4 p-4" data-testid="courier-screen" data-courier={data.courier.name}>
      <header className="grid gap-1">
        <h1 className="text-3xl font-black">{t("courier.title")}</h1>
        <span className="break-words text-xl font-bold text-gray-300" data-testid="courier-me">
          {data.courier.name}
        </span>
      </header>
      <button
        type="button"
        aria-pressed={data.courier.available}
        disabled={available.isPending}
        onClick={() => available.mutate(!data.courier.available)}
        data-testid="courier-available"
        data-available={data.courier.available ? "true" : "false"}
        className={`min-h-16 rounded-2xl px-4 text-2xl font-black disabled:opacity-60 ${
          data.courier.available ? "bg-green-400 text-black" : "bg-white/10 text-white ring-2 ring-white/30"
        }`}
      >
        {t(data.courier.available ? "courier.available" : "courier.unavailable")}
      </button>
      <p className="text-lg text-gray-300">
        {t("courier.availableHelp")} ·{" "}
        <span data-testid="courier-location" data-sharing={sharing ? "true" : "false"}>
          {t(sharing ? "courier.locationOn" : "courier.locationOff")}
        </span>
      </p>
      {error && (
        <p role="alert" className="rounded-xl bg-red-950 px-4 py-3 text-xl" data-testid="courier-error">
          {error}
        </p>
      )}
      <ul className="grid gap-3" data-testid="courier-deliveries">
        {data.deliveries.map((d) => (
          <li
            key={d.id}
            className="grid gap-3 rounded-2xl bg-white/10 p-4"
            data-testid="courier-delivery"
            data-order-id={d.id}
            data-status={d.status}
          >
            <div className="flex items-baseline justify-between gap-3">
              <span className="font-mono text-4xl font-black">{d.displayCode}</span>
              <span className="rounded-full bg-cyan-300 px-3 py-1 text-lg font-black text-black">
                {t(`courier.status.${d.status}` as MessageKey)}
              </span>
            </div>
            {d.customer && <p className="text-xl">{t("courier.for", { name: d.customer })}</p>}
            <p className="text-lg text-gray-300">{d.items.map((i) => `${i.quantity}× ${i.name}`).join(", ")}</p>
            {d.status === "READY" && (
              <button
                type="button"
                disabled={mark.isPending}
                onClick={() => mark.mutate({ id: d.id, status: "PICKED_UP" })}
                data-testid="courier-picked-up"
                className="min-h-16 rounded-2xl bg-amber-300 px-4 text-2xl font-black text-black disabled:opacity-60"
              >
                {t("courier.pickedUp")}
              </button>
            )}
            {d.status === "PICKED_UP" && (
              <button
                type="button"
                disabled={mark.isPending}
                onClick={() => mark.mutate({ id: d.id, status: "DELIVERED" })}
                data-testid="courier-delivered"
                className="min-h-16 rounded-2xl bg-green-400 px-4 text-2xl font-black text-black disabled:opacity-60"
              >
                {t("courier.delivered")}
              </button>
            )}
          </li>
        ))}
        {data.deliveries.length === 0 && (
          <li className="rounded-2xl bg-white/5 p-4 text-xl text-gray-300" data-testid="courier-none">
            {t("courier.none")}
          </li>
        )}
      </ul>
    </main>
  );
}
