"use client";

import { useQuery } from "@tanstack/react-query";
import type { Translate } from "@/lib/i18n";
import type { PrinterView } from "@/lib/printing/status";
import { useT } from "./i18n";

/**
 * The network printers' live status on every staff screen that shows it (issue "Network
 * printers" item 3): the dispatcher asks each printer every few seconds and GET /api/printers
 * reads what it found; polling it every 2 s puts a dead printer on screen within 5 s.
 */
export function usePrinters({ enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: ["printers"],
    queryFn: async () => {
      const res = await fetch("/api/printers", { cache: "no-store" });
      if (!res.ok) throw new Error(`printers: ${res.status}`);
      return ((await res.json()) as { printers: PrinterView[] }).printers;
    },
    refetchInterval: 2_000,
    enabled,
  });
}

const tone = (p: PrinterView) =>
  !p.enabled ? "bg-black/30 text-gray-400" : p.paused ? "bg-amber-900" : p.status.working ? "bg-black/30" : "bg-red-950";

/** What a printer prints: its stations and "receipt", or that nothing is routed to it. */
export const routedText = (t: Translate, p: PrinterView): string =>
  [...p.stations, ...(p.receipt ? [t("printer.receipt")] : [])].join(", ") || t("printer.nothingRouted");

export function PrinterStateChip({ printer }: { printer: PrinterView }) {
  const t = useT();
  // The live state's label is the printer's own report (lib/printing/status), as it said it.
  const label = !printer.enabled ? t("printer.disabled") : printer.paused ? t("printer.paused") : printer.status.label;
  const ok = printer.enabled && !printer.paused && printer.status.working;
  return (
    <span
      data-testid="printer-state"
      data-state={printer.status.state}
      className={`rounded-full px-3 py-1 text-lg font-black ${ok ? "bg-green-400 text-black" : "bg-red-600 text-white"}`}
    >
      {label}
    </span>
  );
}

/** The dashboard's panel: every printer with its state and reason, what it prints, its queue. */
export function PrintersHealth() {
  const t = useT();
  const printers = usePrinters();
  const list = printers.data ?? [];
  if (printers.isSuccess && list.length === 0) return null;
  return (
    <section aria-labelledby="printers-heading" className="mb-6 rounded-2xl border border-white/10 bg-white/5 p-4">
      <h2 id="printers-heading" className="mb-3 text-xl font-bold">
        {t("printer.health")} <span className="text-gray-400">({list.length})</span>
      </h2>
      <ul className="grid gap-2 sm:grid-cols-2 xl:grid-cols-3" data-testid="printers-health">
        {list.map((p) => (
          <li key={p.id} data-testid="printer-health" data-printer={p.name} className={`rounded-xl px-3 py-2 text-lg ${tone(p)}`}>
            <div className="flex items-center justify-between gap-2">
              <strong>{p.name}</strong>
              <PrinterStateChip printer={p} />
            </div>
            <div className="flex flex-wrap gap-x-3 text-base text-gray-300">
              <span>{routedText(t, p)}</span>
              <span>{p.queued === 0 ? t("printer.queueEmpty") : t("printer.waiting", { count: p.queued })}</span>
              {p.status.detail && <span className="text-red-200">{p.status.detail}</span>}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
