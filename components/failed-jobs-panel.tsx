"use client";

import { useQuery } from "@tanstack/react-query";

type FailedJob = {
  id: string;
  task: string;
  payload: Record<string, unknown>;
  attempts: number;
  maxAttempts: number;
  error: string | null;
  failedAt: string;
};

const TASK_NAMES: Record<string, string> = {
  "order:auto_confirm": "Auto-confirm",
  "order:auto_cancel": "Auto-cancel",
  "notification:send": "Notification",
};

const clock = (iso: string) =>
  new Date(iso).toLocaleString([], { hour: "2-digit", minute: "2-digit", second: "2-digit", day: "2-digit", month: "short" });

/**
 * Background jobs that gave up (GET /api/jobs/failed, lib/jobs): what, how often it was tried,
 * and its last error. Admins only (others get 403 and see nothing); nothing when none failed.
 */
export function FailedJobsPanel() {
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
        Failed background jobs <span className="text-red-100">({list.length})</span>
      </h2>
      <ul className="grid gap-2">
        {list.map((j) => (
          <li key={j.id} data-testid="failed-job" data-task={j.task} className="text-lg text-white">
            <strong>{TASK_NAMES[j.task] ?? j.task}</strong>
            {typeof j.payload.orderId === "number" && <> for order #{j.payload.orderId}</>}: tried {j.attempts}×, gave up{" "}
            {clock(j.failedAt)} —{" "}
            <span className="font-mono text-red-100" data-testid="failed-job-error">
              {j.error ?? "no error recorded"}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
