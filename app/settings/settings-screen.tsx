"use client";

import Link from "next/link";
import { useState } from "react";
import { DevicesPanel } from "./devices-panel";
import { RestaurantPanel } from "./restaurant-panel";
import { TablesPanel } from "./tables-panel";
import { UsersPanel } from "./users-panel";
import { WebhooksPanel } from "@/components/webhooks-panel";

export type SettingsTab = "restaurant" | "users" | "devices" | "tables" | "webhooks";

const TABS: { key: SettingsTab; title: string }[] = [
  { key: "restaurant", title: "Restaurant" },
  { key: "users", title: "Users" },
  { key: "devices", title: "Devices" },
  { key: "tables", title: "Tables" },
  // Integrations are the admin's (webhooks:manage): their events leave Pass.
  { key: "webhooks", title: "Webhooks" },
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
  const [partner, setPartner] = useState(initialPartner);
  const [tab, setTab] = useState<SettingsTab>(initialTab);

  const remember = (slug: string, t: SettingsTab) => {
    const url = new URL(window.location.href);
    url.searchParams.set("partner", slug);
    if (url.pathname === "/settings") url.searchParams.set("tab", t);
    window.history.replaceState(null, "", url);
  };

  return (
    <div className="flex min-h-dvh flex-col">
      <header className="sticky top-0 z-20 flex flex-wrap items-center gap-3 border-b border-white/10 bg-[#0b0d10]/95 px-4 py-3 backdrop-blur">
        <Link href="/" className="min-h-11 content-center rounded-lg px-2 text-lg text-sky-300 underline-offset-4 hover:underline">
          Pass
        </Link>
        <h1 className="text-3xl font-black tracking-tight">Settings</h1>
        <Link href="/menu" className="min-h-11 content-center rounded-lg px-2 text-lg text-sky-300 underline-offset-4 hover:underline">
          Menu
        </Link>
        {partners.length > 1 ? (
          <label className="flex items-center gap-2 text-lg">
            <span className="text-gray-300">Restaurant</span>
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
        <div aria-label="Settings sections" className="ml-auto flex flex-wrap gap-2" role="tablist">
          {TABS.filter((t) => t.key !== "webhooks" || isAdmin).map((t) => (
            <button
              key={t.key}
              type="button"
              role="tab"
              aria-selected={tab === t.key}
              data-testid={`settings-tab-${t.key}`}
              onClick={() => {
                setTab(t.key);
                remember(partner, t.key);
              }}
              className={`min-h-11 rounded-full px-4 text-lg font-bold ${tab === t.key ? "bg-sky-400 text-black" : "bg-white/10"}`}
            >
              {t.title}
            </button>
          ))}
        </div>
      </header>
      <main className="flex-1 p-4" data-testid="settings-screen" data-partner={partner}>
        {!partner && <p className="text-xl">No restaurant to set up.</p>}
        {partner && tab === "restaurant" && <RestaurantPanel key={partner} partner={partner} />}
        {partner && tab === "users" && <UsersPanel key={partner} partner={partner} isAdmin={isAdmin} me={me} />}
        {partner && tab === "devices" && <DevicesPanel key={partner} partner={partner} pairCode={pairCode} />}
        {partner && tab === "tables" && <TablesPanel key={partner} partner={partner} />}
        {partner && tab === "webhooks" && isAdmin && <WebhooksPanel key={partner} partner={partner} />}
      </main>
    </div>
  );
}
