"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useMemo, useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useT } from "@/components/i18n";
import type { MessageKey } from "@/lib/i18n";
import { displayMinor } from "@/lib/money-format";
import type { CsvTable } from "@/lib/reports/csv";
import { addDays } from "@/lib/reports/days";
import type { ReportFigures } from "@/lib/reports/figures";
import { formatDuration } from "@/lib/duration-format";

export type ReportsPartner = { slug: string; name: string; timezone: string; cutoverHour: number; today: string };
type ZList = { partner: string; reports: { businessDay: string; createdAt: string; orders: number; revenue: number }[] };

const PRESETS = [
  { key: "reports.preset.today", from: 0, to: 0 },
  { key: "reports.preset.yesterday", from: -1, to: -1 },
  { key: "reports.preset.week", from: -6, to: 0 },
  { key: "reports.preset.month", from: -29, to: 0 },
] as const satisfies readonly { key: MessageKey; from: number; to: number }[];

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { credentials: "same-origin" });
  const body = await res.json();
  if (!res.ok) throw new Error(body?.error?.message ?? `HTTP ${res.status}`);
  return body as T;
}

/** A speed-of-service figure (seconds) as m:ss — the one formatter (lib/duration-format.ts), "–" when none. */
const seconds = (s: number | null) => (s === null ? "–" : formatDuration(s));

function CsvButton({ href, label }: { href: string; label: string }) {
  return (
    <a
      href={href}
      download
      className="inline-flex min-h-11 items-center rounded-xl bg-white/10 px-4 text-lg font-bold text-sky-200 hover:bg-white/20"
      data-testid="csv-link"
    >
      {label}
    </a>
  );
}

function Section({ title, csv, children, testId }: { title: string; csv?: string; children: React.ReactNode; testId: string }) {
  const t = useT();
  return (
    <section className="rounded-2xl border border-white/10 bg-white/5 p-4" data-testid={testId}>
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-2xl font-black">{title}</h2>
        {csv ? <CsvButton href={csv} label={t("reports.csv")} /> : null}
      </div>
      {children}
    </section>
  );
}

function Table({ head, rows, testId }: { head: string[]; rows: (string | number)[][]; testId: string }) {
  const t = useT();
  if (rows.length === 0) return <p className="text-xl text-gray-400">{t("reports.none")}</p>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-lg" data-testid={testId}>
        <thead>
          <tr className="border-b border-white/20 text-gray-300">
            {head.map((h, i) => (
              <th key={h} className={`py-2 pr-4 font-bold ${i > 0 ? "text-right" : ""}`}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={String(r[0])} className="border-b border-white/5">
              {r.map((c, i) => (
                <td key={i} className={`py-2 pr-4 tabular-nums ${i > 0 ? "text-right" : ""}`}>
                  {c}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ReportsScreen({ partners, initialPartner }: { partners: ReportsPartner[]; initialPartner: string }) {
  const t = useT();
  const [slug, setSlug] = useState(initialPartner);
  const partner = partners.find((p) => p.slug === slug);
  const today = partner?.today ?? new Date().toISOString().slice(0, 10);
  const [range, setRange] = useState({ from: addDays(today, -6), to: today });
  const [draft, setDraft] = useState(range);
  const base = `/api/reports/summary?partner=${encodeURIComponent(slug)}&from=${range.from}&to=${range.to}`;
  const summary = useQuery({
    queryKey: ["reports", slug, range.from, range.to],
    queryFn: () => getJson<ReportFigures>(base),
    enabled: Boolean(slug),
  });
  const zList = useQuery({
    queryKey: ["reports-z", slug],
    queryFn: () => getJson<ZList>(`/api/reports/z?partner=${encodeURIComponent(slug)}`),
    enabled: Boolean(slug),
  });
  const f = summary.data;
  const money = (minor: number) => (f ? displayMinor(minor, { currency: f.partner.currency, locale: f.partner.locale }) : "");
  const csv = (table: CsvTable) => `${base}&format=csv&table=${table}`;

  // Each day beside the same weekday one week before.
  const byDay = useMemo(() => {
    if (!f) return [];
    const now = new Map(f.days.map((d) => [d.businessDay, d.revenue]));
    const before = new Map(f.compare.days.map((d) => [d.businessDay, d.revenue]));
    const out: { day: string; revenue: number; before: number }[] = [];
    for (let d = f.from; d <= f.to; d = addDays(d, 1)) {
      out.push({ day: d.slice(5), revenue: (now.get(d) ?? 0) / 100, before: (before.get(addDays(d, -7)) ?? 0) / 100 });
    }
    return out;
  }, [f]);
  const heatMax = Math.max(1, ...(f?.heatmap.map((h) => h.orders) ?? [1]));
  const heat = new Map((f?.heatmap ?? []).map((h) => [`${h.weekday}:${h.hour}`, h.orders]));

  const kpi = (label: MessageKey, value: string, beforeValue: string | null, testId: string) => (
    <div className="rounded-2xl bg-white/5 p-4" data-testid={testId}>
      <div className="text-lg text-gray-300">{t(label)}</div>
      <div className="text-4xl font-black tabular-nums">{value}</div>
      {beforeValue !== null ? <div className="text-base text-gray-400">{t("reports.weekBefore", { value: beforeValue })}</div> : null}
    </div>
  );

  return (
    <div className="flex min-h-dvh flex-col">
      <header className="sticky top-0 z-20 flex flex-wrap items-center gap-3 border-b border-white/10 bg-[#0b0d10]/95 px-4 py-3 backdrop-blur">
        <Link href="/" className="min-h-11 content-center rounded-lg px-2 text-lg text-sky-300 underline-offset-4 hover:underline">
          {t("settings.pass")}
        </Link>
        <h1 className="text-3xl font-black tracking-tight">{t("reports.title")}</h1>
        <Link href="/dashboard" className="min-h-11 content-center rounded-lg px-2 text-lg text-sky-300 underline-offset-4 hover:underline">
          {t("screen.dashboard")}
        </Link>
        {partners.length > 1 ? (
          <label className="flex items-center gap-2 text-lg">
            {t("reports.restaurant")}
            <select
              value={slug}
              onChange={(e) => setSlug(e.target.value)}
              className="min-h-11 rounded-xl bg-white/10 px-3 text-lg"
              data-testid="reports-partner"
            >
              {partners.map((p) => (
                <option key={p.slug} value={p.slug} className="bg-black">
                  {p.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </header>

      <main className="mx-auto flex w-full max-w-6xl flex-col gap-4 p-4">
        <form
          className="flex flex-wrap items-end gap-3"
          onSubmit={(e) => {
            e.preventDefault();
            setRange(draft);
          }}
        >
          <label className="flex flex-col text-lg">
            {t("reports.from")}
            <input
              type="date"
              value={draft.from}
              max={draft.to}
              onChange={(e) => setDraft({ ...draft, from: e.target.value })}
              className="min-h-11 rounded-xl bg-white/10 px-3 text-xl"
              data-testid="reports-from"
            />
          </label>
          <label className="flex flex-col text-lg">
            {t("reports.to")}
            <input
              type="date"
              value={draft.to}
              min={draft.from}
              onChange={(e) => setDraft({ ...draft, to: e.target.value })}
              className="min-h-11 rounded-xl bg-white/10 px-3 text-xl"
              data-testid="reports-to"
            />
          </label>
          <button type="submit" className="min-h-11 rounded-xl bg-sky-400 px-5 text-xl font-black text-black" data-testid="reports-show">
            {t("reports.show")}
          </button>
          <div className="flex flex-wrap gap-2" role="group">
            {PRESETS.map((p) => (
              <button
                key={p.key}
                type="button"
                className="min-h-11 rounded-full bg-white/10 px-4 text-lg font-bold"
                onClick={() => {
                  const next = { from: addDays(today, p.from), to: addDays(today, p.to) };
                  setDraft(next);
                  setRange(next);
                }}
              >
                {t(p.key)}
              </button>
            ))}
          </div>
          {f ? <CsvButton href={`${base}&format=csv`} label={t("reports.csvAll")} /> : null}
        </form>
        {partner ? (
          <p className="text-lg text-gray-400">
            {t("reports.businessDays", {
              from: range.from,
              to: range.to,
              timezone: partner.timezone,
              cutover: String(partner.cutoverHour).padStart(2, "0"),
            })}
          </p>
        ) : null}
        {summary.isError ? (
          <p className="rounded-xl bg-red-900/60 p-4 text-xl" role="alert">
            {summary.error.message}
          </p>
        ) : null}
        {!f ? (
          <p className="text-xl text-gray-400">{t("reports.loading")}</p>
        ) : (
          <>
            <div className="grid grid-cols-2 gap-3 md:grid-cols-4" data-testid="reports-totals">
              {kpi("reports.orders", String(f.totals.orders), String(f.compare.totals.orders), "kpi-orders")}
              {kpi("reports.revenue", money(f.totals.revenue), money(f.compare.totals.revenue), "kpi-revenue")}
              {kpi("reports.averageTicket", money(f.totals.averageTicket), money(f.compare.totals.averageTicket), "kpi-average")}
              {kpi("reports.discounts", money(f.totals.discounts), null, "kpi-discounts")}
              {kpi("reports.surcharges", money(f.totals.surcharges), null, "kpi-surcharges")}
              {kpi("reports.cancelled", `${f.totals.cancelled} · ${money(f.totals.cancelledAmount)}`, null, "kpi-cancelled")}
              {kpi("reports.refunds", `${f.totals.refunds} · ${money(f.totals.refundAmount)}`, null, "kpi-refunds")}
            </div>

            <Section title={t("reports.byDay")} csv={csv("days")} testId="reports-by-day">
              <div className="h-72 w-full">
                <ResponsiveContainer width="100%" height="100%">
                  <BarChart data={byDay} margin={{ top: 8, right: 8, bottom: 8, left: 8 }}>
                    <CartesianGrid stroke="#ffffff22" vertical={false} />
                    <XAxis dataKey="day" stroke="#d1d5db" fontSize={16} />
                    <YAxis stroke="#d1d5db" fontSize={16} width={70} />
                    <Tooltip contentStyle={{ background: "#111", border: "1px solid #444", fontSize: 18 }} />
                    <Legend wrapperStyle={{ fontSize: 18 }} />
                    <Bar dataKey="revenue" name={t("reports.revenue")} fill="#38bdf8" isAnimationActive={false} />
                    <Bar dataKey="before" name={t("reports.byDayCompare")} fill="#6b7280" isAnimationActive={false} />
                  </BarChart>
                </ResponsiveContainer>
              </div>
            </Section>

            <div className="grid gap-4 lg:grid-cols-2">
              <Section title={t("reports.payments")} csv={csv("payments")} testId="reports-payments">
                <Table
                  testId="payments-table"
                  head={[t("reports.method"), t("reports.orders"), t("reports.amount")]}
                  rows={f.payments.map((p) => [p.method, p.orders, money(p.amount)])}
                />
              </Section>
              <Section title={t("reports.cancellations")} csv={csv("cancellations")} testId="reports-cancellations">
                <Table
                  testId="cancellations-table"
                  head={[t("reports.reason"), t("reports.orders"), t("reports.amount"), t("reports.refunds")]}
                  rows={f.cancellations.map((c) => [
                    c.reason || t("reports.noReason"),
                    c.orders,
                    money(c.amount),
                    `${c.refunds} · ${money(c.refundAmount)}`,
                  ])}
                />
              </Section>
            </div>

            <Section title={t("reports.items")} csv={csv("items")} testId="reports-items">
              {!f.soldOutComplete ? <p className="mb-2 text-lg text-amber-300">{t("reports.soldOutPartial")}</p> : null}
              <Table
                testId="items-table"
                head={[t("reports.item"), t("reports.quantity"), t("reports.revenue"), t("reports.soldOut")]}
                rows={f.items.map((i) => [
                  i.name,
                  i.quantity,
                  money(i.revenue),
                  i.soldOutMinutes ? t("reports.minutes", { minutes: i.soldOutMinutes }) : "–",
                ])}
              />
            </Section>

            <Section title={t("reports.stations")} csv={csv("stations")} testId="reports-stations">
              {f.stations.length > 0 ? (
                <div className="mb-3 h-64 w-full">
                  <ResponsiveContainer width="100%" height="100%">
                    <BarChart
                      data={f.stations.map((s) => ({
                        station: s.station,
                        median: (s.medianSeconds ?? 0) / 60,
                        p90: (s.p90Seconds ?? 0) / 60,
                      }))}
                      margin={{ top: 8, right: 8, bottom: 8, left: 8 }}
                    >
                      <CartesianGrid stroke="#ffffff22" vertical={false} />
                      <XAxis dataKey="station" stroke="#d1d5db" fontSize={16} />
                      <YAxis stroke="#d1d5db" fontSize={16} unit=" min" width={70} />
                      <Tooltip
                        contentStyle={{ background: "#111", border: "1px solid #444", fontSize: 18 }}
                        formatter={(v) => `${Number(v).toFixed(1)} min`}
                      />
                      <Legend wrapperStyle={{ fontSize: 18 }} />
                      <Bar dataKey="median" name={t("reports.median")} fill="#34d399" isAnimationActive={false} />
                      <Bar dataKey="p90" name={t("reports.p90")} fill="#f59e0b" isAnimationActive={false} />
                    </BarChart>
                  </ResponsiveContainer>
                </div>
              ) : null}
              <Table
                testId="stations-table"
                head={[
                  t("reports.station"),
                  t("reports.parts"),
                  t("reports.median"),
                  t("reports.p90"),
                  t("reports.late"),
                  t("reports.recalls"),
                ]}
                rows={f.stations.map((s) => [s.station, s.parts, seconds(s.medianSeconds), seconds(s.p90Seconds), s.late, s.recalls])}
              />
            </Section>

            <Section title={t("reports.itemSpeed")} csv={csv("itemSpeed")} testId="reports-item-speed">
              <Table
                testId="item-speed-table"
                head={[
                  t("reports.item"),
                  t("reports.station"),
                  t("reports.parts"),
                  t("reports.median"),
                  t("reports.p90"),
                  t("reports.late"),
                  t("reports.recalls"),
                ]}
                rows={f.itemSpeed.map((s) => [
                  s.name,
                  s.station,
                  s.parts,
                  seconds(s.medianSeconds),
                  seconds(s.p90Seconds),
                  s.late,
                  s.recalls,
                ])}
              />
            </Section>

            <Section title={t("reports.heatmap")} csv={csv("heatmap")} testId="reports-heatmap">
              <div className="overflow-x-auto">
                <div className="grid min-w-[720px] gap-[2px]" style={{ gridTemplateColumns: "3.5rem repeat(24, minmax(0, 1fr))" }}>
                  <div />
                  {Array.from({ length: 24 }, (_, h) => (
                    <div key={h} className="text-center text-sm text-gray-400">
                      {h}
                    </div>
                  ))}
                  {[1, 2, 3, 4, 5, 6, 7].map((w) => (
                    <div key={w} className="contents">
                      <div className="text-base font-bold text-gray-300">{t(`reports.weekday.${w}` as MessageKey)}</div>
                      {Array.from({ length: 24 }, (_, h) => {
                        const n = heat.get(`${w}:${h}`) ?? 0;
                        return (
                          <div
                            key={h}
                            title={t("reports.heatCell", { day: t(`reports.weekday.${w}` as MessageKey), hour: h, count: n })}
                            className="h-9 rounded-sm"
                            data-testid={n > 0 ? `heat-${w}-${h}` : undefined}
                            style={{ background: n === 0 ? "#ffffff0d" : `rgba(56, 189, 248, ${0.2 + 0.8 * (n / heatMax)})` }}
                          />
                        );
                      })}
                    </div>
                  ))}
                </div>
              </div>
            </Section>
          </>
        )}

        <Section title={t("reports.zReports")} testId="reports-z">
          {zList.data && zList.data.reports.length > 0 ? (
            <ul className="flex flex-col gap-2">
              {zList.data.reports.map((z) => (
                <li key={z.businessDay} className="flex flex-wrap items-center gap-3 text-xl" data-testid="z-row">
                  <span className="min-w-36 font-bold tabular-nums">{z.businessDay}</span>
                  <span className="tabular-nums text-gray-300">
                    {z.orders} · {money(z.revenue)}
                  </span>
                  <a
                    className="inline-flex min-h-11 items-center rounded-xl bg-white/10 px-4 font-bold text-sky-200"
                    href={`/api/reports/z/${z.businessDay}.pdf?partner=${encodeURIComponent(slug)}`}
                    target="_blank"
                    rel="noreferrer"
                  >
                    {t("reports.zPdf")}
                  </a>
                  <a
                    className="inline-flex min-h-11 items-center rounded-xl bg-white/10 px-4 font-bold text-sky-200"
                    href={`/api/reports/z/${z.businessDay}.json?partner=${encodeURIComponent(slug)}`}
                    download
                  >
                    {t("reports.zJson")}
                  </a>
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-xl text-gray-400">{t("reports.zNone")}</p>
          )}
        </Section>
      </main>
    </div>
  );
}
