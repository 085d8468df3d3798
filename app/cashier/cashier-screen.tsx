"use client";

import { useEffect, useMemo, useRef, useState } from "react";
import { useMutation } from "@tanstack/react-query";
import { create } from "zustand";
import { Elapsed } from "@/components/elapsed";
import { AllergyBand, LineDetails } from "@/components/order-lines";
import { ScreenShell } from "@/components/screen-shell";
import { PrinterBanner } from "./printer-banner";
import { SoldOutPanel } from "@/components/sold-out-panel";
import { playAlert } from "@/components/sound";
import { StatusChip } from "@/components/status";
import { postJson } from "@/lib/client/api";
import { clockTime, scheduledOrders, scheduleOf } from "@/lib/client/schedule";
import { useOrdersStream } from "@/lib/client/use-orders-stream";
import type { OrderDto } from "@/lib/orders/dto";

const FILTER = {} as const;
const ALERT_REPEAT_MS = 4_000;

/** Screen-local state: which arrivals the cashier has acknowledged (the alert repeats until then). */
const useAcks = create<{ acked: Set<number>; ack(ids: number[]): void }>((set) => ({
  acked: new Set(),
  ack: (ids) => set((s) => ({ acked: new Set([...s.acked, ...ids]) })),
}));

const money = (v: string) => `${Number(v).toFixed(2)}`;
const toCents = (v: string) => Math.round(Number(v) * 100);

export function CashierScreen() {
  const { snapshot, state, lastEventId } = useOrdersStream({
    channel: "cashier",
    filter: FILTER,
    onOrderEvent: ({ type }) => {
      // A new order, or a ticket no kitchen screen showed in time, sounds the alert.
      if (type === "order.created" || type === "order.unacknowledged") playAlert("new-order");
    },
  });

  const orders = snapshot.data?.orders ?? [];
  const pending = useMemo(() => orders.filter((o) => o.status === "PENDING").sort((a, b) => a.id - b.id), [orders]);
  const today = useMemo(() => orders.filter((o) => o.status !== "PENDING").sort((a, b) => b.id - a.id), [orders]);
  const scheduled = useMemo(() => scheduledOrders(orders), [orders]);
  const { acked, ack } = useAcks();
  const unacked = pending.filter((o) => !acked.has(o.id));

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

  const [dialog, setDialog] = useState<{ kind: "confirm" | "cancel" | "reprint"; order: OrderDto } | null>(null);

  return (
    <ScreenShell
      title="Cashier"
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
              {unacked.length} new — acknowledge
            </button>
          )}
          <span className="ml-auto" />
          <SoldOutPanel />
        </>
      }
    >
      <PrinterBanner />
      {notSeen.length > 0 && (
        <p
          role="alert"
          data-testid="kitchen-alert"
          className="mb-4 rounded-2xl border-4 border-red-500 bg-red-950 px-4 py-3 text-2xl font-black"
        >
          Kitchen has not seen {notSeen.map((o) => `#${o.ticketNumber}`).join(", ")} — printed as a fallback. Check the kitchen screens.
        </p>
      )}
      <div className="grid gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <section aria-labelledby="incoming">
          <h2 id="incoming" className="mb-3 text-2xl font-bold">
            Incoming <span className="text-gray-400">({pending.length})</span>
          </h2>
          {pending.length === 0 ? (
            <p className="rounded-2xl border border-dashed border-white/20 p-10 text-center text-2xl text-gray-300">Waiting for orders…</p>
          ) : (
            <ol className="flex flex-col gap-3" data-testid="pending-orders">
              {pending.map((o) => {
                const fresh = !acked.has(o.id);
                return (
                  <li
                    key={o.id}
                    data-testid="pending-order"
                    data-code={o.displayCode}
                    data-alert={fresh}
                    data-allergy={o.allergyAlert}
                    onClick={() => ack([o.id])}
                    className={`overflow-hidden rounded-2xl border-4 bg-[#15181d] ${fresh ? "pulse-ring border-amber-400" : "border-amber-400/40"}`}
                  >
                    <AllergyBand order={o} />
                    <div className="p-4">
                      <div className="flex flex-wrap items-start justify-between gap-3">
                        <div className="min-w-0 break-words">
                          <div className="text-6xl font-black leading-none">{o.displayCode}</div>
                          <div className="mt-1 text-xl text-gray-300">
                            {o.source}
                            {o.table ? ` · Table ${o.table}` : ""}
                            {o.customer ? ` · ${o.customer}` : ""}
                          </div>
                          <ScheduledBadge order={o} />
                        </div>
                        <div className="flex flex-col items-end gap-2">
                          <Elapsed from={o.createdAt} warnAfterMin={2} lateAfterMin={5} className="text-2xl" />
                          <span className="text-3xl font-black tabular-nums">{money(o.total)}</span>
                        </div>
                      </div>
                      <ul className="mt-3 flex flex-col gap-1 text-xl">
                        {o.orderItems.map((i) => (
                          <li key={i.id} data-testid="order-line">
                            <span className="font-bold">
                              {i.quantity}× {i.name}
                            </span>
                            <LineDetails line={i} size="md" />
                          </li>
                        ))}
                      </ul>
                      <div className="mt-4 flex gap-3">
                        <button
                          type="button"
                          data-testid="confirm-open"
                          onClick={(e) => (e.stopPropagation(), ack([o.id]), setDialog({ kind: "confirm", order: o }))}
                          className="min-h-14 flex-1 rounded-xl bg-blue-500 text-xl font-black text-white"
                        >
                          Confirm
                        </button>
                        <button
                          type="button"
                          data-testid="cancel-open"
                          onClick={(e) => (e.stopPropagation(), ack([o.id]), setDialog({ kind: "cancel", order: o }))}
                          className="min-h-14 rounded-xl bg-white/10 px-6 text-xl font-bold"
                        >
                          Cancel
                        </button>
                      </div>
                    </div>
                  </li>
                );
              })}
            </ol>
          )}
        </section>
        <div>
          {scheduled.length > 0 && (
            <section aria-labelledby="scheduled" className="mb-6">
              <h2 id="scheduled" className="mb-3 text-2xl font-bold">
                Scheduled <span className="text-gray-400">({scheduled.length})</span>
              </h2>
              <ol className="flex flex-col gap-2" data-testid="scheduled-orders">
                {scheduled.map((o) => (
                  <li
                    key={o.id}
                    data-testid="scheduled-order"
                    data-code={o.displayCode}
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
            <h2 id="today" className="mb-3 text-2xl font-bold">
              Today
            </h2>
            <ol className="flex flex-col gap-2" data-testid="today-orders">
              {today.map((o) => (
                <li
                  key={o.id}
                  data-testid="today-order"
                  data-code={o.displayCode}
                  data-allergy={o.allergyAlert}
                  className="flex flex-wrap items-center gap-3 overflow-hidden rounded-xl bg-white/5 px-3 py-2 text-xl"
                >
                  {o.allergyAlert && o.status !== "CANCELLED" && (
                    <div className="-mx-3 -mt-2 basis-[calc(100%+1.5rem)]">
                      <AllergyBand order={o} compact />
                    </div>
                  )}
                  <strong className="w-16 text-3xl font-black">{o.ticketNumber ? `#${o.ticketNumber}` : "—"}</strong>
                  <span className="w-14">{o.displayCode}</span>
                  <StatusChip status={o.status} />
                  {o.promisedAt && o.status !== "CANCELLED" && (
                    <span data-testid="scheduled-mark" className="rounded-lg bg-violet-300 px-2 text-lg font-black text-black">
                      for {clockTime(o.promisedAt)}
                    </span>
                  )}
                  <span className="ml-auto font-bold tabular-nums">{money(o.total)}</span>
                  {o.status !== "CANCELLED" && (
                    <button
                      type="button"
                      data-testid="reprint-open"
                      onClick={() => setDialog({ kind: "reprint", order: o })}
                      className="min-h-11 rounded-lg bg-white/10 px-3 text-lg font-bold"
                    >
                      Reprint
                    </button>
                  )}
                </li>
              ))}
            </ol>
          </section>
        </div>
      </div>
      {dialog?.kind === "confirm" && <ConfirmDialog order={dialog.order} onClose={() => setDialog(null)} />}
      {dialog?.kind === "cancel" && <CancelDialog order={dialog.order} onClose={() => setDialog(null)} />}
      {dialog?.kind === "reprint" && <ReprintDialog order={dialog.order} onClose={() => setDialog(null)} />}
    </ScreenShell>
  );
}

/**
 * A scheduled order's times, big and unmistakable: "For 19:30 · fires 19:05" while its lines are
 * held, "For 19:30 · fired 19:05" once they are in the kitchen (lib/client/schedule.ts).
 */
function ScheduledBadge({ order, className = "" }: { order: OrderDto; className?: string }) {
  const schedule = scheduleOf(order);
  if (!schedule) return null;
  const kitchen = schedule.held
    ? schedule.fireAt && `fires ${clockTime(schedule.fireAt)}`
    : schedule.firedAt && `fired ${clockTime(schedule.firedAt)}`;
  return (
    <span
      data-testid="scheduled-badge"
      data-promised={schedule.promisedAt}
      data-held={schedule.held}
      className={`mt-2 inline-flex flex-wrap items-baseline gap-x-2 rounded-lg bg-violet-300 px-3 py-1 text-xl font-black text-black ${className}`}
    >
      <span>For {clockTime(schedule.promisedAt)}</span>
      {kitchen && <span className="text-lg font-bold">· {kitchen}</span>}
    </span>
  );
}

function Dialog({ title, onClose, children, testId }: { title: string; onClose(): void; children: React.ReactNode; testId: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  return (
    <dialog
      ref={ref}
      onClose={onClose}
      data-testid={testId}
      aria-label={title}
      className="m-auto w-[min(36rem,95vw)] rounded-2xl border border-white/20 bg-[#15181d] p-6 text-white backdrop:bg-black/70"
    >
      <h2 className="mb-4 text-3xl font-black">{title}</h2>
      {children}
    </dialog>
  );
}

function useOrderAction<T>(url: string, onDone: () => void) {
  return useMutation({ mutationFn: (body: T) => postJson(url, body), onSuccess: onDone });
}

function ConfirmDialog({ order, onClose }: { order: OrderDto; onClose(): void }) {
  const [payment, setPayment] = useState<"CASH" | "CARD" | "OTHER">("CARD");
  const [discount, setDiscount] = useState("");
  const confirm = useOrderAction<{ paymentMethod: string; discount?: string }>(`/api/orders/${order.id}/confirm`, onClose);
  const discountCents = discount.trim() === "" ? 0 : toCents(discount);
  const valid = discount.trim() === "" || /^\d+(\.\d{1,2})?$/.test(discount.trim());
  const total = (toCents(order.subTotal) - discountCents + toCents(order.surcharge)) / 100;
  return (
    <Dialog title={`Confirm ${order.displayCode}`} onClose={onClose} testId="confirm-dialog">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          confirm.mutate({ paymentMethod: payment, ...(discount.trim() ? { discount: discount.trim() } : {}) });
        }}
        className="flex flex-col gap-4 text-xl"
      >
        <fieldset className="flex gap-2">
          <legend className="mb-2 font-bold">Payment</legend>
          {(["CARD", "CASH", "OTHER"] as const).map((m) => (
            <label
              key={m}
              className={`min-h-14 flex-1 cursor-pointer content-center rounded-xl border-2 text-center font-bold ${payment === m ? "border-sky-400 bg-sky-400/20" : "border-white/20"}`}
            >
              <input
                type="radio"
                name="payment"
                value={m}
                checked={payment === m}
                onChange={() => setPayment(m)}
                className="sr-only"
                data-testid={`pay-${m}`}
              />
              {m}
            </label>
          ))}
        </fieldset>
        <label className="flex flex-col gap-1 font-bold">
          Discount
          <input
            inputMode="decimal"
            value={discount}
            onChange={(e) => setDiscount(e.target.value)}
            placeholder="0.00"
            data-testid="discount"
            className="min-h-14 rounded-xl border border-white/20 bg-black/40 px-4 text-2xl"
          />
        </label>
        <dl className="grid grid-cols-2 gap-1 text-lg">
          <dt>Subtotal</dt>
          <dd className="text-right tabular-nums">{money(order.subTotal)}</dd>
          <dt>Surcharge</dt>
          <dd className="text-right tabular-nums">{money(order.surcharge)}</dd>
          <dt>Discount</dt>
          <dd className="text-right tabular-nums">−{(discountCents / 100).toFixed(2)}</dd>
          <dt className="text-2xl font-black">Total</dt>
          <dd className="text-right text-3xl font-black tabular-nums" data-testid="confirm-total">
            {valid ? total.toFixed(2) : "—"}
          </dd>
        </dl>
        {confirm.error && (
          <p role="alert" className="rounded-xl bg-red-950 px-3 py-2 text-red-100">
            {confirm.error.message}
          </p>
        )}
        <div className="flex gap-3">
          <button type="button" onClick={onClose} className="min-h-14 flex-1 rounded-xl bg-white/10 font-bold">
            Back
          </button>
          <button
            type="submit"
            disabled={!valid || total < 0 || confirm.isPending}
            data-testid="confirm-submit"
            className="min-h-14 flex-[2] rounded-xl bg-blue-500 font-black text-white disabled:opacity-40"
          >
            Confirm {valid && total >= 0 ? total.toFixed(2) : ""}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function CancelDialog({ order, onClose }: { order: OrderDto; onClose(): void }) {
  const [reason, setReason] = useState("");
  const cancel = useOrderAction<{ status: string; reason: string }>(`/api/orders/${order.id}/status`, onClose);
  return (
    <Dialog title={`Cancel ${order.displayCode}`} onClose={onClose} testId="cancel-dialog">
      <form
        onSubmit={(e) => (e.preventDefault(), cancel.mutate({ status: "CANCELLED", reason: reason.trim() }))}
        className="flex flex-col gap-4 text-xl"
      >
        <label className="flex flex-col gap-1 font-bold">
          Reason
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
            Back
          </button>
          <button
            type="submit"
            disabled={!reason.trim() || cancel.isPending}
            data-testid="cancel-submit"
            className="min-h-14 flex-1 rounded-xl bg-red-600 font-black disabled:opacity-40"
          >
            Cancel order
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function ReprintDialog({ order, onClose }: { order: OrderDto; onClose(): void }) {
  const [items, setItems] = useState<Set<string>>(new Set());
  const [receipt, setReceipt] = useState(false);
  const reprint = useOrderAction<{ orderItemIds: string[]; receipt: boolean }>(`/api/orders/${order.id}/reprint`, onClose);
  const toggle = (id: string) => setItems((s) => (s.has(id) ? new Set([...s].filter((x) => x !== id)) : new Set([...s, id])));
  return (
    <Dialog
      title={`Reprint ${order.displayCode}${order.ticketNumber ? ` · #${order.ticketNumber}` : ""}`}
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
          Receipt
        </label>
        {reprint.error && (
          <p role="alert" className="rounded-xl bg-red-950 px-3 py-2">
            {reprint.error.message}
          </p>
        )}
        <div className="flex gap-3">
          <button type="button" onClick={onClose} className="min-h-14 flex-1 rounded-xl bg-white/10 font-bold">
            Back
          </button>
          <button
            type="submit"
            disabled={(items.size === 0 && !receipt) || reprint.isPending}
            data-testid="reprint-submit"
            className="min-h-14 flex-1 rounded-xl bg-sky-500 font-black text-black disabled:opacity-40"
          >
            Reprint
          </button>
        </div>
      </form>
    </Dialog>
  );
}
