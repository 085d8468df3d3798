/**
 * A network printer's real status (issue "Network printers" item 3), pure, so the dispatcher,
 * the API and the screens (/printer, the dashboard's health panel, the cashier's banner) share
 * one vocabulary. The dispatcher asks the printer with ESC/POS real-time status, DLE EOT n:
 *
 * - n = 1 printer status: bit 3 = offline
 * - n = 2 offline cause: bit 2 = cover open, bit 5 = printing stopped by paper end, bit 6 = error
 * - n = 4 roll paper sensor: bits 2–3 = paper near end, bits 5–6 = paper end
 *
 * A byte whose fixed bits are wrong (bit 0 and 7 clear, bits 1 and 4 set) is not a status
 * answer (a printer speaking another protocol) and counts as an error.
 */
export const PRINTER_STATES = [
  "unknown",
  "ready",
  "paper-near-end",
  "paper-out",
  "cover-open",
  "offline",
  "refused",
  "timeout",
  "error",
] as const;
export type PrinterState = (typeof PRINTER_STATES)[number];

/** States in which a printer prints (near end still prints, with a warning). */
export const isWorking = (state: string): boolean => state === "ready" || state === "paper-near-end";

export const STATE_LABELS: Record<PrinterState, string> = {
  unknown: "Not checked yet",
  ready: "Ready",
  "paper-near-end": "Paper low",
  "paper-out": "Paper out",
  "cover-open": "Cover open",
  offline: "Offline",
  refused: "Connection refused",
  timeout: "Not answering",
  error: "Error",
};

export function stateLabel(state: string): string {
  return STATE_LABELS[state as PrinterState] ?? state;
}

const wellFormed = (b: number) => (b & 0x93) === 0x12;

/** The three DLE EOT answers → the state that matters most (paper out before cover before offline). */
export function parseStatusBytes({ printer, offlineCause, paper }: { printer: number; offlineCause: number; paper: number }): {
  state: PrinterState;
  detail: string | null;
} {
  if (![printer, offlineCause, paper].every(wellFormed)) {
    return { state: "error", detail: `unexpected status bytes ${[printer, offlineCause, paper].map((b) => b.toString(16)).join(" ")}` };
  }
  if (paper & 0x60 || offlineCause & 0x20) return { state: "paper-out", detail: null };
  if (offlineCause & 0x04) return { state: "cover-open", detail: null };
  if (offlineCause & 0x40) return { state: "error", detail: "the printer reports an error" };
  if (printer & 0x08) return { state: "offline", detail: null };
  if (paper & 0x0c) return { state: "paper-near-end", detail: null };
  return { state: "ready", detail: null };
}

/** A printer as GET /api/printers lists it, as far as the screens need. */
export type PrinterView = {
  id: string;
  name: string;
  stations: string[];
  receipt: boolean;
  enabled: boolean;
  paused: boolean;
  queued: number;
  status: { state: string; label: string; detail: string | null; at: string | null; working: boolean };
};

export type Attention = { station: string; printers: { name: string; why: string }[] };

/**
 * What has no working network printer: each station (and the receipt) whose every enabled
 * printer is down or paused — the cashier's banner. A station with no printer at all is not
 * listed: it prints through the browser (/printer) or lives on a kitchen screen.
 */
export function needsAttention(printers: readonly PrinterView[]): Attention[] {
  const routed = new Map<string, PrinterView[]>();
  for (const p of printers) {
    if (!p.enabled) continue;
    for (const s of p.stations) routed.set(s, [...(routed.get(s) ?? []), p]);
    if (p.receipt) routed.set("receipt", [...(routed.get("receipt") ?? []), p]);
  }
  const why = (p: PrinterView) => (p.paused ? "Paused" : p.status.label);
  return [...routed]
    .filter(([, ps]) => !ps.some((p) => p.status.working))
    .map(([station, ps]) => ({ station, printers: ps.map((p) => ({ name: p.name, why: why(p) })) }));
}
