"use client";

import { usePrinters } from "@/components/printer-status";
import { needsAttention } from "@/lib/printing/status";

/**
 * The cashier's banner: a station (or the receipt) whose every network printer is down or
 * paused — its slips are waiting (or going to a backup). Nothing when all print.
 */
export function PrinterBanner() {
  const printers = usePrinters();
  const down = needsAttention(printers.data ?? []);
  if (down.length === 0) return null;
  return (
    <div role="alert" data-testid="printer-banner" className="mb-4 rounded-2xl border-4 border-red-500 bg-red-950 px-4 py-3 text-xl">
      {down.map((d) => (
        <p key={d.station} data-station={d.station} className="font-bold">
          <span className="uppercase">{d.station}</span>: no working printer —{" "}
          {d.printers.map((p) => `${p.name} ${p.why.toLowerCase()}`).join(", ")}. Slips wait; check the printer.
        </p>
      ))}
    </div>
  );
}
