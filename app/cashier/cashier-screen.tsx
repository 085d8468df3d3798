"use client";

import { useEffect, useMemo, useState } from "react";
import { useMutation } from "@tanstack/react-query";
import { create } from "zustand";
import { Elapsed } from "@/components/elapsed";
import { AutoCancelToast } from "@/components/auto-cancel-toast";
import { useT } from "@/components/i18n";
import { AllergyBand, LineDetails } from "@/components/order-lines";
import { ScreenShell } from "@/components/screen-shell";
import { PrinterBanner } from "./printer-banner";
import { SoldOutPanel } from "@/components/sold-out-panel";
import { playAlert } from "@/components/sound";
import { StatusChip } from "@/components/status";
import { postJson, setOrderStatus } from "@/lib/client/api";
import { usePartnerStyles } from "@/lib/client/money";
import { clockTime, scheduledOrders, scheduleOf } from "@/lib/client/schedule";
import { useOrdersStream } from "@/lib/client/use-orders-stream";
import { displayMoney, type MoneyStyle } from "@/lib/money-format";
import type { MessageKey } from "@/lib/i18n";
import type { OrderDto } from "@/lib/orders/dto";
import type { PaymentMethod } from "@/lib/orders/payments";
import {
  type CashierAction,
  cashierAction,
  handOverStep,
  KEY_LABEL,
  moveSelection,
  nextHandOver,
  pendingOrder,
  SHORTCUTS,
  takesCourier,
} from "./cashier-keys";
import { ConfirmDialog } from "./confirm-dialog";
import { Dialog } from "./dialog";

const FILTER = {} as const;
const ALERT_REPEAT_MS = 4_000;
/** Lines a compact card lists before "+ n more" (the confirm dialog lists them all). */
const CARD_LINES = 3;
/**
 * Cards drawn at most, in the list's own order (RUSH, then oldest): a tablet that was offline
 * through a rush may hold thousands, and drawing them all made every change take seconds. The
 * count says how many wait; the next ones appear as the first are confirmed or cancelled.
 */
const PENDING_SHOWN = 60;
/** Today's rows drawn at most, newest first (the dashboard lists the whole day). */
const TODAY_SHOWN = 150;
/** Order sources the catalogue names (lib/i18n "profile.source.*"); any other is shown as sent. */
const SOURCES = new Set(["counter", "kiosk", "qr", "delivery", "api"]);

/** Screen-local state: which arrivals the cashier has acknowledged (the alert repeats until then). */
const useAcks = create<{ acked: Set<number>; ack(ids: number[]): void }>((set) => ({
  acked: new Set(),
  ack: (ids) => set((s) => ({ acked: new Set([...s.acked, ...ids]) })),
}));

const SERVICE: Record<string, { label: MessageKey; style: string }> = {
  "dine-in": { label: "service.dine-in", style: "bg-slate-200 text-black" },
  takeaway: { label: "service.takeaway", style: "bg-orange-300 text-black" },
  delivery: { label: "service.delivery", style: "bg-cyan-300 text-black" },
  pickup: { label: "service.pickup", style: "bg-lime-300 text-black" },
};

/** The hand-over button's word (cashier-keys.ts picks the step, the catalogue its word). */
const handOverLabel = (o: OrderDto, status: string): MessageKey =>
  status === "DELIVERED" ? "cashier.delivered" : o.serviceType === "dine-in" ? "cashier.served" : "cashier.pickedUp";

type DialogState =
  | { kind: "confirm"; order: OrderDto; method: PaymentMethod }
  | { kind: "cancel"; order: OrderDto }
  | { kind: "reprint"; order: OrderDto };

export function CashierScreen() {
  const { snapshot, state, lastEventId } = useOrdersStream({
    channel: "cashier",
    filter: FILTER,
    onOrderEvent: ({ type }) => {
      // A new order, or a ticket no kitchen screen showed in time, sounds the alert.
      if (type === "order.created" || type === "order.unacknowledged") playAlert("new-order");
    },
  });
  const { styleOf, partnerOf } = usePartnerStyles();
  const tr = useT();

  const orders = snapshot.data?.orders ?? [];
  const pending = useMemo(() => orders.filter((o) => o.status === "PENDING").sort(pendingOrder), [orders]);
  const today = useMemo(() => orders.filter((o) => o.status !== "PENDING").sort((a, b) => b.id - a.id), [orders]);
  const scheduled = useMemo(() => scheduledOrders(orders), [orders]);
  const { acked, ack } = useAcks();
  const unacked = pending.filter((o) => !acked.has(o.id));
  const shownPending = pending.length > PENDING_SHOWN ? pending.slice(0, PENDING_SHOWN) : pending;
  const shownToday = today.length > TODAY_SHOWN ? today.slice(0, TODAY_SHOWN) : today;

  // Repeats until every arrival is acknowledged.
  useEffect(() => {
    if (unacked.length === 0) return;
    const t = setInterval(() => playAlert("new-order"), ALERT_REPEAT_MS);
    return () => clearInterval(t);
  }, [unacked.length]);

  // Tickets Pass flagged because no kitchen screen showed them in time (derived, survives reloads).
  const notSeen = useMemo(
    () => orders.filter((o) => o.kitchenAlertAt && !o.kitchenAckAt && (o.status === "CONFIRMED" || o.status === "PREPARING")),
    [orders],
  );

  const [dialog, setDialog] = useState<DialogState | null>(null);
  // The keyboard's order: the chosen one while it is pending, else the first (a RUSH if any).
  const [chosen, setChosen] = useState<number | null>(null);
  const selected = shownPending.find((o) => o.id === chosen) ?? shownPending[0] ?? null;
  const handOver = useMutation({ mutationFn: ({ id, status }: { id: number; status: string }) => setOrderStatus(id, status) });

  const defaultMethod = (o: OrderDto): PaymentMethod => partnerOf(o.partnerId)?.defaultPaymentMethod ?? "CASH";
  const openConfirm = (o: OrderDto, method: PaymentMethod = defaultMethod(o)) => {
    ack([o.id]);
    setChosen(o.id);
    setDialog({ kind: "confirm", order: o, method });
  };

  const run = (action: CashierAction) => {
    const ids = shownPending.map((o) => o.id);
    if (action === "next" || action === "previous") setChosen(moveSelection(ids, selected?.id ?? null, action === "next" ? 1 : -1));
    else if (action === "acknowledge") ack(ids);
    else if (action === "hand-over") {
      const o = nextHandOver(today);
      if (o && !handOver.isPending) handOver.mutate({ id: o.id, status: "PICKED_UP" });
    } else if (selected) {
      if (action === "confirm-cash") openConfirm(selected, "CASH");
      else if (action === "confirm-card") openConfirm(selected, "CARD");
      else if (action === "cancel") ack([selected.id]), setDialog({ kind: "cancel", order: selected });
    }
  };
  const runRef = useLatest(run);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (document.querySelector("dialog[open]") || target?.closest("input, textarea, select, [contenteditable]")) return;
      const action = cashierAction(e);
      if (!action) return;
      e.preventDefault();
      runRef.current(action);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [runRef]);

  return (
    <ScreenShell
      title={tr("cashier.title")}
      screen="cashier"
      lastEventId={lastEventId}
      state={state}
      tools={
        <>
          {unacked.length > 0 && (
            <button
              type="button"
              onClick={() => ack(unacked.map((o) => o.id))}
              data-testid="ack-all"
              className="min-h-11 pulse-ring rounded-full bg-amber-400 px-4 text-lg font-black text-black"
            >
              {tr("cashier.ackAll", { count: unacked.length })}
            </button>
          )}
          <span className="ml-auto" />
          <SoldOutPanel />
        </>
      }
    >
      <PrinterBanner />
      <AutoCancelToast />
      {notSeen.length > 0 && (
        <p
          role="alert"
          data-testid="kitchen-alert"
          className="mb-3 rounded-2xl border-4 border-red-500 bg-red-950 px-4 py-3 text-2xl font-black"
        >
          {tr("cashier.kitchenNotSeen", { tickets: notSeen.map((o) => `#${o.ticketNumber}`).join(", ") })}
        </p>
      )}
      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_23rem] 2xl:grid-cols-[minmax(0,1fr)_28rem]">
        <section aria-labelledby="incoming">
          <div className="mb-2 flex flex-wrap items-baseline gap-x-4 gap-y-1">
            <h2 id="incoming" className="text-2xl font-bold">
              {tr("cashier.incoming")}{" "}
              <span className="text-gray-400" data-testid="pending-count" data-count={pending.length}>
                ({pending.length})
              </span>
            </h2>
            <ShortcutLegend />
          </div>
          {pending.length === 0 ? (
            <p className="rounded-2xl border border-dashed border-white/20 p-10 text-center text-2xl text-gray-300">
              {tr("cashier.waiting")}
            </p>
          ) : (
            <ol className="grid grid-cols-[repeat(auto-fill,minmax(16rem,1fr))] gap-3" data-testid="pending-orders">
              {shownPending.map((o) => (
                <PendingCard
                  key={o.id}
                  order={o}
                  partner={partnerOf(o.partnerId)?.slug}
                  style={styleOf(o.partnerId)}
                  fresh={!acked.has(o.id)}
                  selected={selected?.id === o.id}
                  onAck={() => (ack([o.id]), setChosen(o.id))}
                  onConfirm={() => openConfirm(o)}
                  onCancel={() => (ack([o.id]), setDialog({ kind: "cancel", order: o }))}
                />
              ))}
            </ol>
          )}
          {pending.length > shownPending.length && (
            <p
              data-testid="pending-more"
              className="mt-3 rounded-2xl border border-dashed border-amber-400/60 p-4 text-center text-xl font-bold"
            >
              {tr("cashier.morePending", { count: pending.length - shownPending.length })}
            </p>
          )}
        </section>
        <div>
          {scheduled.length > 0 && (
            <section aria-labelledby="scheduled" className="mb-4">
              <h2 id="scheduled" className="mb-2 text-2xl font-bold">
                {tr("cashier.scheduled")} <span className="text-gray-400">({scheduled.length})</span>
              </h2>
              <ol className="flex flex-col gap-2" data-testid="scheduled-orders">
                {scheduled.map((o) => (
                  <li
                    key={o.id}
                    data-testid="scheduled-order"
                    data-code={o.displayCode}
                    data-partner={partnerOf(o.partnerId)?.slug}
                    data-held={scheduleOf(o)?.held}
                    className="flex flex-wrap items-center gap-3 rounded-xl border-2 border-violet-300 bg-violet-950 px-3 py-2 text-xl"
                  >
                    <strong className="w-16 text-3xl font-black">{o.ticketNumber ? `#${o.ticketNumber}` : "—"}</strong>
                    <span className="w-14">{o.displayCode}</span>
                    {o.customer && <span className="min-w-0 truncate">{o.customer}</span>}
                    <ScheduledBadge order={o} className="ml-auto" />
                  </li>
                ))}
              </ol>
            </section>
          )}
          <section aria-labelledby="today">
            <h2 id="today" className="mb-2 text-2xl font-bold">
              {tr("cashier.today")}
            </h2>
            {handOver.error && (
              <p role="alert" data-testid="handover-error" className="mb-2 rounded-xl bg-red-950 px-3 py-2 text-lg">
                {handOver.error.message}
              </p>
            )}
            <ol className="flex flex-col gap-2" data-testid="today-orders">
              {shownToday.map((o) => (
                <TodayRow
                  key={o.id}
                  order={o}
                  partner={partnerOf(o.partnerId)?.slug}
                  style={styleOf(o.partnerId)}
                  busy={handOver.isPending && handOver.variables?.id === o.id}
                  onHandOver={(status) => handOver.mutate({ id: o.id, status })}
                  onReprint={() => setDialog({ kind: "reprint", order: o })}
                />
              ))}
            </ol>
            {today.length > shownToday.length && (
              <p data-testid="today-more" className="mt-2 text-lg text-gray-300">
                {tr("cashier.moreToday", { count: today.length - shownToday.length })}
              </p>
            )}
          </section>
        </div>
      </div>
      {dialog?.kind === "confirm" && (
        <ConfirmDialog
          order={dialog.order}
          style={styleOf(dialog.order.partnerId)}
          method={dialog.method}
          partnerSlug={partnerOf(dialog.order.partnerId)?.slug ?? null}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog?.kind === "cancel" && <CancelDialog order={dialog.order} onClose={() => setDialog(null)} />}
      {dialog?.kind === "reprint" && <ReprintDialog order={dialog.order} onClose={() => setDialog(null)} />}
    </ScreenShell>
  );
}

function useOrderAction<T>(url: string, onDone: () => void) {
  return useMutation({ mutationFn: (body: T) => postJson(url, body), onSuccess: onDone });
}

/** The latest value of `value` for handlers registered once. */
function useLatest<T>(value: T) {
  const [ref] = useState(() => ({ current: value }));
  ref.current = value;
  return ref;
}

function ShortcutLegend() {
  const tr = useT();
  return (
    <p data-testid="shortcut-legend" title={tr("cashier.shortcuts")} className="flex flex-wrap gap-x-2.5 gap-y-1 text-sm text-gray-300">
      {SHORTCUTS.map((s) => (
        <span key={s.action}>
          {s.keys.map((k) => (
            <kbd key={k} className="mr-0.5 rounded bg-white/15 px-1 font-bold text-white">
              {KEY_LABEL[k] ?? k.toUpperCase()}
            </kbd>
          ))}{" "}
          {tr(`cashier.key.${s.action}`)}
        </span>
      ))}
    </p>
  );
}

function Badge({ children, style, testId }: { children: React.ReactNode; style: string; testId: string }) {
  return (
    <span data-testid={testId} className={`rounded-full px-2 text-sm font-black uppercase ${style}`}>
      {children}
    </span>
  );
}

/** A pending order, compact: six fit on a 1280×800 tablet, RUSH and how it is served on top. */
function PendingCard({
  order: o,
  partner,
  style,
  fresh,
  selected,
  onAck,
  onConfirm,
  onCancel,
}: {
  order: OrderDto;
  /** The restaurant's slug: an admin's cashier shows every restaurant's orders (display codes repeat). */
  partner: string | undefined;
  style: MoneyStyle;
  fresh: boolean;
  selected: boolean;
  onAck(): void;
  onConfirm(): void;
  onCancel(): void;
}) {
  const tr = useT();
  const service = SERVICE[o.serviceType] ?? SERVICE["dine-in"]!;
  const rush = o.priority === "HIGH";
  const shown = o.orderItems.slice(0, CARD_LINES);
  const more = o.orderItems.length - shown.length;
  const sourceKey = `profile.source.${o.source}` as MessageKey;
  const where = [
    o.table ? tr("cashier.table", { table: o.table }) : null,
    o.customer,
    SOURCES.has(o.source) ? tr(sourceKey) : o.source,
  ].filter((x): x is string => Boolean(x));
  return (
    <li
      data-testid="pending-order"
      data-code={o.displayCode}
      data-partner={partner}
      data-alert={fresh}
      data-allergy={o.allergyAlert}
      data-rush={rush}
      data-selected={selected}
      aria-current={selected ? "true" : undefined}
      onClick={onAck}
      className={`flex min-w-0 flex-col overflow-hidden rounded-2xl border-4 bg-[#15181d] ${rush ? "border-red-500" : fresh ? "border-amber-400" : "border-amber-400/40"} ${fresh ? "pulse-ring" : ""} ${selected ? "outline-4 outline-offset-2 outline-sky-400" : ""}`}
    >
      <AllergyBand order={o} />
      <div className="flex flex-1 flex-col gap-1 p-3 pt-2">
        {/* The code, and beside it the badges over the table · guest · source (the source in the
            restaurant's words): squeezed beside the timer and total, that line showed three letters
            of the source and never the table; a line of its own cost the tablet its sixth card. */}
        <div className="flex items-start gap-2">
          <span className="text-4xl leading-none font-black">{o.displayCode}</span>
          <div className="min-w-0 flex-1">
            <div className="flex flex-wrap items-center gap-1.5">
              {rush && (
                <Badge testId="rush-badge" style="bg-red-600 text-white">
                  {tr("ticket.rush")}
                </Badge>
              )}
              <Badge testId="service-type" style={service.style}>
                {tr(service.label)}
              </Badge>
            </div>
            <p className="truncate text-lg leading-6 text-gray-300" data-testid="pending-where" title={where.join(" · ")}>
              {where.join(" · ")}
            </p>
          </div>
        </div>
        <div className="flex items-center gap-2 text-lg">
          <Elapsed from={o.createdAt} warnAfterMin={2} lateAfterMin={5} className="text-lg" />
          <span className="ml-auto shrink-0 text-2xl font-black tabular-nums" data-testid="pending-total">
            {displayMoney(o.total, style)}
          </span>
        </div>
        <ScheduledBadge order={o} />
        <ul className="flex min-w-0 flex-col text-lg">
          {shown.map((i) => (
            <li key={i.id} data-testid="order-line" className="min-w-0 break-words">
              <span className="font-bold">
                {i.quantity}× {i.name}
              </span>
              <LineDetails line={i} size="sm" />
            </li>
          ))}
          {more > 0 && <li className="text-base text-gray-300">{tr("cashier.moreLines", { count: more })}</li>}
        </ul>
        <div className="mt-auto flex gap-2 pt-2">
          <button
            type="button"
            data-testid="confirm-open"
            onClick={(e) => (e.stopPropagation(), onConfirm())}
            className="min-h-11 flex-1 rounded-xl bg-blue-500 text-xl font-black text-white"
          >
            {tr("cashier.confirm")}
          </button>
          <button
            type="button"
            data-testid="cancel-open"
            onClick={(e) => (e.stopPropagation(), onCancel())}
            className="min-h-11 rounded-xl bg-white/10 px-4 text-lg font-bold"
          >
            {tr("cashier.cancel")}
          </button>
        </div>
      </div>
    </li>
  );
}

/** A row of today's list: its ticket, status and total; served / picked up / delivered, the courier, reprint. */
function TodayRow({
  order: o,
  partner,
  style,
  busy,
  onHandOver,
  onReprint,
}: {
  order: OrderDto;
  partner: string | undefined;
  style: MoneyStyle;
  busy: boolean;
  onHandOver(status: string): void;
  onReprint(): void;
}) {
  const tr = useT();
  const step = handOverStep(o);
  const split = o.payments.length > 1;
  const cash = o.payments.find((p) => p.change !== null);
  return (
    <li
      data-testid="today-order"
      data-code={o.displayCode}
      data-partner={partner}
      data-status={o.status}
      data-allergy={o.allergyAlert}
      className="flex flex-wrap items-center gap-x-1.5 gap-y-1 overflow-hidden rounded-xl bg-white/5 px-3 py-1.5 text-lg"
    >
      {o.allergyAlert && o.status !== "CANCELLED" && (
        <div className="-mx-3 -mt-1.5 basis-[calc(100%+1.5rem)]">
          <AllergyBand order={o} compact />
        </div>
      )}
      <strong className="text-2xl font-black">{o.ticketNumber ? `#${o.ticketNumber}` : "—"}</strong>
      <span className="text-base text-gray-300">{o.displayCode}</span>
      <StatusChip status={o.status} />
      {o.priority === "HIGH" && (
        <Badge testId="rush-badge" style="bg-red-600 text-white">
          {tr("ticket.rush")}
        </Badge>
      )}
      {o.promisedAt && o.status !== "CANCELLED" && <ScheduledMark order={o} promisedAt={o.promisedAt} />}
      <span className="ml-auto font-bold tabular-nums" data-testid="today-total">
        {displayMoney(o.total, style)}
      </span>
      {o.status !== "CANCELLED" && (
        <button
          type="button"
          data-testid="reprint-open"
          onClick={onReprint}
          title={tr("cashier.reprint")}
          className="inline-flex min-h-11 min-w-11 items-center justify-center rounded-lg bg-white/10"
        >
          <svg aria-hidden viewBox="0 0 24 24" className="h-6 w-6" fill="none" stroke="currentColor" strokeWidth="2" strokeLinejoin="round">
            <path d="M7 9V3h10v6M7 17H4v-7h16v7h-3M7 14h10v7H7z" />
          </svg>
          <span className="sr-only">{tr("cashier.reprint")}</span>
        </button>
      )}
      {o.status !== "CANCELLED" && o.payments.length > 0 && (
        <a
          href={`/api/orders/${o.id}/invoice.pdf`}
          download
          data-testid="invoice-download"
          title={tr("invoice.downloadFor", { code: o.displayCode })}
          className="inline-flex min-h-11 min-w-11 items-center justify-center rounded-lg bg-white/10"
        >
          <svg aria-hidden viewBox="0 0 24 24" className="h-6 w-6" fill="none" stroke="currentColor" strokeWidth="2" strokeLinejoin="round">
            <path d="M6 2h9l4 4v16H6zM14 2v5h5M9 13h7M9 17h7" />
          </svg>
          <span className="sr-only">{tr("invoice.downloadFor", { code: o.displayCode })}</span>
        </a>
      )}
      {(split || cash) && (
        <span data-testid="today-payments" className="basis-full text-right text-sm text-gray-300 tabular-nums">
          {split
            ? o.payments
                .map((p) => `${tr(`cashier.method.${p.method as PaymentMethod}`).toLowerCase()} ${displayMoney(p.amount, style)}`)
                .join(" + ")
            : ""}
          {cash?.change != null && ` · ${tr("cashier.change", { amount: displayMoney(cash.change, style) })}`}
        </span>
      )}
      {(step || takesCourier(o)) && (
        <div className="flex basis-full flex-wrap items-center justify-end gap-2">
          {takesCourier(o) && <CourierField order={o} />}
          {step && (
            <button
              type="button"
              data-testid="handover"
              data-status={step.status}
              disabled={busy}
              onClick={() => onHandOver(step.status)}
              className="min-h-11 shrink-0 rounded-lg bg-green-500 px-4 text-lg font-black text-black disabled:opacity-40"
            >
              {tr(handOverLabel(o, step.status))}
            </button>
          )}
        </div>
      )}
    </li>
  );
}

/** Who takes a delivery: typed once, changed any time until it is delivered (POST /api/orders/{id}/courier). */
function CourierField({ order }: { order: OrderDto }) {
  const tr = useT();
  const [name, setName] = useState("");
  const assign = useMutation({
    mutationFn: (courierName: string) => postJson(`/api/orders/${order.id}/courier`, { courierName }),
    onSuccess: () => setName(""),
  });
  return (
    <form
      onSubmit={(e) => (e.preventDefault(), name.trim() && assign.mutate(name.trim()))}
      className="flex min-w-0 basis-full items-center gap-2"
      data-testid="courier"
    >
      {order.courierName && (
        <span data-testid="courier-name" className="max-w-24 shrink-0 truncate rounded-lg bg-cyan-300 px-2 text-lg font-black text-black">
          {order.courierName}
        </span>
      )}
      <input
        aria-label={tr("cashier.courierFor", { code: order.displayCode })}
        value={name}
        onChange={(e) => setName(e.target.value)}
        maxLength={100}
        placeholder={tr(order.courierName ? "cashier.changeCourier" : "cashier.courier")}
        data-testid="courier-input"
        className="min-h-11 w-full min-w-16 flex-1 rounded-lg border border-white/20 bg-black/40 px-2 text-lg"
      />
      <button
        type="submit"
        data-testid="courier-assign"
        disabled={!name.trim() || assign.isPending}
        className="min-h-11 shrink-0 rounded-lg bg-cyan-300 px-3 text-lg font-black text-black disabled:opacity-40"
      >
        {tr(order.courierName ? "cashier.courierChange" : "cashier.courierAssign")}
      </button>
      {assign.error && (
        <span role="alert" data-testid="courier-error" className="basis-full text-base text-red-300">
          {assign.error.message}
        </span>
      )}
    </form>
  );
}

/**
 * A scheduled order's times, big and unmistakable: "For 19:30 · fires 19:05" while its lines are
 * held, "For 19:30 · fired 19:05" once they are in the kitchen (lib/client/schedule.ts).
 */
function ScheduledBadge({ order, className = "" }: { order: OrderDto; className?: string }) {
  const tr = useT();
  // The restaurant's clock: a cashier screen in another zone still reads "for 19:30" as the kitchen does.
  const timeZone = usePartnerStyles().timeZoneOf(order.partnerId);
  const schedule = scheduleOf(order);
  if (!schedule) return null;
  const clock = (iso: string) => clockTime(iso, new Date(), timeZone);
  const kitchen = schedule.held
    ? schedule.fireAt && tr("cashier.fires", { time: clock(schedule.fireAt) })
    : schedule.firedAt && tr("cashier.fired", { time: clock(schedule.firedAt) });
  return (
    <span
      data-testid="scheduled-badge"
      data-promised={schedule.promisedAt}
      data-held={schedule.held}
      className={`mt-2 inline-flex flex-wrap items-baseline gap-x-2 rounded-lg bg-violet-300 px-3 py-1 text-xl font-black text-black ${className}`}
    >
      <span>{tr("cashier.scheduledFor", { time: clock(schedule.promisedAt) })}</span>
      {kitchen && <span className="text-lg font-bold">· {kitchen}</span>}
    </span>
  );
}

/** "for 19:30" on a row of today's orders, in the restaurant's time zone. */
function ScheduledMark({ order, promisedAt }: { order: OrderDto; promisedAt: string }) {
  const tr = useT();
  const timeZone = usePartnerStyles().timeZoneOf(order.partnerId);
  return (
    <span data-testid="scheduled-mark" className="rounded-lg bg-violet-300 px-2 text-lg font-black text-black">
      {tr("cashier.for", { time: clockTime(promisedAt, new Date(), timeZone) })}
    </span>
  );
}

function CancelDialog({ order, onClose }: { order: OrderDto; onClose(): void }) {
  const tr = useT();
  const [reason, setReason] = useState("");
  const cancel = useOrderAction<{ status: string; reason: string }>(`/api/orders/${order.id}/status`, onClose);
  return (
    <Dialog title={tr("cashier.cancelTitle", { code: order.displayCode })} onClose={onClose} testId="cancel-dialog">
      <form
        onSubmit={(e) => (e.preventDefault(), cancel.mutate({ status: "CANCELLED", reason: reason.trim() }))}
        className="flex flex-col gap-4 text-xl"
      >
        <label className="flex flex-col gap-1 font-bold">
          {tr("cashier.reason")}
          <input
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            required
            maxLength={200}
            data-testid="cancel-reason"
            className="min-h-14 rounded-xl border border-white/20 bg-black/40 px-4"
          />
        </label>
        {cancel.error && (
          <p role="alert" className="rounded-xl bg-red-950 px-3 py-2">
            {cancel.error.message}
          </p>
        )}
        <div className="flex gap-3">
          <button type="button" onClick={onClose} className="min-h-14 flex-1 rounded-xl bg-white/10 font-bold">
            {tr("cashier.back")}
          </button>
          <button
            type="submit"
            disabled={!reason.trim() || cancel.isPending}
            data-testid="cancel-submit"
            className="min-h-14 flex-1 rounded-xl bg-red-600 font-black disabled:opacity-40"
          >
            {tr("cashier.cancelOrder")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function ReprintDialog({ order, onClose }: { order: OrderDto; onClose(): void }) {
  const tr = useT();
  const [items, setItems] = useState<Set<string>>(new Set());
  const [receipt, setReceipt] = useState(false);
  const reprint = useOrderAction<{ orderItemIds: string[]; receipt: boolean }>(`/api/orders/${order.id}/reprint`, onClose);
  const toggle = (id: string) => setItems((s) => (s.has(id) ? new Set([...s].filter((x) => x !== id)) : new Set([...s, id])));
  return (
    <Dialog
      title={
        order.ticketNumber
          ? tr("cashier.reprintTitleTicket", { code: order.displayCode, ticket: String(order.ticketNumber) })
          : tr("cashier.reprintTitle", { code: order.displayCode })
      }
      onClose={onClose}
      testId="reprint-dialog"
    >
      <form
        onSubmit={(e) => (e.preventDefault(), reprint.mutate({ orderItemIds: [...items], receipt }))}
        className="flex flex-col gap-3 text-xl"
      >
        {order.orderItems.map((i) => (
          <label key={i.id} className="flex min-h-12 items-center gap-3 rounded-xl bg-white/5 px-3">
            <input type="checkbox" checked={items.has(i.id)} onChange={() => toggle(i.id)} className="h-6 w-6" data-testid="reprint-item" />
            {i.quantity}× {i.name} <span className="ml-auto text-base text-gray-400">{i.station}</span>
          </label>
        ))}
        <label className="flex min-h-12 items-center gap-3 rounded-xl bg-white/5 px-3 font-bold">
          <input
            type="checkbox"
            checked={receipt}
            onChange={() => setReceipt(!receipt)}
            className="h-6 w-6"
            data-testid="reprint-receipt"
          />
          {tr("cashier.receipt")}
        </label>
        {reprint.error && (
          <p role="alert" className="rounded-xl bg-red-950 px-3 py-2">
            {reprint.error.message}
          </p>
        )}
        <div className="flex gap-3">
          <button type="button" onClick={onClose} className="min-h-14 flex-1 rounded-xl bg-white/10 font-bold">
            {tr("cashier.back")}
          </button>
          <button
            type="submit"
            disabled={(items.size === 0 && !receipt) || reprint.isPending}
            data-testid="reprint-submit"
            className="min-h-14 flex-1 rounded-xl bg-sky-500 font-black text-black disabled:opacity-40"
          >
            {tr("cashier.reprint")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
