"use client";

import Link from "next/link";
import { useState } from "react";
import { useT } from "@/components/i18n";
import type { MessageKey } from "@/lib/i18n";
import { CouriersPanel } from "./couriers-panel";
import { DevicesPanel } from "./devices-panel";
import { PrintersPanel } from "./printers-panel";
import { RestaurantPanel } from "./restaurant-panel";
import { TablesPanel } from "./tables-panel";
import { UsersPanel } from "./users-panel";
import { WebhooksPanel } from "@/components/webhooks-panel";

export type SettingsTab = "restaurant" | "users" | "devices" | "printers" | "couriers" | "tables" | "webhooks";

const TABS: { key: SettingsTab; title: MessageKey }[] = [
  { key: "restaurant", title: "settings.tab.restaurant" },
  { key: "users", title: "settings.tab.users" },
  { key: "devices", title: "settings.tab.devices" },
  { key: "printers", title: "settings.tab.printers" },
  { key: "couriers", title: "settings.tab.couriers" },
  { key: "tables", title: "settings.tab.tables" },
  // Integrations are the admin's (webhooks:manage): their events leave Pass.
  { key: "webhooks", title: "settings.tab.webhooks" },
];

/** /settings: one restaurant at a time (an admin chooses), four sections as tabs, like /menu. */
export function SettingsScreen({
  partners,
  initialPartner,
  initialTab,
  pairCode,
  isAdmin,
  me,
}: {
  partners: { slug: string; name: string }[];
  initialPartner: string;
  initialTab: SettingsTab;
  pairCode: string;
  isAdmin: boolean;
  me: string;
}) {
  const t = useT();
  const [partner, setPartner] = useState(initialPartner);
  const [tab, setTab] = useState<SettingsTab>(initialTab);

  const remember = (slug: string, next: SettingsTab) => {
    const url = new URL(window.location.href);
    url.searchParams.set("partner", slug);
    if (url.pathname === "/settings") url.searchParams.set("tab", next);
    window.history.replaceState(null, "", url);
  };

  return (
    <div className="flex min-h-dvh flex-col">
      <header className="sticky top-0 z-20 flex flex-wrap items-center gap-3 border-b border-white/10 bg-[#0b0d10]/95 px-4 py-3 backdrop-blur">
        <Link href="/" className="min-h-11 content-center rounded-lg px-2 text-lg text-sky-300 underline-offset-4 hover:underline">
          {t("settings.pass")}
        </Link>
        <h1 className="text-3xl font-black tracking-tight">{t("settings.title")}</h1>
        <Link href="/menu" className="min-h-11 content-center rounded-lg px-2 text-lg text-sky-300 underline-offset-4 hover:underline">
          {t("settings.menu")}
        </Link>
        {partners.length > 1 ? (
          <label className="flex items-center gap-2 text-lg">
            <span className="text-gray-300">{t("settings.restaurant")}</span>
            <select
              value={partner}
              onChange={(e) => {
                setPartner(e.target.value);
                remember(e.target.value, tab);
              }}
              data-testid="settings-partner"
              className="min-h-11 rounded-lg border border-white/20 bg-black/40 px-3 text-lg"
            >
              {partners.map((p) => (
                <option key={p.slug} value={p.slug}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <span className="text-xl font-bold text-gray-300" data-testid="settings-partner-name">
            {partners[0]?.name}
          </span>
        )}
        <div aria-label={t("settings.sections")} className="ml-auto flex flex-wrap gap-2" role="tablist">
          {TABS.filter((s) => s.key !== "webhooks" || isAdmin).map((s) => (
            <button
              key={s.key}
              type="button"
              role="tab"
              aria-selected={tab === s.key}
              data-testid={`settings-tab-${s.key}`}
              onClick={() => {
                setTab(s.key);
                remember(partner, s.key);
              }}
              className={`min-h-11 rounded-full px-4 text-lg font-bold ${tab === s.key ? "bg-sky-400 text-black" : "bg-white/10"}`}
            >
              {t(s.title)}
            </button>
          ))}
        </div>
      </header>
      <main className="flex-1 p-4" data-testid="settings-screen" data-partner={partner}>
        {!partner && <p className="text-xl">{t("settings.none")}</p>}
        {partner && tab === "restaurant" && <RestaurantPanel key={partner} partner={partner} />}
        {partner && tab === "users" && <UsersPanel key={partner} partner={partner} isAdmin={isAdmin} me={me} />}
        {partner && tab === "devices" && <DevicesPanel key={partner} partner={partner} pairCode={pairCode} />}
        {partner && tab === "printers" && <PrintersPanel key={partner} partner={partner} />}
        {partner && tab === "couriers" && <CouriersPanel key={partner} partner={partner} />}
        {partner && tab === "tables" && <TablesPanel key={partner} partner={partner} />}
        {partner && tab === "webhooks" && isAdmin && <WebhooksPanel key={partner} partner={partner} />}
      </main>
    </div>
  );
}
