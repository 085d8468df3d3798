"use client";

import { useQuery } from "@tanstack/react-query";
import type { MessageKey } from "@/lib/i18n";
import { useLocale, useT } from "./i18n";

type FailedJob = {
  id: string;
  task: string;
  payload: Record<string, unknown>;
  attempts: number;
  maxAttempts: number;
  error: string | null;
  failedAt: string;
};

const TASK_NAMES: Record<string, MessageKey> = {
  "order:auto_confirm": "jobs.task.autoConfirm",
  "order:auto_cancel": "jobs.task.autoCancel",
  "notification:send": "jobs.task.notification",
};

const clock = (iso: string, locale: string) =>
  new Date(iso).toLocaleString(locale, { hour: "2-digit", minute: "2-digit", second: "2-digit", day: "2-digit", month: "short" });

/**
 * Background jobs that gave up (GET /api/jobs/failed, lib/jobs): what, how often it was tried,
 * and its last error. Admins only (others get 403 and see nothing); nothing when none failed.
 */
export function FailedJobsPanel() {
  const t = useT();
  const locale = useLocale();
  const failed = useQuery({
    queryKey: ["jobs-failed"],
    queryFn: async () => {
      const res = await fetch("/api/jobs/failed", { cache: "no-store" });
      return res.ok ? ((await res.json()) as { jobs: FailedJob[] }).jobs : [];
    },
    refetchInterval: 15_000,
  });
  const list = failed.data ?? [];
  if (list.length === 0) return null;
  return (
    <section
      aria-labelledby="failed-jobs-heading"
      className="mb-6 rounded-2xl border border-red-400 bg-red-950 p-4"
      data-testid="failed-jobs"
    >
      <h2 id="failed-jobs-heading" className="mb-3 text-xl font-bold text-red-200">
        {t("jobs.failed")} <span className="text-red-100">({list.length})</span>
      </h2>
      <ul className="grid gap-2">
        {list.map((j) => (
          <li key={j.id} data-testid="failed-job" data-task={j.task} className="text-lg text-white">
            <strong>{TASK_NAMES[j.task] ? t(TASK_NAMES[j.task]!) : j.task}</strong>
            {typeof j.payload.orderId === "number" && t("jobs.forOrder", { order: `#${j.payload.orderId}` })}
            {t("jobs.gaveUp", { attempts: j.attempts, when: clock(j.failedAt, locale) })}{" "}
            <span className="font-mono text-red-100" data-testid="failed-job-error">
              {j.error ?? t("jobs.noError")}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
