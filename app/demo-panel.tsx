"use client";

import { useCallback, useEffect, useState } from "react";
import { useLocale, useT } from "@/components/i18n";
import { sendJson } from "@/lib/client/api";
import type { DemoStatus } from "@/lib/demo/service";

/** The admin's button for the demo service (POST/DELETE /api/demo), with what the run has done so far. */
export function DemoPanel({ partner, restaurant, minutes }: { partner: string; restaurant: string; minutes: number }) {
  const t = useT();
  const locale = useLocale();
  const [demo, setDemo] = useState<DemoStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const url = `/api/demo?partner=${encodeURIComponent(partner)}`;

  const refresh = useCallback(async () => {
    const res = await fetch(url, { credentials: "same-origin", cache: "no-store" }).catch(() => null);
    if (res?.ok) setDemo(((await res.json()) as { demo: DemoStatus | null }).demo);
  }, [url]);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  // While it runs, the counts move: read them every few seconds.
  useEffect(() => {
    if (!demo?.running) return;
    const timer = setInterval(() => void refresh(), 3_000);
    return () => clearInterval(timer);
  }, [demo?.running, refresh]);

  const act = async (start: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const body = start
        ? await sendJson<{ demo: DemoStatus }>("POST", "/api/demo", { partner, minutes })
        : await sendJson<{ demo: DemoStatus }>("DELETE", url);
      setDemo(body.demo);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      void refresh();
    } finally {
      setBusy(false);
    }
  };

  const clock = (iso: string) => new Date(iso).toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" });
  return (
    <section
      aria-labelledby="demo-heading"
      data-testid="demo-panel"
      data-running={demo?.running ?? false}
      className="flex flex-wrap items-center gap-4 rounded-2xl border-2 border-dashed border-sky-400/60 bg-sky-950/30 p-5"
    >
      <div className="min-w-0 flex-1 basis-96">
        <h2 id="demo-heading" className="text-2xl font-bold">
          {t("demo.title")}
        </h2>
        <p className="text-lg text-gray-200">{t("demo.what", { restaurant, minutes })}</p>
        <p className="mt-1 text-lg font-semibold" data-testid="demo-status" aria-live="polite">
          {demo?.running
            ? t("demo.running", { time: clock(demo.endsAt), placed: demo.placed, confirmed: demo.confirmed })
            : demo
              ? t("demo.finished", { placed: demo.placed, confirmed: demo.confirmed })
              : t("demo.stopped")}
        </p>
        {error && (
          <p role="alert" data-testid="demo-error" className="mt-2 rounded-xl bg-red-950 px-3 py-2 text-lg">
            {error}
          </p>
        )}
      </div>
      {demo?.running ? (
        <button
          type="button"
          disabled={busy}
          onClick={() => act(false)}
          data-testid="demo-stop"
          className="min-h-14 rounded-xl bg-red-600 px-6 text-xl font-black text-white disabled:opacity-50"
        >
          {t("demo.stop")}
        </button>
      ) : (
        <button
          type="button"
          disabled={busy}
          onClick={() => act(true)}
          data-testid="demo-start"
          className="min-h-14 rounded-xl bg-sky-400 px-6 text-xl font-black text-black disabled:opacity-50"
        >
          {t("demo.start")}
        </button>
      )}
    </section>
  );
}
