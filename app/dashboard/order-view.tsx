"use client";

import { useQuery } from "@tanstack/react-query";
import { useLocale, useT } from "@/components/i18n";
import { StatusChip } from "@/components/status";
import type { MessageKey, Translate } from "@/lib/i18n";
import { displayMoney, type MoneyStyle } from "@/lib/money-format";
import type { OrderDto } from "@/lib/orders/dto";
import type { TimelineActor, TimelineEntry } from "@/lib/orders/history";
import { Dialog } from "../cashier/dialog";

/** GET /api/orders/{id}/history (lib/orders/history.ts). */
type OrderHistoryDto = OrderDto & { money: MoneyStyle; timeline: TimelineEntry[] };

async function fetchHistory(id: number): Promise<OrderHistoryDto> {
  const res = await fetch(`/api/orders/${id}/history`, { credentials: "same-origin", cache: "no-store" });
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new Error(body?.error?.message ?? `HTTP ${res.status}`);
  return body as OrderHistoryDto;
}

function actorText(tr: Translate, a: TimelineActor | null): string {
  if (!a) return tr("orderView.nobody");
  const name = a.name ?? "";
  switch (a.kind) {
    case "user":
      return tr("orderView.actor.user", { name });
    case "device":
      return tr("orderView.actor.device", { name });
    case "guest":
      return name ? tr("orderView.actor.guest", { name }) : tr("orderView.actor.guestUnnamed");
    case "system":
      return name ? tr("orderView.actor.system", { name }) : tr("orderView.actor.systemUnnamed");
    default:
      return tr("orderView.actor.named", { name });
  }
}

const EVENT_LABELS = new Set([
  "order.created",
  "order.confirmed",
  "order.status",
  "order.reprinted",
  "order.courier",
  "order.location",
  "order.acknowledged",
  "order.unacknowledged",
  "order.allergy-acknowledged",
  "order.station",
  "order.fired",
  "line.started",
  "line.done",
]);

const STATION_ACTIONS = new Set(["start", "bump", "recall", "undo"]);
const actionText = (tr: Translate, action: string | undefined) =>
  action && STATION_ACTIONS.has(action) ? tr(`orderView.action.${action}` as MessageKey) : (action ?? "");

function eventText(tr: Translate, e: TimelineEntry): string {
  const label = EVENT_LABELS.has(e.type)
    ? tr(`orderView.event.${e.type}` as MessageKey)
    : e.type.startsWith("cart.")
      ? tr("orderView.event.cart")
      : tr("orderView.event.other", { type: e.type });
  const d = e.detail ?? {};
  const to = typeof d.to === "string" ? d.to : null;
  const station = d.station as { station?: string; action?: string } | string | undefined;
  const extra = [
    to ? `→ ${tr(`status.${to}` as MessageKey)}` : null,
    typeof d.reason === "string" && d.reason ? `“${d.reason}”` : null,
    typeof station === "object" && station ? `${station.station ?? ""} · ${actionText(tr, station.action)}` : null,
    typeof station === "string" ? station : null,
    typeof d.item === "string" ? d.item : null,
  ].filter(Boolean);
  return extra.length ? `${label} ${extra.join(" ")}` : label;
}

/** The dashboard's order view: lines with their options, then every change with when and who. */
export function OrderView({ order, onClose }: { order: OrderDto; onClose(): void }) {
  const tr = useT();
  const locale = useLocale();
  // The key follows the live row: a change on the dashboard refetches the view.
  const query = useQuery({
    queryKey: ["order-history", order.id, order.status, order.statusChangedAt, order.kitchenAckAt],
    queryFn: () => fetchHistory(order.id),
  });
  const data = query.data;
  const time = new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  const paid = order.payments.length > 0 && order.status !== "CANCELLED";

  return (
    <Dialog title={tr("orderView.title", { code: order.displayCode })} onClose={onClose} testId="order-view" wide>
      <div className="mb-4 flex flex-wrap items-center gap-3">
        <StatusChip status={order.status} />
        {paid && (
          <a
            href={`/api/orders/${order.id}/invoice.pdf`}
            download
            data-testid="order-invoice"
            className="inline-flex min-h-11 items-center rounded-xl bg-white/10 px-4 text-lg font-bold"
          >
            {tr("invoice.download")}
          </a>
        )}
        <button
          type="button"
          onClick={onClose}
          className="ml-auto min-h-11 rounded-xl bg-sky-400 px-5 text-lg font-black text-black"
          data-testid="order-view-close"
        >
          {tr("orderView.close")}
        </button>
      </div>
      {query.isError && (
        <p role="alert" className="rounded-xl bg-red-950 px-4 py-3 text-xl">
          {tr("orderView.failed")}
        </p>
      )}
      {!data && !query.isError && <p className="text-xl text-gray-300">{tr("orderView.loading")}</p>}
      {data && (
        <div className="grid max-h-[70dvh] gap-6 overflow-y-auto md:grid-cols-2">
          <section aria-labelledby="order-view-lines">
            <h3 id="order-view-lines" className="mb-2 text-2xl font-black">
              {tr("orderView.lines")}
            </h3>
            <ul className="grid gap-2" data-testid="order-view-lines">
              {data.orderItems.map((i) => (
                <li key={i.id} className="rounded-xl bg-white/5 px-3 py-2" data-testid="order-view-line">
                  <div className="flex justify-between gap-3 text-xl font-bold">
                    <span>
                      {i.quantity}× {i.name}
                    </span>
                    <span className="tabular-nums">{displayMoney(i.total, data.money)}</span>
                  </div>
                  {i.modifiers.map((m) => (
                    <p key={m.groupId} className="text-lg text-gray-200">
                      {m.groupName}: {m.options.map((o) => o.name).join(", ")}
                    </p>
                  ))}
                  {i.notes && <p className="text-lg italic text-amber-200">“{i.notes}”</p>}
                </li>
              ))}
            </ul>
            <p className="mt-3 text-2xl font-black tabular-nums" data-testid="order-view-total">
              {tr("orderView.total", { amount: displayMoney(data.total, data.money) })}
            </p>
          </section>
          <section aria-labelledby="order-view-timeline">
            <h3 id="order-view-timeline" className="mb-2 text-2xl font-black">
              {tr("orderView.timeline")}
            </h3>
            <ol className="grid gap-2" data-testid="order-timeline">
              {data.timeline.map((e, n) => (
                <li
                  key={`${e.eventId ?? "s"}-${n}`}
                  data-testid="timeline-entry"
                  data-type={e.type}
                  data-source={e.source}
                  data-actor-kind={e.actor?.kind ?? ""}
                  className="rounded-xl border-l-4 border-sky-400 bg-white/5 px-3 py-2"
                >
                  <div className="flex flex-wrap items-baseline gap-x-3 text-lg">
                    <time dateTime={e.at} className="font-mono tabular-nums text-gray-300">
                      {time.format(new Date(e.at))}
                    </time>
                    <span className="font-bold">{eventText(tr, e)}</span>
                  </div>
                  <p className="text-lg text-gray-200" data-testid="timeline-actor">
                    {tr("orderView.by", { actor: actorText(tr, e.actor) })}
                    {e.source === "stored" && <span className="ml-2 text-base text-gray-400">({tr("orderView.fromStored")})</span>}
                  </p>
                </li>
              ))}
            </ol>
          </section>
        </div>
      )}
    </Dialog>
  );
}
