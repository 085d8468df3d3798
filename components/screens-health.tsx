"use client";

import { useQuery } from "@tanstack/react-query";
import { formatDuration, secondsBetween } from "@/lib/duration-format";
import type { MessageKey, Translate } from "@/lib/i18n";
import { useLocale, useT } from "./i18n";
import { useNow } from "./use-now";

/** GET /api/screens (lib/orders/screens.ts listScreens). */
export type PresenceDevice = {
  key: string;
  kind: "token" | "user" | "tab";
  name: string | null;
  who: string;
  screen: string;
  screens: string[];
  tabs: number;
  lastSeenAt: string;
  behind: number | null;
  soundUnlocked: boolean;
  awake: boolean;
};
export type ScreenDisconnect = {
  key: string;
  kind: "token" | "user" | "tab";
  name: string | null;
  who: string;
  screen: string;
  wentAt: string;
  backAt: string | null;
  reason: "closed" | "lost";
};
type Presence = { devices: PresenceDevice[]; disconnects: ScreenDisconnect[]; since: string };

const SCREEN_KINDS = ["kitchen", "cashier", "board", "printer", "dashboard", "menu", "settings"];

/** "kitchen:grill" → "Kitchen · grill"; a screen Pass does not know stays as it reported itself. */
export function screenLabel(tr: Translate, screen: string): string {
  const [kind = "", station] = screen.split(":", 2);
  if (!SCREEN_KINDS.includes(kind)) return screen;
  const label = tr(`screen.${kind}` as MessageKey);
  return station ? `${label} · ${station}` : label;
}

/** A device by its name (its token's, as renamed in Settings); a person's screen by person + screen (+ station). */
export function deviceLabel(tr: Translate, d: { name: string | null; who: string; screen: string }): string {
  return d.name ?? `${d.who} · ${screenLabel(tr, d.screen)}`;
}

/**
 * The health panel: every device on line, once, by name — its tabs, how far behind the log,
 * sound, awake — and the business day's disconnects (when each went, when it came back, why).
 * Refetched every 3 s: a closed tab leaves at once (it says so), a silent one within 28 s (25 s + 3 s).
 */
export function ScreensHealth() {
  const presence = useQuery({
    queryKey: ["screens"],
    queryFn: async () => (await (await fetch("/api/screens", { cache: "no-store" })).json()) as Presence,
    refetchInterval: 3_000,
  });
  const tr = useT();
  const locale = useLocale();
  const now = useNow();
  const devices = presence.data?.devices ?? [];
  const disconnects = presence.data?.disconnects ?? [];
  const clock = (iso: string) => new Date(iso).toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  const yes = (ok: boolean, on: MessageKey, off: MessageKey) => (
    <span className={ok ? "text-green-400" : "font-bold text-amber-300"}>{tr(ok ? on : off)}</span>
  );
  return (
    <section aria-labelledby="screens-heading" className="mb-6 rounded-2xl border border-white/10 bg-white/5 p-4">
      <h2 id="screens-heading" className="mb-3 text-xl font-bold">
        {tr("dashboard.screens")} <span className="text-gray-400">({devices.length})</span>
      </h2>
      <ul className="grid gap-2 sm:grid-cols-2 xl:grid-cols-3" data-testid="screens-health">
        {devices.length === 0 && <li className="text-gray-400">{tr("dashboard.noScreens")}</li>}
        {devices.map((d) => {
          const ago = Math.max(0, Math.round((now - Date.parse(d.lastSeenAt)) / 1000));
          const stale = ago > 20;
          const label = deviceLabel(tr, d);
          return (
            <li
              key={d.key}
              data-testid="screen-health"
              data-screen={d.screen}
              data-device={d.key}
              data-name={label}
              data-tabs={d.tabs}
              className={`rounded-xl px-3 py-2 text-lg ${stale ? "bg-red-950" : "bg-black/30"}`}
            >
              <div className="flex justify-between gap-2">
                <strong data-testid="device-name">{label}</strong>
                <span className={stale ? "font-bold text-red-300" : "text-gray-300"}>{tr("dashboard.ago", { seconds: String(ago) })}</span>
              </div>
              <div className="flex flex-wrap gap-x-3 text-base text-gray-300">
                {d.name !== null && <span>{d.screens.map((s) => screenLabel(tr, s)).join(", ")}</span>}
                {d.tabs > 1 && <span data-testid="device-tabs">{tr("presence.tabs", { count: d.tabs })}</span>}
                <span>
                  {d.behind === null
                    ? tr("dashboard.notReading")
                    : d.behind === 0
                      ? tr("dashboard.upToDate")
                      : tr("dashboard.behind", { count: String(d.behind) })}
                </span>
                {d.screen !== "printer" && yes(d.soundUnlocked, "dashboard.soundOn", "dashboard.notSoundOn")}
                {yes(d.awake, "dashboard.awake", "dashboard.notAwake")}
              </div>
            </li>
          );
        })}
      </ul>
      <h3 className="mt-4 mb-2 text-lg font-bold text-gray-200">
        {tr("presence.disconnects")} <span className="text-gray-400">({disconnects.length})</span>
      </h3>
      <ul className="grid gap-1" data-testid="disconnects">
        {disconnects.length === 0 && <li className="text-base text-gray-400">{tr("presence.noDisconnects")}</li>}
        {disconnects.map((g) => {
          const label = deviceLabel(tr, g);
          const gone = g.backAt === null;
          const lasted = formatDuration(secondsBetween(g.wentAt, gone ? now : Date.parse(g.backAt!)));
          return (
            <li
              key={`${g.key}@${g.wentAt}`}
              data-testid="disconnect"
              data-device={g.key}
              data-name={label}
              data-back={gone ? "false" : "true"}
              data-reason={g.reason}
              className={`flex flex-wrap items-baseline gap-x-3 rounded-lg px-3 py-1 text-base ${gone ? "bg-red-950 text-red-100" : "bg-black/30 text-gray-200"}`}
            >
              <strong className="text-lg">{label}</strong>
              <span className="tabular-nums">
                {gone
                  ? tr("presence.stillGone", { from: clock(g.wentAt) })
                  : tr("presence.gap", { from: clock(g.wentAt), to: clock(g.backAt!) })}{" "}
                {tr("presence.lasted", { duration: lasted })}
              </span>
              <span className={g.reason === "lost" ? "font-bold text-amber-300" : "text-gray-400"}>
                {tr(`presence.reason.${g.reason}`)}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
