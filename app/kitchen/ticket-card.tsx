"use client";

import { memo, useLayoutEffect, useRef, useState } from "react";
import { AllergyBand, LineDetails } from "@/components/order-lines";
import { useLocale, useT } from "@/components/i18n";
import { useClockValue } from "@/components/use-now";
import { formatDuration } from "@/lib/duration-format";
import type { MessageKey } from "@/lib/i18n";
import { type Ticket, type TicketLine, urgencyAt } from "@/lib/client/kitchen-tickets";

export type Density = "normal" | "compact";

/** What a card can ask the screen to do; one stable object for every card (memo). */
export type CardActions = {
  select(id: number): void;
  start(t: Ticket): void;
  bump(t: Ticket): void;
  bumpLine(t: Ticket, line: TicketLine): void;
  seen(t: Ticket): void;
  undo(t: Ticket): void;
  force(t: Ticket): void;
  cancelForce(t: Ticket): void;
  fire(t: Ticket, course: number): void;
  /** Shows every line of a ticket too long for its slot, over the grid (nothing else moves). */
  expand(t: Ticket): void;
};

/** An allergy ticket waits for the "Allergy seen" tap before it may be bumped (the server answers 409). */
export const needsAck = (t: Ticket) => t.order.allergyAlert && !t.order.allergyAckAt;

const SERVICE: Record<string, { label: MessageKey; style: string }> = {
  "dine-in": { label: "service.dine-in", style: "bg-slate-200 text-black" },
  takeaway: { label: "service.takeaway", style: "bg-orange-300 text-black" },
  delivery: { label: "service.delivery", style: "bg-cyan-300 text-black" },
  pickup: { label: "service.pickup", style: "bg-lime-300 text-black" },
};

const URGENCY = {
  ok: { card: "border-white/25 bg-[#15181d]", label: null },
  warn: { card: "border-amber-400 bg-[#3a2a05]", label: { text: "ticket.warning", style: "bg-amber-400 text-black" } },
  late: { card: "border-red-500 bg-[#4a0d0d]", label: { text: "ticket.late", style: "bg-red-600 text-white" } },
} as const;

/**
 * How many text rows of lines a card holds (a line is one row, each option, allergen list and note
 * one more on normal cards): the lines past it are counted as "+N more lines" instead of clipped unseen.
 * This is the first guess; the card then measures its list and drops the lines that still do not fit
 * (an allergy band, expo's ticks and held courses, a long name that wraps take room no count foresees).
 */
const ROWS: Record<Density, number> = { normal: 8, compact: 3 };
function fitting(t: Ticket, density: Density, expo: boolean): TicketLine[] {
  let budget = ROWS[density] - (t.order.allergyAlert ? (density === "compact" ? 1 : 3) : 0) - (expo && density === "normal" ? 1 : 0);
  const out: TicketLine[] = [];
  for (const line of t.lines) {
    const i = line.item;
    const rows =
      density === "compact" || line.state === "DONE" || line.state === "HELD"
        ? 1
        : 1 +
          i.modifiers.reduce((n, m) => n + m.options.length, 0) +
          (i.allergens.length > 3 ? 2 : i.allergens.length ? 1 : 0) +
          (i.notes ? 1 : 0);
    if (out.length > 0 && rows > budget) break;
    out.push(line);
    budget -= rows;
  }
  return out;
}

export const TicketCard = memo(function TicketCard({
  ticket: t,
  station,
  col,
  row,
  page,
  shown,
  keyHint,
  selected,
  busy,
  error,
  undoUntil,
  asking,
  refused,
  density,
  timeZone,
  actions,
  full = false,
}: {
  ticket: Ticket;
  station: string | null;
  col: number;
  row: number;
  page: number;
  shown: boolean;
  keyHint: number;
  selected: boolean;
  busy: boolean;
  error: string | null;
  undoUntil: number | null;
  asking: boolean;
  refused: boolean;
  density: Density;
  /** The restaurant's time zone (GET /api/partners): a scheduled ticket's fire time is its clock. */
  timeZone: string | undefined;
  actions: CardActions;
  /** The "all lines" overlay: no slot, every line, scrolling if it must. */
  full?: boolean;
}) {
  const tr = useT();
  const o = t.order;
  // The whole card turns at the earliest open part's thresholds, ticking with the shared clock.
  const urgency = useClockValue((now) => (shown ? urgencyAt(now, t.warnAt, t.lateAt) : "ok"));
  const u = URGENCY[urgency];
  const compact = density === "compact";
  const waiting = needsAck(t);
  const service = SERVICE[o.serviceType] ?? SERVICE["dine-in"]!;
  const guess = full ? t.lines.length : fitting(t, density, station === null).length;
  // What the card measured of itself, reset to the guess when the ticket or the density changes.
  const fresh = { t, density, limit: guess, cut: false, shortBand: false };
  const [fit, setFit] = useState(fresh);
  const same = fit.t === t && fit.density === density;
  if (!same) setFit(fresh);
  const measured = full || !same ? fresh : fit;
  const lines = full ? t.lines : t.lines.slice(0, Math.min(measured.limit, guess));
  const hiddenLines = t.lines.length - lines.length;
  // The one line left is itself taller than the room (many options, a long allergen list).
  const lineCut = measured.cut;
  // A normal card too short for the full allergy band (a wall TV of two rows) takes the short
  // band, still with its whole text (every allergen and the guest's note) and "Allergy seen": the
  // Bump button stays inside the card, and the lines go behind "+N more lines" rather than be cut.
  const shortBand = compact || measured.shortBand;
  const card = useRef<HTMLLIElement>(null);
  const list = useRef<HTMLUListElement>(null);
  // Before the paint, and again whenever the card or a line changes size (a font that loads late, a
  // resized screen): a line cut by the card's edge would be an order the cook never sees, so it
  // goes to the "+N more lines" count instead (one line always stays; the button opens them all).
  const check = useRef(() => {});
  check.current = () => {
    const li = card.current;
    const ul = list.current;
    if (full || !shown || !li || !ul || !same) return;
    if (o.allergyAlert && !shortBand && li.scrollHeight > li.clientHeight + 1) return setFit({ ...fit, shortBand: true });
    if (lineCut || lines.length === 0 || ul.scrollHeight <= ul.clientHeight + 1) return;
    // No room for even one row (a compact allergy card on expo): every line goes behind "show all".
    if (lines.length === 1 && ul.clientHeight < 24) return setFit({ ...fit, limit: 0 });
    setFit(lines.length > 1 ? { ...fit, limit: lines.length - 1 } : { ...fit, limit: 1, cut: true });
  };
  useLayoutEffect(() => check.current());
  const watch = useRef<ResizeObserver | null>(null);
  useLayoutEffect(() => {
    if (full || !shown) return;
    const ro = new ResizeObserver(() => check.current());
    watch.current = ro;
    if (card.current) ro.observe(card.current);
    return () => {
      ro.disconnect();
      watch.current = null;
    };
  }, [full, shown]);
  useLayoutEffect(() => {
    for (const el of list.current?.children ?? []) watch.current?.observe(el);
  });
  const frame = t.readyToSend ? "border-green-400 ring-4 ring-green-400" : u.card;
  return (
    <li
      data-testid={full ? "ticket-full" : "ticket"}
      data-ticket={o.ticketNumber ?? ""}
      data-id={o.id}
      data-status={o.status}
      data-allergy={o.allergyAlert}
      data-urgency={urgency}
      data-rush={t.rush}
      data-page={page}
      data-selected={selected}
      data-waiting={o.waitingOn.join(",")}
      data-ready-to-send={t.readyToSend}
      data-lines={t.lines.length}
      data-short-band={o.allergyAlert ? shortBand : undefined}
      ref={card}
      hidden={!shown}
      onClick={() => actions.select(t.id)}
      style={{ gridColumnStart: col + 1, gridRowStart: row + 1 }}
      className={`relative flex min-h-0 min-w-0 flex-col overflow-hidden rounded-2xl border-4 ${frame} ${selected ? "outline-4 outline-offset-2 outline-sky-400" : ""}`}
    >
      {(t.rush || u.label || t.readyToSend) && (
        <div className="flex shrink-0 text-center text-xl font-black tracking-widest">
          {t.rush && <span className="flex-1 bg-red-600 py-0.5 text-white">{tr("ticket.rush")}</span>}
          {t.readyToSend && (
            <span data-testid="ready-to-send" className="flex-1 bg-green-400 py-0.5 text-black">
              {tr("ticket.readyToSend")}
            </span>
          )}
          {u.label && !t.readyToSend && (
            <span data-testid="urgency" className={`flex flex-1 items-center justify-center gap-1.5 py-0.5 ${u.label.style}`}>
              <ClockIcon /> {tr(u.label.text)}
            </span>
          )}
        </div>
      )}
      {/* A compact card's "Allergy seen" takes Start's place at the bottom (it comes first), not a row of the band. */}
      <AllergyBand order={o} compact={shortBand} wholeText={!compact}>
        {waiting && !compact && (
          <button
            type="button"
            onClick={(e) => (e.stopPropagation(), actions.seen(t))}
            data-testid="allergy-seen"
            className={`${shortBand ? "min-h-11 shrink-0 px-3 text-lg" : "min-h-14 text-2xl"} rounded-xl bg-white font-black tracking-wide text-red-700 uppercase`}
          >
            {tr("ticket.allergySeen")} <span className="text-lg font-bold">(A)</span>
          </button>
        )}
      </AllergyBand>
      <div className={`flex shrink-0 items-start justify-between gap-2 px-3 ${compact ? "pt-1" : "pt-2"}`}>
        <div className={`min-w-0 ${compact ? "flex items-baseline gap-2" : ""}`}>
          <div className={`${compact ? "text-4xl" : "text-5xl"} leading-none font-black tabular-nums`} data-testid="ticket-number">
            #{o.ticketNumber ?? o.displayCode}
          </div>
          <div className={`truncate ${compact ? "text-base" : "mt-1 text-lg"} text-gray-300`}>
            {o.displayCode}
            {o.table ? ` · ${tr("ticket.table", { table: o.table })}` : ""}
            {o.customer ? ` · ${o.customer}` : ""}
          </div>
        </div>
        <div className={`flex shrink-0 items-end gap-1 ${compact ? "flex-row-reverse items-center" : "flex-col"}`}>
          <span className="flex items-center gap-1">
            {keyHint <= 9 && (
              <kbd className="rounded bg-white/15 px-1.5 text-base font-bold text-gray-200" aria-label={tr("ticket.key", { key: keyHint })}>
                {keyHint}
              </kbd>
            )}
            {shown && <Clock since={t.since} className={compact ? "text-lg" : "text-2xl"} />}
          </span>
          <span
            data-testid="service-type"
            className={`rounded-full px-2 ${compact ? "text-sm" : "text-base"} font-black uppercase ${service.style}`}
          >
            {tr(service.label)}
          </span>
        </div>
      </div>
      {!station && <ExpoStatus t={t} compact={compact} timeZone={timeZone} actions={actions} busy={busy} />}
      <ul
        ref={list}
        data-testid="ticket-lines"
        hidden={lines.length === 0}
        className={`flex min-h-0 flex-1 flex-col px-3 ${full ? "overflow-y-auto" : "overflow-hidden"} ${compact ? "py-1 text-xl" : "gap-1 py-2 text-2xl"}`}
      >
        {lines.map((line) => (
          <Line key={line.item.id} t={t} line={line} station={station} compact={compact} full={full} actions={actions} busy={busy} />
        ))}
      </ul>
      {(hiddenLines > 0 || lineCut) && (
        <button
          type="button"
          data-testid="more-lines"
          data-hidden={hiddenLines}
          data-cut={lineCut}
          onClick={(e) => (e.stopPropagation(), actions.expand(t))}
          className="mx-2 min-h-11 shrink-0 truncate rounded-xl bg-sky-950 px-3 text-left text-lg font-bold text-sky-300"
        >
          {lineCut
            ? hiddenLines > 0
              ? tr("ticket.lineCutMore", { count: hiddenLines })
              : tr("ticket.lineCut")
            : tr("ticket.moreLines", { count: hiddenLines })}{" "}
          — {tr("ticket.showAll")}
        </button>
      )}
      {refused && waiting && (
        <p
          role="alert"
          data-testid="bump-refused"
          className="mx-3 mb-1 shrink-0 rounded-xl bg-[#b91c1c] px-3 py-1 text-center text-xl font-black text-white"
        >
          {tr("ticket.ackFirst")}
        </p>
      )}
      {error && (
        <p
          role="alert"
          data-testid="card-error"
          className="mx-3 mb-1 shrink-0 rounded-xl bg-white px-3 py-1 text-lg font-bold text-red-800"
        >
          {error}
        </p>
      )}
      {asking ? (
        <div data-testid="force-confirm" className="grid shrink-0 grid-cols-2 gap-2 border-t border-white/10 p-2">
          <p className="col-span-2 text-center text-xl font-black text-amber-300">{tr("ticket.forceAsk")}</p>
          <button
            type="button"
            onClick={(e) => (e.stopPropagation(), actions.cancelForce(t))}
            data-testid="force-cancel"
            className="min-h-12 rounded-xl bg-white/15 text-xl font-bold"
          >
            {tr("ticket.forceCancel")}
          </button>
          <button
            type="button"
            onClick={(e) => (e.stopPropagation(), actions.force(t))}
            disabled={busy}
            data-testid="force-ready"
            className="min-h-12 rounded-xl bg-amber-400 text-xl font-black text-black disabled:opacity-40"
          >
            {tr("ticket.forceReady")}
          </button>
        </div>
      ) : (
        <div className={`grid shrink-0 gap-2 border-t border-white/10 p-2 ${undoUntil ? "grid-cols-3" : "grid-cols-2"}`}>
          {waiting && compact ? (
            <button
              type="button"
              onClick={(e) => (e.stopPropagation(), actions.seen(t))}
              data-testid="allergy-seen"
              className="min-h-12 rounded-xl bg-white px-1 text-lg leading-tight font-black text-red-700 uppercase"
            >
              {tr("ticket.allergySeen")} (A)
            </button>
          ) : (
            <button
              type="button"
              onClick={(e) => (e.stopPropagation(), actions.start(t))}
              disabled={!t.startable || busy}
              data-testid="start"
              className={`${compact ? "min-h-12" : "min-h-14"} rounded-xl bg-violet-600 text-xl font-bold text-white disabled:opacity-30`}
            >
              {tr("ticket.start")}
            </button>
          )}
          {undoUntil && <UndoButton until={undoUntil} onUndo={() => actions.undo(t)} busy={busy} />}
          <button
            type="button"
            onClick={(e) => (e.stopPropagation(), actions.bump(t))}
            disabled={busy || (station !== null && !t.open)}
            title={waiting ? tr("ticket.ackFirst") : undefined}
            data-testid="bump"
            className={`${compact ? "min-h-12" : "min-h-14"} rounded-xl text-xl font-black disabled:opacity-40 ${waiting ? "bg-gray-600 text-gray-200" : "bg-green-500 text-black"}`}
          >
            {tr("ticket.bump")}
          </button>
        </div>
      )}
    </li>
  );
});

const TICK = {
  done: { mark: "✓", style: "bg-green-500 text-black" },
  open: { mark: "○", style: "border-2 border-white text-white" },
  held: { mark: "‖", style: "bg-white/10 text-gray-400" },
} as const;

/** Expo: a tick per station, who it waits on, and the held courses with their "Fire" button. */
function ExpoStatus({
  t,
  compact,
  timeZone,
  actions,
  busy,
}: {
  t: Ticket;
  compact: boolean;
  timeZone: string | undefined;
  actions: CardActions;
  busy: boolean;
}) {
  const tr = useT();
  const locale = useLocale();
  const o = t.order;
  const fireAt = o.fireAt ? new Date(o.fireAt).toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit", timeZone }) : null;
  return (
    // Compact: the ticks and "waiting on" share one wrapping row.
    <div className={`flex shrink-0 px-3 ${compact ? "flex-row flex-wrap items-center gap-x-2 pt-1" : "flex-col gap-1 pt-2"}`}>
      <ul className="flex flex-wrap gap-1" data-testid="station-ticks">
        {t.ticks.map((tick) => (
          <li
            key={tick.station}
            data-testid="station-tick"
            data-station={tick.station}
            data-state={tick.state}
            className={`rounded-lg px-2 ${compact ? "text-base" : "text-lg"} font-bold capitalize ${TICK[tick.state].style}`}
          >
            <span aria-hidden>{TICK[tick.state].mark}</span> {tick.station}
            <span className="sr-only"> {tick.state}</span>
          </li>
        ))}
      </ul>
      {/* "Fire course 2" beside the words, not on a row of its own: the room goes to the lines. */}
      <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
        <p data-testid="waiting-on" className={`${compact ? "text-lg" : "text-xl"} font-bold text-gray-200`}>
          {o.waitingOn.length > 0
            ? tr("ticket.waitingOn", { stations: o.waitingOn.join(", ") })
            : t.readyToSend
              ? tr("ticket.allDone")
              : fireAt
                ? tr("ticket.firesAt", { time: fireAt })
                : ""}
        </p>
        {t.heldCourses.map((course) => (
          <button
            key={course}
            type="button"
            onClick={(e) => (e.stopPropagation(), actions.fire(t, course))}
            disabled={busy}
            data-testid="fire-course"
            data-course={course}
            className="min-h-11 flex-1 rounded-xl border-2 border-dashed border-gray-400 px-2 text-lg font-black whitespace-nowrap text-gray-200 disabled:opacity-40"
          >
            {tr("ticket.fireCourse", { course })}
          </button>
        ))}
      </div>
    </div>
  );
}

const STATE_STYLE = {
  HELD: "text-gray-500",
  QUEUED: "",
  STARTED: "text-violet-200",
  DONE: "text-gray-500 line-through decoration-2",
} as const;

function Line({
  t,
  line,
  station,
  compact,
  full,
  actions,
  busy,
}: {
  t: Ticket;
  line: TicketLine;
  station: string | null;
  compact: boolean;
  full: boolean;
  actions: CardActions;
  busy: boolean;
}) {
  const tr = useT();
  const { item, state } = line;
  const open = state === "QUEUED" || state === "STARTED";
  const text = (
    <>
      <span className="font-black tabular-nums">{item.quantity}×</span> <span className="font-semibold">{item.name}</span>
      {state === "DONE" && <span className="ml-2 text-green-400 no-underline">✓</span>}
      {state === "STARTED" && (
        <span className="ml-2 rounded bg-violet-600 px-1 text-base font-bold text-white">{tr("ticket.cooking")}</span>
      )}
      {state === "HELD" && (
        <span className="ml-2 rounded bg-white/10 px-1 text-base font-bold">{tr("ticket.held", { course: line.course })}</span>
      )}
      {!station && line.parts.length > 1 && (
        <span className="ml-2 text-base text-gray-400">
          {line.parts.map((p) => `${p.station} ${p.state === "DONE" ? "✓" : "…"}`).join(" · ")}
        </span>
      )}
    </>
  );
  return (
    <li
      data-testid="ticket-line"
      data-item={item.id}
      data-state={state}
      data-course={line.course}
      className={`min-w-0 ${STATE_STYLE[state]}`}
    >
      {station && open ? (
        // On a station view, tapping a line bumps just that line.
        <button
          type="button"
          onClick={(e) => (e.stopPropagation(), actions.bumpLine(t, line))}
          disabled={busy}
          data-testid="line-bump"
          className="min-h-11 w-full rounded-lg text-left leading-tight hover:bg-white/10"
        >
          {text}
        </button>
      ) : (
        // Not a tap target (expo, a line done here): no 44 px row, the room goes to the lines.
        <div className="leading-tight">{text}</div>
      )}
      {/* A held course's details come with it when it fires (the overlay shows them all now). */}
      {!compact && state !== "DONE" && (state !== "HELD" || full) && <LineDetails line={item} station={station} size="md" />}
    </li>
  );
}

function Clock({ since, className }: { since: string; className: string }) {
  const seconds = useClockValue((now) => Math.max(0, Math.floor((now - Date.parse(since)) / 1000)));
  return (
    <span data-testid="elapsed" className={`rounded-lg bg-black/40 px-2 font-mono font-bold tabular-nums ${className}`}>
      {formatDuration(seconds, { rounding: "down", padMinutes: true })}
    </span>
  );
}

export function UndoButton({ until, onUndo, busy }: { until: number; onUndo(): void; busy: boolean }) {
  const tr = useT();
  const left = useClockValue((now) => Math.max(0, Math.ceil((until - now) / 1000)));
  return (
    <button
      type="button"
      onClick={(e) => (e.stopPropagation(), onUndo())}
      disabled={busy}
      data-testid="undo"
      className="min-h-12 rounded-xl bg-amber-400 px-3 text-xl font-black text-black disabled:opacity-40"
    >
      {tr("ticket.undo")} <span className="tabular-nums">{left}s</span>
    </button>
  );
}

function ClockIcon() {
  return (
    <svg aria-hidden viewBox="0 0 24 24" className="h-5 w-5" fill="none" stroke="currentColor" strokeWidth="3" strokeLinecap="round">
      <circle cx="12" cy="12" r="9" />
      <path d="M12 7v5l3 2" />
    </svg>
  );
}
