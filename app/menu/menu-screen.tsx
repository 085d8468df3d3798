"use client";

import Link from "next/link";
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useT } from "@/components/i18n";
import { menuKeys, type StaffMenu, staffMenuQuery } from "@/lib/client/menu";
import { DishesPanel } from "./dishes-panel";
import type { MenuCtx } from "./menu-ctx";
import { GroupsPanel } from "./groups-panel";
import { CategoriesPanel, StationsPanel } from "./structure-panels";

const TABS = [
  { key: "dishes", title: "menu.tab.dishes" },
  { key: "groups", title: "menu.tab.groups" },
  { key: "categories", title: "menu.tab.categories" },
  { key: "stations", title: "menu.tab.stations" },
] as const;
type Tab = (typeof TABS)[number]["key"];

export function MenuScreen({ partners, initialPartner }: { partners: { slug: string; name: string }[]; initialPartner: string }) {
  const t = useT();
  const [partner, setPartner] = useState(initialPartner);
  const [tab, setTab] = useState<Tab>("dishes");
  const qc = useQueryClient();
  const query = useQuery(staffMenuQuery(partner));
  const mutation = useMutation({
    mutationFn: (run: () => Promise<unknown>) => run(),
    onSettled: () => qc.invalidateQueries({ queryKey: menuKeys.staff(partner) }),
  });

  const ctx: MenuCtx | null = query.data
    ? {
        partner,
        menu: query.data,
        write: (run) => mutation.mutateAsync(run) as Promise<never>,
        optimistic: (update) => qc.setQueryData(menuKeys.staff(partner), (m: StaffMenu | undefined) => (m ? update(m) : m)),
        busy: mutation.isPending,
      }
    : null;

  const choosePartner = (slug: string) => {
    setPartner(slug);
    const url = new URL(window.location.href);
    url.searchParams.set("partner", slug);
    window.history.replaceState(null, "", url);
  };

  return (
    <div className="flex min-h-dvh flex-col">
      <header className="sticky top-0 z-20 flex flex-wrap items-center gap-3 border-b border-white/10 bg-[#0b0d10]/95 px-4 py-3 backdrop-blur">
        <Link href="/" className="min-h-11 content-center rounded-lg px-2 text-lg text-sky-300 underline-offset-4 hover:underline">
          {t("settings.pass")}
        </Link>
        <h1 className="text-3xl font-black tracking-tight">{t("menu.title")}</h1>
        {partners.length > 1 ? (
          <label className="flex items-center gap-2 text-lg">
            <span className="text-gray-300">{t("settings.restaurant")}</span>
            <select
              value={partner}
              onChange={(e) => choosePartner(e.target.value)}
              data-testid="menu-partner"
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
          <span className="text-xl font-bold text-gray-300" data-testid="menu-partner-name">
            {partners[0]?.name}
          </span>
        )}
        <div aria-label={t("menu.sections")} className="ml-auto flex flex-wrap gap-2" role="tablist">
          {TABS.map((s) => (
            <button
              key={s.key}
              type="button"
              role="tab"
              aria-selected={tab === s.key}
              data-testid={`menu-tab-${s.key}`}
              onClick={() => setTab(s.key)}
              className={`min-h-11 rounded-full px-4 text-lg font-bold ${tab === s.key ? "bg-sky-400 text-black" : "bg-white/10"}`}
            >
              {t(s.title)}
            </button>
          ))}
        </div>
        <span
          aria-live="polite"
          data-testid="menu-sync"
          data-state={mutation.isPending || query.isFetching ? "saving" : "idle"}
          className="min-w-20 text-base text-gray-400"
        >
          {mutation.isPending ? t("settings.saving") : query.isFetching ? t("menu.updating") : ""}
        </span>
      </header>
      <main className="flex-1 p-4" data-testid="menu-screen">
        {!partner && <p className="text-xl">{t("menu.none")}</p>}
        {query.isError && (
          <p role="alert" className="rounded-xl bg-red-950 px-4 py-3 text-xl">
            {t("menu.loadFailed", { error: query.error.message })}
          </p>
        )}
        {partner && !ctx && !query.isError && <p className="text-xl text-gray-300">{t("menu.loading")}</p>}
        {ctx && tab === "dishes" && <DishesPanel key={partner} ctx={ctx} goTo={setTab} />}
        {ctx && tab === "groups" && <GroupsPanel key={partner} ctx={ctx} />}
        {ctx && tab === "categories" && <CategoriesPanel key={partner} ctx={ctx} />}
        {ctx && tab === "stations" && <StationsPanel key={partner} ctx={ctx} />}
      </main>
    </div>
  );
}
