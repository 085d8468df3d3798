"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { useT } from "@/components/i18n";
import { QrCode } from "@/components/qr-code";
import { formatDuration } from "@/lib/duration-format";

type Started = { code: string; display: string; expiresAt: string };
type State =
  | { kind: "starting" }
  | { kind: "waiting"; pairing: Started }
  | { kind: "paired"; name: string; path: string }
  | { kind: "error"; message: string };

const POLL_MS = 2_000;

/**
 * /pair: start a pairing, show its code and a QR of the back office link, poll until an operator
 * claims it, then go to the screen it was paired as (the device cookie is set by that poll's
 * answer). An expired code is replaced by a new one by itself; a lost connection keeps polling.
 */
export function PairScreen({ partner }: { partner: string | null }) {
  const t = useT();
  const [state, setState] = useState<State>({ kind: "starting" });
  const [now, setNow] = useState(() => Date.now());
  const [offline, setOffline] = useState(false);
  const starting = useRef(false);

  const start = useCallback(async () => {
    if (starting.current) return;
    starting.current = true;
    try {
      const res = await fetch("/api/pair", {
        method: "POST",
        credentials: "same-origin",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(partner ? { partner } : {}),
      });
      const json = await res.json().catch(() => null);
      if (!res.ok) {
        setState({ kind: "error", message: json?.error?.message ?? `HTTP ${res.status}` });
        return;
      }
      setState({ kind: "waiting", pairing: json as Started });
    } catch {
      setState({ kind: "error", message: t("pair.offlineRetrying") });
    } finally {
      starting.current = false;
    }
  }, [partner, t]);

  useEffect(() => {
    void start();
  }, [start]);

  // Retry a failed start every 5 s (a TV that booted before the Wi-Fi).
  useEffect(() => {
    if (state.kind !== "error") return;
    const t = setTimeout(() => void start(), 5_000);
    return () => clearTimeout(t);
  }, [state, start]);

  useEffect(() => {
    if (state.kind !== "waiting") return;
    const timer = setInterval(async () => {
      setNow(Date.now());
      try {
        const res = await fetch("/api/pair", { credentials: "same-origin", cache: "no-store" });
        setOffline(false);
        const json = await res.json().catch(() => null);
        if (json?.status === "paired") {
          setState({ kind: "paired", name: json.name, path: json.path });
          window.location.assign(json.path);
        } else if (json?.status === "expired" || json?.status === "used" || res.status === 401 || res.status === 404) {
          void start();
        }
      } catch {
        setOffline(true);
      }
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [state, start]);

  const link = state.kind === "waiting" ? `${window.location.origin}/settings/devices?pair=${state.pairing.code}` : "";
  const left = state.kind === "waiting" ? Math.max(0, (Date.parse(state.pairing.expiresAt) - now) / 1000) : 0;

  return (
    <main
      className="flex min-h-dvh flex-col items-center justify-center gap-8 p-8 text-center"
      data-testid="pair-screen"
      data-state={state.kind}
    >
      <h1 className="text-5xl font-black tracking-tight">{t("pair.title")}</h1>
      {state.kind === "starting" && <p className="text-3xl text-gray-300">{t("pair.starting")}</p>}
      {state.kind === "error" && (
        <p role="alert" className="rounded-xl bg-red-950 px-6 py-4 text-3xl">
          {state.message}
        </p>
      )}
      {state.kind === "waiting" && (
        <div className="flex flex-wrap items-center justify-center gap-12">
          <QrCode text={link} size={320} testId="pair-qr" />
          <div className="flex flex-col items-center gap-4">
            <p className="text-2xl text-gray-300">{t("pair.howBefore")}</p>
            <p className="font-mono text-8xl font-black tracking-widest text-amber-300" data-testid="pair-code">
              {state.pairing.display}
            </p>
            <p className="text-2xl text-gray-300">{t("pair.howAfter")}</p>
            <p className="text-xl text-gray-400" data-testid="pair-expires">
              {t("pair.newCodeIn", { time: formatDuration(left, { rounding: "up" }) })}
            </p>
            {offline && (
              <p role="status" className="rounded-lg bg-amber-900 px-4 py-2 text-xl">
                {t("pair.offline")}
              </p>
            )}
          </div>
        </div>
      )}
      {state.kind === "paired" && (
        <p className="text-4xl font-bold text-green-400" data-testid="pair-done">
          {t("pair.done", { name: state.name, path: state.path })}
        </p>
      )}
    </main>
  );
}
