"use client";

import { useEffect, useRef, useState } from "react";
import { ConnectionBadge } from "@/components/connection-badge";
import { useLocale, useT } from "@/components/i18n";
import { PushNotifyButton } from "@/components/push-notify-button";
import { playAlert, useSoundUnlock } from "@/components/sound";
import { LiveStream, type ConnectionState } from "@/lib/client/live-stream";
import { allergenLabel, type MessageKey } from "@/lib/i18n";
import { DEFAULT_MONEY_STYLE, displayMoney, type MoneyStyle } from "@/lib/money-format";
import type { OrderDto } from "@/lib/orders/dto";
import { AUTO_CANCEL_REASON } from "@/lib/orders/status";

/** GET /api/orders/{id} with the tracking token: the order and how its restaurant writes amounts. */
type TrackedOrder = OrderDto & { money?: MoneyStyle | null };

/** The customer's words for each step (the mapping of lib/orders/status for seeds/002). */
const STEPS: readonly { status: string; label: MessageKey }[] = [
  { status: "PENDING", label: "track.step.received" },
  { status: "CONFIRMED", label: "track.step.confirmed" },
  { status: "PROCESSING", label: "track.step.preparing" },
  { status: "READY", label: "track.step.ready" },
  { status: "PICKED_UP", label: "track.step.pickedUp" },
];

const FROM_PASS: Record<string, string> = {
  PENDING: "PENDING",
  CONFIRMED: "CONFIRMED",
  PREPARING: "PROCESSING",
  READY: "READY",
  PICKED_UP: "PICKED_UP",
  DELIVERED: "SHIPPED",
  CANCELLED: "CANCELLED",
};

/** Sources whose guests pay at the counter: a QR or kiosk order waits there for the cashier (PENDING). */
const PAY_AT_COUNTER_SOURCES = new Set(["qr", "kiosk"]);

const PAST_READY = new Set(["READY", "PICKED_UP", "SHIPPED", "CANCELLED"]);

/**
 * The order as this phone last saw it (docs/architecture.md#offline): the page comes from the
 * service worker when it is reloaded while Pass is unreachable, and shows this with an offline
 * notice instead of an empty page, until Pass answers again.
 */
type Seen = { order: TrackedOrder; status: string | null; ticket: number | null };
const seenKey = (orderId: number) => `pass.track:${orderId}`;
function readSeen(orderId: number): Seen | null {
  try {
    const raw = localStorage.getItem(seenKey(orderId));
    const seen = raw ? (JSON.parse(raw) as Seen) : null;
    return seen?.order?.id === orderId ? seen : null;
  } catch {
    return null;
  }
}

/** Served at the table: eaten in, with a table to bring it to. */
const servedAtTable = (o: TrackedOrder | null): o is TrackedOrder & { table: string } => !!o?.table && o.serviceType === "dine-in";

/**
 * The order just became ready while the guest watches: a buzz and a short chime, where the
 * browser allows (vibration needs a phone that has it; sound needs a tap on the page first,
 * which useSoundUnlock listens for). Not on a page opened on an order that was ready already:
 * the stream's replay from the order's creation walks through READY again.
 */
function useReadyAlert(status: string | null, loadedStatus: string | null) {
  useSoundUnlock();
  const previous = useRef<string | null>(null);
  useEffect(() => {
    const was = previous.current;
    previous.current = status;
    if (loadedStatus === null || PAST_READY.has(loadedStatus)) return;
    if (status !== "READY" || was === null || was === "READY") return;
    try {
      navigator.vibrate?.([200, 100, 200, 100, 400]);
    } catch {
      // Some browsers throw instead of refusing: the screen still says it.
    }
    playAlert("ready");
  }, [status, loadedStatus]);
}

export function TrackView({ orderId, token }: { orderId: number; token: string }) {
  const t = useT();
  const locale = useLocale();
  const [order, setOrder] = useState<TrackedOrder | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [ticket, setTicket] = useState<number | null>(null);
  const [courier, setCourier] = useState<{ name: string | null; location: { lat: number; lng: number; at: string } | null }>({
    name: null,
    location: null,
  });
  const [error, setError] = useState<{ key: MessageKey; status?: number } | null>(null);
  // Cancelled by Pass's own auto-cancel (not a person's reason): the guest may read why.
  const [timedOut, setTimedOut] = useState(false);
  const [state, setState] = useState<ConnectionState>({ status: "connecting", since: Date.now() });
  // The status the page was opened on (GET /api/orders/{id}), before the stream replays anything.
  const [loadedStatus, setLoadedStatus] = useState<string | null>(null);
  useReadyAlert(status, loadedStatus);
  // Pass did not answer the first read (server or network down): since when.
  const [unreachableSince, setUnreachableSince] = useState<number | null>(null);

  useEffect(() => {
    if (!order) return;
    try {
      localStorage.setItem(seenKey(orderId), JSON.stringify({ order, status, ticket } satisfies Seen));
    } catch {
      // full or private mode: no offline copy
    }
  }, [orderId, order, status, ticket]);

  useEffect(() => {
    let stream: LiveStream | null = null;
    let stopped = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    /** The first read, again and again (2 s → 15 s) while Pass cannot be reached; the last seen order meanwhile. */
    const read = async (delay: number): Promise<Response | null> => {
      const res = await fetch(`/api/orders/${orderId}`, { headers: { "x-tracking-token": token }, cache: "no-store" }).catch(() => null);
      // No answer, or a proxy answering for a node that is down.
      if (res && !(res.status >= 502 && res.status <= 504)) return res;
      if (stopped) return null;
      const since = Date.now();
      setUnreachableSince((s) => s ?? since);
      setState((s) => (s.status === "offline" ? s : { status: "offline", since }));
      const seen = readSeen(orderId);
      if (seen) {
        setOrder((o) => o ?? seen.order);
        setStatus((s) => s ?? seen.status);
        setLoadedStatus((s) => s ?? seen.status);
        setTicket((t) => t ?? seen.ticket);
      }
      await new Promise((wake) => {
        retry = setTimeout(wake, delay);
      });
      return stopped ? null : read(Math.min(delay * 2, 15_000));
    };
    void (async () => {
      const res = await read(2_000);
      if (!res || stopped) return;
      setUnreachableSince(null);
      if (!res.ok) {
        setError(res.status === 404 || res.status === 401 ? { key: "track.notFound" } : { key: "track.error", status: res.status });
        return;
      }
      const current = (await res.json()) as TrackedOrder;
      setOrder(current);
      setStatus(FROM_PASS[current.status] ?? current.status);
      setLoadedStatus(FROM_PASS[current.status] ?? current.status);
      setTicket(current.ticketNumber);
      setTimedOut(current.cancelReason === AUTO_CANCEL_REASON);
      setCourier({ name: current.courierName, location: current.courierLocation });
      // Everything since the order was created, then live: nothing between the fetch and the stream is missed.
      const since = new Date(Date.parse(current.createdAt) - 1).toISOString();
      stream = new LiveStream({
        url: `/v1/orders/live?orderId=${orderId}&since=${encodeURIComponent(since)}`,
        headers: { authorization: `Bearer ${token}` },
        handlers: {
          onEvent: (e) => {
            // `order-cancelled` carries the staff's reason (seeds/002): never shown to the guest,
            // except Pass's own auto-cancel reason.
            const data = e.data as {
              status?: string;
              reason?: string | null;
              ticketNumber?: number;
              courierName?: string | null;
              courierLocation?: { lat: number; lng: number; at: string } | null;
            };
            if (data.courierName !== undefined || data.courierLocation !== undefined) {
              setCourier((c) => ({ name: data.courierName ?? c.name, location: data.courierLocation ?? c.location }));
            }
            if (e.event.startsWith("order-") && data.status) setStatus(data.status);
            if (e.event === "order-cancelled") setTimedOut(data.reason === AUTO_CANCEL_REASON);
            if (typeof data.ticketNumber === "number") setTicket(data.ticketNumber);
            // Confirmation may bring a discount: the lines and total are read again.
            if (data.status === "CONFIRMED") {
              void fetch(`/api/orders/${orderId}`, { headers: { "x-tracking-token": token }, cache: "no-store" })
                .then((r) => (r.ok ? (r.json() as Promise<TrackedOrder>) : null))
                .then((o) => o && setOrder(o))
                .catch(() => undefined);
            }
          },
          onState: setState,
          onReset: () => undefined,
        },
      });
      stream.start();
    })();
    return () => {
      stopped = true;
      clearTimeout(retry);
      stream?.stop();
    };
  }, [orderId, token]);

  if (error) {
    return (
      <main className="mx-auto max-w-xl p-6">
        <p role="alert" data-testid="track-error" className="rounded-2xl border border-red-400 bg-red-950 p-6 text-2xl">
          {t(error.key, { status: error.status ?? "" })}
        </p>
      </main>
    );
  }
  const reached = STEPS.findIndex((s) => s.status === status);
  const atTable = servedAtTable(order);
  const payAtCounter =
    status === "PENDING" && !!order && PAY_AT_COUNTER_SOURCES.has(order.source) && !order.paymentMethod && order.payments.length === 0;
  const style = order?.money ?? DEFAULT_MONEY_STYLE;
  return (
    <main className="mx-auto flex min-h-dvh max-w-xl flex-col gap-6 p-6">
      <header className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-3xl font-black">{t("track.title")}</h1>
        <ConnectionBadge state={state} />
      </header>
      <section className="rounded-3xl border border-white/10 bg-white/5 p-6 text-center">
        <p className="text-xl text-gray-300">{ticket ? t("track.ticketNumber") : t("track.order")}</p>
        <p className="text-8xl font-black tabular-nums" data-testid="track-number">
          {ticket ?? order?.displayCode ?? "…"}
        </p>
        {order && ticket && <p className="text-xl text-gray-300">{order.displayCode}</p>}
      </section>
      {(unreachableSince !== null || state.status === "offline") && (
        <p
          role="status"
          data-testid="track-offline"
          className="rounded-2xl border-4 border-amber-400 bg-amber-950 p-5 text-xl font-semibold"
        >
          {t(order ? "track.offline" : "track.offlineEmpty")}
        </p>
      )}
      {payAtCounter && (
        <div role="status" data-testid="track-pay-counter" className="rounded-2xl border-4 border-amber-400 bg-amber-950 p-5 text-center">
          <p className="text-3xl font-black">{t("track.payCounter")}</p>
          <p className="mt-1 text-xl text-amber-100">{t("track.payCounterHelp", { code: order.displayCode })}</p>
        </div>
      )}
      {status === "CANCELLED" ? (
        <div
          role="status"
          data-testid="track-status"
          data-status="CANCELLED"
          className="rounded-2xl border-4 border-red-500 bg-red-950 p-6 text-center"
        >
          <p className="text-3xl font-black" data-testid="track-cancelled">
            {t(timedOut ? "track.cancelledTimedOut" : "track.cancelled")}
          </p>
          <p className="mt-2 text-xl text-gray-200">{t("track.cancelledHelp")}</p>
        </div>
      ) : (
        <ol className="flex flex-col gap-3" data-testid="track-status" data-status={status ?? ""} aria-label={t("track.progress")}>
          {STEPS.map((s, i) => (
            <li
              key={s.status}
              aria-current={i === reached ? "step" : undefined}
              data-testid={s.status === "READY" ? "track-ready" : undefined}
              className={`flex items-center gap-4 rounded-2xl px-5 py-4 text-2xl font-bold ${i < reached ? "bg-white/5 text-gray-400" : i === reached ? (s.status === "READY" ? "bg-green-500 text-black" : "bg-sky-500 text-black") : "bg-white/5 text-gray-500"}`}
            >
              <span aria-hidden className="grid h-9 w-9 shrink-0 place-items-center rounded-full border-2 border-current text-lg">
                {i < reached ? "✓" : i + 1}
              </span>
              {s.status === "READY" && atTable
                ? t("track.step.readyTable", { table: order.table })
                : s.status === "PICKED_UP" && atTable
                  ? t("track.step.served")
                  : t(s.label)}
            </li>
          ))}
        </ol>
      )}
      <PushNotifyButton orderId={orderId} token={token} status={status} />
      {courier.name && (
        <p data-testid="track-courier" className="rounded-2xl bg-white/5 p-4 text-xl">
          {t("track.courier")} <strong>{courier.name}</strong>
          {courier.location && (
            <span className="block text-lg text-gray-300">
              {t("track.lastSeen", {
                lat: courier.location.lat.toFixed(4),
                lng: courier.location.lng.toFixed(4),
                time: new Date(courier.location.at).toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" }),
              })}
            </span>
          )}
        </p>
      )}
      {order && (
        <ul className="flex flex-col gap-1 text-lg text-gray-300">
          {order.orderItems.map((i) => (
            <li key={i.id} data-testid="track-line">
              <span className="flex justify-between gap-3">
                <span>
                  {i.quantity}× {i.name}
                </span>
                <span className="tabular-nums" data-testid="track-line-total">
                  {displayMoney(i.total, style)}
                </span>
              </span>
              {i.modifiers.length > 0 && (
                <span className="block pl-6 text-base text-gray-400" data-testid="track-options">
                  {i.modifiers.flatMap((m) => m.options.map((o) => `+ ${o.name}`)).join(" · ")}
                </span>
              )}
            </li>
          ))}
          {Number(order.discount) > 0 && (
            <li className="flex justify-between gap-3" data-testid="track-discount">
              <span>{t("track.discount")}</span>
              <span className="tabular-nums">−{displayMoney(order.discount, style)}</span>
            </li>
          )}
          <li className="mt-1 flex justify-between gap-3 border-t border-white/10 pt-2 text-2xl font-black text-white">
            <span>{t("track.total")}</span>
            <span className="tabular-nums" data-testid="track-total">
              {displayMoney(order.total, style)}
            </span>
          </li>
        </ul>
      )}
      {/* Once paid, the guest's invoice (lib/orders/invoice.ts), by the same token as this page. */}
      {order && order.payments.length > 0 && status !== "CANCELLED" && (
        <a
          href={`/api/orders/${orderId}/invoice.pdf?token=${encodeURIComponent(token)}`}
          download
          data-testid="track-invoice"
          className="flex min-h-14 items-center justify-center rounded-2xl bg-white/10 px-5 text-2xl font-bold"
        >
          {t("invoice.download")}
        </a>
      )}
      {order?.allergies && (order.allergies.codes.length > 0 || order.allergies.note) && (
        <p data-testid="track-allergies" className="rounded-2xl border-2 border-amber-400 bg-amber-950 p-4 text-lg font-semibold">
          {t("track.allergies")}{" "}
          {[...order.allergies.codes.map((c) => allergenLabel(locale, c)), ...(order.allergies.note ? [order.allergies.note] : [])].join(
            ", ",
          )}
        </p>
      )}
    </main>
  );
}
