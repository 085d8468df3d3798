"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useT } from "@/components/i18n";
import { PrinterStateChip, routedText } from "@/components/printer-status";
import { postJson, sendJson } from "@/lib/client/api";
import { clockTime } from "@/lib/client/schedule";
import type { MessageKey } from "@/lib/i18n";
import type { PrinterView } from "@/lib/printing/status";

/**
 * The print station's console for network printers (issue "Network printers" item 4): each
 * printer with its live state and reason, pause / resume, a test page, and its latest jobs with
 * their state (queued, printing, printed, moved to the backup, unconfirmed) and Reprint. Printing
 * itself happens on the server (lib/printing/dispatcher.ts); this screen only shows and asks.
 */
type Job = {
  id: string;
  kind: string;
  station: string | null;
  ticketNumber: number | null;
  displayCode: string | null;
  reprint: boolean;
  state: string;
  attempts: number;
  queuedAt: string;
  printedAt: string | null;
  lastError: string | null;
  backupFrom: string | null;
  movedTo: string | null;
  late: boolean;
};

const STATE_STYLE: Record<string, string> = {
  printed: "text-green-400",
  queued: "text-amber-300",
  printing: "text-sky-300",
  moved: "text-gray-400",
  unconfirmed: "font-black text-red-300",
};

const STATE_KEY: Record<string, MessageKey> = {
  printed: "printer.state.printed",
  queued: "printer.state.queued",
  printing: "printer.state.printing",
  moved: "printer.state.moved",
  unconfirmed: "printer.state.unconfirmed",
};

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { cache: "no-store", credentials: "same-origin" });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return (await res.json()) as T;
}

export function NetworkPrinters({ printers }: { printers: PrinterView[] }) {
  const t = useT();
  if (printers.length === 0) return null;
  return (
    <section aria-labelledby="network-heading" className="mb-6 print:hidden">
      <h2 id="network-heading" className="mb-3 text-2xl font-bold">
        {t("printer.network")}
      </h2>
      <div className="grid gap-4 xl:grid-cols-2" data-testid="network-printers">
        {printers.map((p) => (
          <PrinterCard key={p.id} printer={p} />
        ))}
      </div>
    </section>
  );
}

function PrinterCard({ printer }: { printer: PrinterView }) {
  const t = useT();
  const client = useQueryClient();
  const jobs = useQuery({
    queryKey: ["printer-jobs", printer.id],
    queryFn: async () => (await getJson<{ jobs: Job[] }>(`/api/printers/${printer.id}/jobs`)).jobs,
    refetchInterval: 2_000,
  });
  const refresh = () => {
    void client.invalidateQueries({ queryKey: ["printers"] });
    void client.invalidateQueries({ queryKey: ["printer-jobs", printer.id] });
  };
  const pause = useMutation({
    mutationFn: (paused: boolean) => sendJson("PATCH", `/api/printers/${printer.id}`, { paused }),
    onSuccess: refresh,
  });
  const test = useMutation({ mutationFn: () => postJson(`/api/printers/${printer.id}/test`, {}), onSuccess: refresh });
  const reprint = useMutation({ mutationFn: (jobId: string) => postJson(`/api/print-jobs/${jobId}/reprint`, {}), onSuccess: refresh });
  const error = pause.error ?? test.error ?? reprint.error;
  return (
    <article
      data-testid="network-printer"
      data-printer={printer.name}
      data-state={printer.status.state}
      className={`rounded-2xl border-2 p-4 ${printer.status.working && !printer.paused ? "border-white/10 bg-white/5" : "border-red-500 bg-red-950/60"}`}
    >
      <header className="mb-2 flex flex-wrap items-center gap-3">
        <h3 className="text-2xl font-black">{printer.name}</h3>
        <PrinterStateChip printer={printer} />
        <span className="text-lg text-gray-300">
          {routedText(t, printer)} · {printer.queued === 0 ? t("printer.queueEmpty") : t("printer.waiting", { count: printer.queued })}
        </span>
      </header>
      {printer.status.detail && (
        <p className="mb-2 text-lg text-red-200" data-testid="printer-detail">
          {printer.status.detail}
        </p>
      )}
      <div className="mb-3 flex flex-wrap gap-2">
        <button
          type="button"
          data-testid="printer-pause"
          onClick={() => pause.mutate(!printer.paused)}
          className="min-h-11 rounded-lg bg-white/15 px-4 text-lg font-bold"
        >
          {printer.paused ? t("printer.resume") : t("printer.pause")}
        </button>
        <button
          type="button"
          data-testid="printer-test"
          onClick={() => test.mutate()}
          className="min-h-11 rounded-lg bg-white/15 px-4 text-lg font-bold"
        >
          {t("printer.testPage")}
        </button>
        {error && (
          <span role="alert" className="self-center text-lg font-bold text-red-300">
            {(error as Error).message}
          </span>
        )}
      </div>
      <ol className="flex flex-col gap-1" data-testid="printer-jobs">
        {(jobs.data ?? []).length === 0 && <li className="text-lg text-gray-400">{t("printer.noJobs")}</li>}
        {(jobs.data ?? []).slice(0, 12).map((j) => (
          <li
            key={j.id}
            data-testid="printer-job"
            data-state={j.state}
            data-ticket={j.ticketNumber ?? ""}
            className="flex flex-wrap items-center gap-2 rounded-lg bg-black/30 px-3 py-1 text-lg"
          >
            <span className="font-mono text-gray-400">{clockTime(j.queuedAt)}</span>
            <strong>{j.kind === "test" ? t("printer.testPage") : `#${j.ticketNumber}`}</strong>
            {j.kind !== "test" && <span className="capitalize">{j.kind === "kitchen" ? j.station : t("printer.receipt")}</span>}
            {j.reprint && <span className="rounded bg-amber-400 px-2 font-black text-black">{t("printer.reprintChip")}</span>}
            {j.backupFrom && (
              <span className="rounded bg-sky-300 px-2 font-black text-black">
                {t("printer.backupFrom", { printer: j.backupFrom.toUpperCase() })}
              </span>
            )}
            {j.late && <span className="rounded bg-red-600 px-2 font-black text-white">{t("printer.late")}</span>}
            <span className={`ml-auto ${STATE_STYLE[j.state] ?? ""}`} title={j.lastError ?? undefined}>
              {t(STATE_KEY[j.state] ?? "printer.state.other", { state: j.state })}
              {j.state === "queued" && j.lastError ? ` — ${j.lastError}` : ""}
            </span>
            {j.kind !== "test" && (
              <button
                type="button"
                data-testid="printer-job-reprint"
                onClick={() => reprint.mutate(j.id)}
                className="min-h-11 rounded-lg bg-white/10 px-3 text-lg font-bold"
              >
                {t("printer.reprint")}
              </button>
            )}
          </li>
        ))}
      </ol>
    </article>
  );
}
