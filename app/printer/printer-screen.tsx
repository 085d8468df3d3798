"use client";

import { useEffect, useRef, useState } from "react";
import { useT } from "@/components/i18n";
import { ScreenShell } from "@/components/screen-shell";
import type { Translate } from "@/lib/i18n";
import { StoredPosition } from "@/lib/client/live-stream";
import { applyOrderEvent, orderEventOf, type StreamFrame } from "@/lib/client/order-events";
import { usePartnerStyles } from "@/lib/client/money";
import { clockTime } from "@/lib/client/schedule";
import { displayMoney } from "@/lib/money-format";
import { useEventStream } from "@/lib/client/use-event-stream";
import { passStreamUrl } from "@/lib/client/use-orders-stream";
import { usePrinters } from "@/components/printer-status";
import type { PrinterView } from "@/lib/printing/status";
import { jobsFor, slipAllergy, slipFiredAt, slipLines, type PrintJob } from "./jobs";
import { NetworkPrinters } from "./network-printers";

/**
 * The network printer(s) a job goes to instead of this browser (lib/printing/queue.ts routeJob):
 * an enabled printer of the slip's station, or an enabled receipt printer. The browser prints
 * only what no network printer takes (a USB printer beside this screen).
 */
function networkPrintersFor(job: PrintJob, printers: readonly PrinterView[]): string[] {
  return printers.filter((p) => p.enabled && (job.kind === "receipt" ? p.receipt : p.stations.includes(job.station))).map((p) => p.name);
}

/** A slip's clock times are the restaurant's (its time zone), not the printer screen's. */
const clock = (iso: string | null, timeZone: string | undefined) => (iso ? clockTime(iso, new Date(), timeZone) : "");

/**
 * The print station. It keeps no order list, only its place in the log: the last event it
 * handled, in localStorage (`pass.stream:/api/events/printer`) beside the keys it printed, so a
 * reload resumes there and the stream reconnects from it. Whether an event is new is
 * applyOrderEvent's answer, as on every screen. Every job is keyed by its log event id and the
 * keys already printed live in localStorage, so neither a replay nor a reload prints anything
 * twice. `window.__passPrinted` lists what was printed, for tests and support.
 */
const STREAM_URL = passStreamUrl("printer");
const POSITION_KEY = "/api/events/printer";
const PRINTED_KEY = "pass.printer.printed";
const AUTO_KEY = "pass.printer.auto";
const LOG_SIZE = 100;
const REMEMBER = 5_000;

declare global {
  interface Window {
    __passPrinted?: {
      key: string;
      kind: string;
      station?: string;
      items?: string[];
      courses?: number[];
      fired?: boolean;
      reprint: boolean;
      fallback: boolean;
      ticketNumber: number | null;
    }[];
  }
}

function loadPrinted(): string[] {
  try {
    return JSON.parse(localStorage.getItem(PRINTED_KEY) ?? "[]") as string[];
  } catch {
    return [];
  }
}

type LogEntry = { job: PrintJob; at: string; result: "printed" | "skipped (already printed)" | `on network printer ${string}` };

/** `result` stays the same words in `data-result` (tests, logs); the screen shows them in the partner's language. */
function resultLabel(t: Translate, result: LogEntry["result"]): string {
  if (result === "printed") return t("printer.result.printed");
  if (result === "skipped (already printed)") return t("printer.result.skipped");
  return t("printer.result.network", { printers: result.slice("on network printer ".length) });
}

export function PrinterScreen() {
  const t = useT();
  const printed = useRef<Set<string> | null>(null);
  const queue = useRef<PrintJob[]>([]);
  const [current, setCurrent] = useState<PrintJob | null>(null);
  // The slip on screen: the one printing, else the last printed (or one chosen in the log).
  const [preview, setPreview] = useState<PrintJob | null>(null);
  const [log, setLog] = useState<LogEntry[]>([]);
  const [auto, setAuto] = useState(true);
  const printers = usePrinters();
  const network = useRef<PrinterView[]>([]);
  network.current = printers.data ?? [];

  useEffect(() => {
    printed.current = new Set(loadPrinted());
    setAuto(localStorage.getItem(AUTO_KEY) !== "false");
  }, []);

  const position = useRef<StoredPosition | null>(null);
  const place = () => (position.current ??= new StoredPosition(POSITION_KEY));

  /** One frame: control frames name the epoch and the top; an event not handled yet moves the place and may print. */
  const handle = (frame: StreamFrame) => {
    const at = place();
    if (frame.id === null) return at.record(frame);
    const { lastEventId, epoch } = at.get();
    const mark = { orders: [], lastEventId: lastEventId ?? 0, epoch: epoch ?? "" };
    const next = applyOrderEvent(mark, frame);
    if (next === mark) return;
    at.set({ lastEventId: next.lastEventId, epoch });
    const event = orderEventOf(frame);
    if (!event) return;
    for (const job of jobsFor(next.lastEventId, event)) {
      const elsewhere = networkPrintersFor(job, network.current);
      if (elsewhere.length) {
        const result = `on network printer ${elsewhere.join(", ")}` as const;
        setLog((l) => [{ job, at: new Date().toLocaleTimeString(), result }, ...l].slice(0, LOG_SIZE));
        continue;
      }
      const seen = (printed.current ??= new Set(loadPrinted()));
      if (seen.has(job.key)) {
        setLog((l) =>
          [{ job, at: new Date().toLocaleTimeString(), result: "skipped (already printed)" as const }, ...l].slice(0, LOG_SIZE),
        );
        continue;
      }
      queue.current.push(job);
    }
    pump();
  };

  const printing = useRef(false);
  const pump = () => {
    if (printing.current || queue.current.length === 0) return;
    printing.current = true;
    setCurrent(queue.current.shift()!);
  };

  // Events wait until the network printers are known, so a slip they print never also prints here.
  // Without printers:read (an old printer token) the browser prints everything, as before.
  const known = printers.isSuccess || printers.isError;
  const state = useEventStream({ url: STREAM_URL, position: known ? () => place().get() : undefined, onEvent: handle });

  // One job at a time: render it into the print area, print, record, next.
  useEffect(() => {
    if (!current) {
      pump();
      return;
    }
    const seen = (printed.current ??= new Set(loadPrinted()));
    seen.add(current.key);
    localStorage.setItem(PRINTED_KEY, JSON.stringify([...seen].slice(-REMEMBER)));
    if (auto) window.print();
    (window.__passPrinted ??= []).push({
      key: current.key,
      kind: current.kind,
      station: current.kind === "kitchen" ? current.station : undefined,
      items: current.kind === "kitchen" ? current.items.map((i) => i.id) : undefined,
      courses: current.kind === "kitchen" ? current.courses : undefined,
      fired: current.kind === "kitchen" ? current.fired : undefined,
      reprint: current.reprint,
      fallback: current.fallback,
      ticketNumber: current.order.ticketNumber,
    });
    setLog((l) => [{ job: current, at: new Date().toLocaleTimeString(), result: "printed" as const }, ...l].slice(0, LOG_SIZE));
    setPreview(current);
    const done = setTimeout(() => {
      printing.current = false;
      setCurrent(null);
    }, 50);
    return () => clearTimeout(done);
  }, [current]); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <ScreenShell
      title={t("printer.title")}
      screen="printer"
      lastEventId={position.current?.get().lastEventId ?? null}
      state={state}
      sound={false}
      tools={
        <label className="flex min-h-11 items-center gap-2 rounded-full bg-white/10 px-4 text-lg font-bold">
          <input
            type="checkbox"
            checked={auto}
            data-testid="auto-print"
            onChange={(e) => {
              setAuto(e.target.checked);
              localStorage.setItem(AUTO_KEY, String(e.target.checked));
            }}
            className="h-5 w-5"
          />
          {t("printer.auto")}
        </label>
      }
    >
      <NetworkPrinters printers={printers.data ?? []} />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_auto]">
        <section aria-labelledby="log-heading" className="print:hidden">
          <h2 id="log-heading" className="mb-3 text-2xl font-bold">
            {t("printer.log")}
          </h2>
          {log.length === 0 && <p className="text-xl text-gray-300">{t("printer.empty")}</p>}
          <ol className="flex flex-col gap-2" data-testid="print-log">
            {log.map((e, i) => (
              <li
                key={`${e.job.key}-${log.length - i}`}
                data-testid="print-entry"
                data-kind={e.job.kind}
                data-station={e.job.kind === "kitchen" ? e.job.station : ""}
                data-courses={e.job.kind === "kitchen" ? e.job.courses.join(",") : ""}
                data-fired={e.job.kind === "kitchen" && e.job.fired}
                data-ticket={e.job.order.ticketNumber ?? ""}
                data-reprint={e.job.reprint}
                data-fallback={e.job.fallback}
                data-result={e.result}
                data-allergy={e.job.order.allergyAlert}
                className="flex flex-wrap items-center gap-3 rounded-xl bg-white/5 px-3 py-2 text-xl"
              >
                <span className="font-mono text-gray-400">{e.at}</span>
                <strong>#{e.job.order.ticketNumber}</strong>
                <span>{e.job.order.displayCode}</span>
                <span className="capitalize">
                  {e.job.kind === "kitchen" ? t("printer.stationTicket", { station: e.job.station }) : t("printer.receipt")}
                </span>
                {e.job.kind === "kitchen" && e.job.courses.length > 0 && (
                  <span className="rounded bg-white/15 px-2 font-bold">{t("printer.course", { courses: e.job.courses.join(", ") })}</span>
                )}
                {e.job.kind === "kitchen" && e.job.fired && (
                  <span className="rounded bg-sky-300 px-2 font-black text-black">{t("printer.fired")}</span>
                )}
                {e.job.reprint && <span className="rounded bg-amber-400 px-2 font-black text-black">{t("printer.reprintChip")}</span>}
                {e.job.fallback && <span className="rounded bg-red-600 px-2 font-black text-white">{t("printer.notSeen")}</span>}
                {e.job.order.allergyAlert && (
                  <span className="rounded bg-black px-2 font-black text-white ring-2 ring-white">{t("printer.allergy")}</span>
                )}
                <span className={`ml-auto ${e.result === "printed" ? "text-green-400" : "text-gray-400"}`}>{resultLabel(t, e.result)}</span>
                <button
                  type="button"
                  onClick={() => !current && setPreview(e.job)}
                  data-testid="print-entry-show"
                  className="min-h-11 rounded-lg bg-white/10 px-3 text-lg font-bold"
                >
                  {t("printer.show")}
                </button>
              </li>
            ))}
          </ol>
        </section>
        <section aria-labelledby="slip-heading" className="slip-preview">
          <h2 id="slip-heading" className="mb-3 text-2xl font-bold">
            {current ? t("printer.printing") : t("printer.lastSlip")}
          </h2>
          {current || preview ? (
            <Slip job={(current ?? preview)!} />
          ) : (
            <p className="w-[80mm] max-w-full text-xl text-gray-300">{t("printer.slipHere")}</p>
          )}
        </section>
      </div>
    </ScreenShell>
  );
}

/** 80 mm thermal layout; only this is visible on paper (see globals.css @media print). */
function Slip({ job }: { job: PrintJob }) {
  const o = job.order;
  // The restaurant's currency and locale, as on every screen (lib/money-format.ts).
  const { styleOf, partnerOf, timeZoneOf } = usePartnerStyles();
  const money = (amount: string) => displayMoney(amount, styleOf(o.partnerId));
  const timeZone = timeZoneOf(o.partnerId);
  const restaurant = partnerOf(o.partnerId)?.name;
  const allergy = slipAllergy(o);
  return (
    <div className="print-slip" data-testid="print-slip" data-kind={job.kind} data-ticket={o.ticketNumber ?? ""}>
      {job.reprint && <p className="slip-stamp">*** REPRINT ***</p>}
      {job.fallback && <p className="slip-stamp">*** NOT SEEN BY KITCHEN ***</p>}
      {restaurant && (
        <p className="slip-head" data-testid="slip-restaurant">
          {restaurant}
        </p>
      )}
      <p className="slip-big">#{o.ticketNumber}</p>
      <p>
        {o.displayCode}
        {o.table ? ` · Table ${o.table}` : ""}
      </p>
      {o.customer && <p>{o.customer}</p>}
      <p>{new Date(o.confirmedAt ?? o.createdAt).toLocaleString(undefined, { timeZone })}</p>
      {o.promisedAt && (
        <p className="slip-head" data-testid="slip-promised">
          FOR {clock(o.promisedAt, timeZone)}
        </p>
      )}
      {allergy && (
        <p className="slip-allergy" data-testid="slip-allergy">
          {allergy}
        </p>
      )}
      <hr />
      {job.kind === "kitchen" ? (
        <>
          <p className="slip-head">
            {job.station.toUpperCase()}
            {job.courses.length > 0 && <span data-testid="slip-course"> · COURSE {job.courses.join(", ")}</span>}
          </p>
          {job.fired && <p className="slip-stamp">*** FIRED {clock(slipFiredAt(job), timeZone)} ***</p>}
          {job.items.map((i) => (
            <div key={i.id}>
              <p className="slip-item">
                {i.quantity} × {i.food.name}
              </p>
              {slipLines(i, job.station).map((l, k) => (
                <p key={k} className={`slip-${l.kind}`} data-testid={`slip-${l.kind}`}>
                  {l.kind === "note" ? `!! ${l.text}` : l.text}
                </p>
              ))}
            </div>
          ))}
        </>
      ) : (
        <>
          <p className="slip-head">RECEIPT</p>
          {o.orderItems.map((i) => (
            <div key={i.id}>
              <p className="slip-row">
                <span>
                  {i.quantity} × {i.food.name}
                </span>
                <span>{money(i.total)}</span>
              </p>
              {slipLines(i)
                .filter((l) => l.kind === "option")
                .map((l, k) => (
                  <p key={k} className="slip-option">
                    {l.text}
                  </p>
                ))}
            </div>
          ))}
          <hr />
          <p className="slip-row">
            <span>Subtotal</span>
            <span>{money(o.subTotal)}</span>
          </p>
          {o.surcharge !== "0" && (
            <p className="slip-row">
              <span>Surcharge</span>
              <span>{money(o.surcharge)}</span>
            </p>
          )}
          {o.discount !== "0" && (
            <p className="slip-row">
              <span>Discount</span>
              <span>−{money(o.discount)}</span>
            </p>
          )}
          <p className="slip-row slip-total">
            <span>TOTAL</span>
            <span>{money(o.total)}</span>
          </p>
          <p>Paid: {o.paymentMethod}</p>
        </>
      )}
    </div>
  );
}
