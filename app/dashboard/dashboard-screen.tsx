"use client";

import { useMemo, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { FailedJobsPanel } from "@/components/failed-jobs-panel";
import { useT } from "@/components/i18n";
import { ScreenShell } from "@/components/screen-shell";
import { playAlert } from "@/components/sound";
import { StatusChip } from "@/components/status";
import { useNow } from "@/components/use-now";
import { partnersQuery } from "@/lib/client/menu-query";
import { usePartnerStyles } from "@/lib/client/money";
import { useOrdersStream } from "@/lib/client/use-orders-stream";
import type { MessageKey } from "@/lib/i18n";
import type { OrderDto } from "@/lib/orders/dto";
import { formatDuration, secondsBetween } from "@/lib/duration-format";
import { revenueText, todaysFigures } from "./figures";
import { PrintersHealth } from "@/components/printer-status";
import { ScreensHealth } from "@/components/screens-health";
import { OrderView } from "./order-view";

const FILTER = {} as const;
const VIEWS: Record<string, (s: string) => boolean> = {
  All: () => true,
  Open: (s) => ["PENDING", "CONFIRMED", "PREPARING"].includes(s),
  Ready: (s) => s === "READY",
  Done: (s) => s === "PICKED_UP" || s === "DELIVERED",
  Cancelled: (s) => s === "CANCELLED",
};

export function DashboardScreen() {
  // The same query as the "Sold out" panel's (one key, one shape): names, images, currencies.
  const partners = useQuery({ ...partnersQuery, select: (d) => d.partners });
  const { styleOf } = usePartnerStyles();
  const tr = useT();
  const [toast, setToast] = useState<string | null>(null);
  const [view, setView] = useState("All");
  const [partnerFilter, setPartnerFilter] = useState<string>("");
  // The order a row opened (its lines, options and timeline with who did each change).
  const [openId, setOpenId] = useState<number | null>(null);

  // Rows, totals and preparation times move live: every event carries the whole order (Pass's statuses).
  const { snapshot, state, lastEventId } = useOrdersStream({
    channel: "partner",
    filter: FILTER,
    onOrderEvent: ({ type, order }) => {
      if (type !== "order.created") return;
      const partnerName = partners.data?.find((p) => p.id === order.partnerId)?.name;
      playAlert("new-order");
      setToast(
        partnerName
          ? tr("dashboard.newOrderAt", { code: order.displayCode, restaurant: partnerName })
          : tr("dashboard.newOrder", { code: order.displayCode }),
      );
      setTimeout(() => setToast(null), 5_000);
    },
  });

  const orders = snapshot.data?.orders;
  const partnerById = useMemo(() => new Map((partners.data ?? []).map((p) => [p.id, p])), [partners.data]);
  const figures = useMemo(() => todaysFigures(orders ?? []), [orders]);
  const rows = useMemo(
    () =>
      (orders ?? [])
        .filter((o) => VIEWS[view]!(o.status) && (!partnerFilter || o.partnerId === partnerFilter))
        .sort((a, b) => (a.priority === b.priority ? b.id - a.id : a.priority === "HIGH" ? -1 : 1)),
    [orders, view, partnerFilter],
  );
  const maxPerHour = Math.max(1, ...figures.perHour);

  return (
    <ScreenShell
      title={tr("dashboard.title")}
      screen="dashboard"
      lastEventId={lastEventId}
      state={state}
      tools={
        <div className="flex flex-wrap gap-2" role="group" aria-label={tr("dashboard.filter")}>
          {Object.keys(VIEWS).map((v) => (
            <button
              key={v}
              type="button"
              onClick={() => setView(v)}
              aria-pressed={view === v}
              className={`min-h-11 rounded-full px-4 text-lg font-bold ${view === v ? "bg-sky-400 text-black" : "bg-white/10"}`}
            >
              {tr(`dashboard.view.${v}` as MessageKey)}
            </button>
          ))}
          {(partners.data?.length ?? 0) > 1 && (
            <select
              aria-label={tr("dashboard.restaurant")}
              value={partnerFilter}
              onChange={(e) => setPartnerFilter(e.target.value)}
              className="min-h-11 rounded-full bg-white/10 px-4 text-lg"
            >
              <option value="">{tr("dashboard.allRestaurants")}</option>
              {partners.data!.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          )}
        </div>
      }
    >
      {toast && (
        <div
          role="status"
          data-testid="toast"
          className="fixed bottom-6 right-6 z-30 rounded-2xl bg-amber-400 px-6 py-4 text-2xl font-black text-black shadow-2xl"
        >
          {toast}
        </div>
      )}
      <LockoutNotices />
      <FailedJobsPanel />
      <section aria-label={tr("dashboard.today")} className="mb-6 grid gap-4 sm:grid-cols-3">
        <Figure label={tr("dashboard.ordersToday")} value={String(figures.orders)} testId="fig-orders" />
        <Figure
          label={tr("dashboard.revenue")}
          value={revenueText(figures.revenueByPartner, styleOf, partners.data?.[0]?.id)}
          testId="fig-revenue"
        />
        <Figure
          label={tr("dashboard.medianPrep")}
          value={figures.medianPrepS === null ? "—" : formatDuration(figures.medianPrepS)}
          testId="fig-prep"
        />
      </section>
      <section aria-labelledby="per-hour" className="mb-6 rounded-2xl border border-white/10 bg-white/5 p-4">
        <h2 id="per-hour" className="mb-3 text-xl font-bold">
          {tr("dashboard.perHour")}
        </h2>
        <div className="flex h-32 items-end gap-1" data-testid="per-hour">
          {figures.perHour.map((n, h) => (
            <div
              key={h}
              className="flex h-full flex-1 flex-col items-center justify-end gap-1"
              title={tr("dashboard.hourBar", { hour: String(h), count: String(n) })}
            >
              <div className="w-full rounded-t bg-sky-400" style={{ height: `${(n / maxPerHour) * 100}%`, minHeight: n ? 4 : 0 }} />
              <span className="text-xs text-gray-400">{h}</span>
            </div>
          ))}
        </div>
      </section>
      <PrintersHealth />
      <ScreensHealth />
      <table className="w-full border-separate border-spacing-y-2 text-xl" data-testid="dashboard-orders">
        <thead className="text-left text-base text-gray-400">
          <tr>
            <th className="px-3">{tr("dashboard.restaurant")}</th>
            <th className="px-3">{tr("dashboard.col.order")}</th>
            <th className="px-3">{tr("dashboard.col.status")}</th>
            <th className="px-3">{tr("dashboard.col.priority")}</th>
            <th className="px-3">{tr("dashboard.col.time")}</th>
            <th className="px-3">{tr("dashboard.col.courier")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((o) => {
            const partner = partnerById.get(o.partnerId);
            return (
              <tr
                key={o.id}
                data-testid="dashboard-row"
                data-code={o.displayCode}
                data-partner={partner?.slug}
                data-status={o.status}
                className="cursor-pointer bg-white/5 hover:bg-white/10"
                onClick={() => setOpenId(o.id)}
              >
                <td className="rounded-l-xl px-3 py-2">
                  <span className="flex items-center gap-2">
                    {partner?.imageUrl ? (
                      // eslint-disable-next-line @next/next/no-img-element
                      <img src={partner.imageUrl} alt="" className="h-8 w-8 rounded-full object-cover" />
                    ) : (
                      <span aria-hidden className="grid h-8 w-8 place-items-center rounded-full bg-sky-700 text-base font-black">
                        {(partner?.name ?? "?").slice(0, 1)}
                      </span>
                    )}
                    {partner?.name ?? "—"}
                  </span>
                </td>
                <td className="px-3 py-2 text-3xl font-black">
                  <button
                    type="button"
                    className="min-h-11 min-w-11 rounded-lg px-1 underline decoration-2 underline-offset-4"
                    aria-label={tr("orderView.open", { code: o.displayCode })}
                    data-testid="open-order"
                    onClick={(e) => {
                      e.stopPropagation();
                      setOpenId(o.id);
                    }}
                  >
                    {o.displayCode}
                  </button>
                </td>
                <td className="px-3 py-2">
                  <StatusChip status={o.status} />
                  {/* The staff's reason (the guest's tracking page shows an apology instead). */}
                  {o.status === "CANCELLED" && o.cancelReason && (
                    <span data-testid="cancel-reason" className="mt-1 block max-w-64 text-base text-gray-300">
                      {o.cancelReason}
                    </span>
                  )}
                </td>
                <td className="px-3 py-2">
                  {o.priority === "HIGH" ? (
                    <span className="rounded bg-red-600 px-2 font-black">{tr("ticket.rush")}</span>
                  ) : (
                    tr("dashboard.normal")
                  )}
                </td>
                <td className="px-3 py-2">
                  <Timer order={o} />
                </td>
                <td className="rounded-r-xl px-3 py-2" data-testid="dashboard-courier">
                  {o.courierName ?? "—"}
                  {o.courierName && o.courierAssignedBy === "job" && (
                    <span className="ml-2 rounded bg-cyan-300 px-2 text-base font-bold text-black" data-testid="dashboard-courier-auto">
                      {tr("dashboard.courierAuto")}
                    </span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {openId !== null && orders?.some((o) => o.id === openId) && (
        <OrderView order={orders.find((o) => o.id === openId)!} onClose={() => setOpenId(null)} />
      )}
    </ScreenShell>
  );
}

function Figure({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="rounded-2xl border border-white/10 bg-white/5 p-4">
      <div className="text-lg text-gray-300">{label}</div>
      <div className="text-5xl font-black tabular-nums" data-testid={testId}>
        {value}
      </div>
    </div>
  );
}

/** Running while the order is open, frozen once it is closed. */
function Timer({ order }: { order: OrderDto }) {
  const now = useNow();
  const closed = ["PICKED_UP", "DELIVERED", "CANCELLED"].includes(order.status);
  const end = closed ? Date.parse(order.statusChangedAt) : now;
  return (
    <span className="font-mono tabular-nums">
      {formatDuration(secondsBetween(order.createdAt, end), { rounding: "down", padMinutes: true })}
    </span>
  );
}

type Lockout = {
  kind: "account" | "address";
  username: string;
  knownUser: boolean;
  address: string;
  failures: number;
  lockedAt: string;
  lockedUntil: string;
  active: boolean;
};

const clock = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });

/**
 * Sign-ins locked after too many failures (lib/auth/lockouts.ts): admins see every one, an
 * operator their own partner's accounts. Shown for a day; nothing at all when there is none.
 */
function LockoutNotices() {
  const lockouts = useQuery({
    queryKey: ["lockouts"],
    queryFn: async () => {
      const res = await fetch("/api/auth/lockouts", { cache: "no-store" });
      return res.ok ? ((await res.json()) as { lockouts: Lockout[] }).lockouts : [];
    },
    refetchInterval: 10_000,
  });
  const tr = useT();
  const list = lockouts.data ?? [];
  if (list.length === 0) return null;
  return (
    <section
      aria-labelledby="lockouts-heading"
      className="mb-6 rounded-2xl border border-amber-400 bg-amber-950 p-4"
      data-testid="lockout-notices"
    >
      <h2 id="lockouts-heading" className="mb-3 text-xl font-bold text-amber-200">
        {tr("dashboard.lockouts")} <span className="text-amber-100">({list.length})</span>
      </h2>
      <ul className="grid gap-2">
        {list.map((l) => (
          <li
            key={`${l.kind}:${l.kind === "account" ? l.username : l.address}`}
            data-testid="lockout-notice"
            data-kind={l.kind}
            data-username={l.username}
            data-active={l.active}
            className="text-lg text-white"
          >
            {l.kind === "account" ? (
              <>
                {tr("dashboard.lockAccount")} <strong>{l.username}</strong>
                {!l.knownUser && tr("dashboard.noSuchUser")}
                {tr("dashboard.lockAccountFailures", { failures: String(l.failures) })} <strong>{l.address}</strong>
              </>
            ) : (
              <>
                {tr("dashboard.lockAddress")} <strong>{l.address}</strong>
                {tr("dashboard.lockAddressFailures", { failures: String(l.failures) })} <strong>{l.username}</strong>
              </>
            )}
            {tr(l.active ? "dashboard.lockedUntil" : "dashboard.unlockedSince", { at: clock(l.lockedAt), until: clock(l.lockedUntil) })}
          </li>
        ))}
      </ul>
    </section>
  );
}
