"use client";

import { useEffect, useMemo, useRef, useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { postJson } from "@/lib/client/api";
import { menuKeys, partnersQuery, soldOutUntil, staffMenuQuery, type StaffMenu } from "@/lib/client/menu-query";
import { useLocale, useT } from "./i18n";

type Until = "manual" | "end-of-day";
type Target = { kind: "food"; id: string; name: string } | { kind: "option"; id: string; groupId: string; name: string };

const targetUrl = (t: Target) =>
  t.kind === "food" ? `/api/foods/${t.id}/availability` : `/api/modifier-groups/${t.groupId}/options/${t.id}/availability`;

/**
 * "86" from any staff screen (issue "The menu" item 3): a header button that opens the
 * partner's dishes (and options) with one-tap toggles. Turning one off asks how long: "until I
 * turn it back" or "until end of day" (it comes back by itself at the cut-over). Sold-out rows
 * say when they come back. The list follows the screen's own channel live (`menu.changed`).
 */
export function SoldOutPanel() {
  const t = useT();
  const partners = useQuery(partnersQuery);
  const [partner, setPartner] = useState<string | null>(null);
  const slug = partner ?? partners.data?.partners[0]?.slug ?? null;
  const menu = useQuery(staffMenuQuery(slug));
  const [open, setOpen] = useState(false);
  const soldOut = menu.data?.foods.filter((f) => !f.available && !f.archived).length ?? 0;

  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        data-testid="sold-out-open"
        data-count={soldOut}
        className={`min-h-11 rounded-full px-4 text-lg font-black ${soldOut > 0 ? "bg-orange-500 text-black" : "bg-white/10"}`}
      >
        {t("soldout.title")}
        {soldOut > 0 ? ` · ${soldOut}` : ""}
      </button>
      {open && (
        <SoldOutDialog
          onClose={() => setOpen(false)}
          partners={partners.data?.partners ?? []}
          slug={slug}
          onPartner={setPartner}
          menu={menu.data}
          loading={menu.isPending}
          error={menu.error?.message ?? null}
        />
      )}
    </>
  );
}

function SoldOutDialog({
  onClose,
  partners,
  slug,
  onPartner,
  menu,
  loading,
  error,
}: {
  onClose(): void;
  partners: { slug: string; name: string }[];
  slug: string | null;
  onPartner(slug: string): void;
  menu: StaffMenu | undefined;
  loading: boolean;
  error: string | null;
}) {
  const t = useT();
  const locale = useLocale();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => ref.current?.showModal(), []);
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState<Target | null>(null);
  const toggle = useMutation({
    mutationFn: ({ target, available, until }: { target: Target; available: boolean; until?: Until }) =>
      postJson(targetUrl(target), available ? { available } : { available, until }),
    onSuccess: () => {
      setAsking(null);
      return queryClient.invalidateQueries({ queryKey: menuKeys.all });
    },
  });

  const sections = useMemo(() => {
    if (!menu) return [];
    const byCategory = new Map<string, typeof menu.foods>();
    for (const f of menu.foods) {
      if (f.archived) continue;
      const key = f.categoryId ?? f.category;
      byCategory.set(key, [...(byCategory.get(key) ?? []), f]);
    }
    const named = menu.categories.map((c) => ({ id: c.id, name: c.name, foods: byCategory.get(c.id) ?? [] }));
    const known = new Set(menu.categories.map((c) => c.id));
    const rest = [...byCategory].filter(([k]) => !known.has(k)).map(([k, foods]) => ({ id: k, name: k, foods }));
    return [...named, ...rest].filter((s) => s.foods.length > 0);
  }, [menu]);
  const groups = menu?.modifierGroups.filter((g) => !g.archived && g.options.some((o) => !o.archived)) ?? [];

  const row = (target: Target, available: boolean, availableAgainAt: string | null) => {
    const askingThis = asking?.kind === target.kind && asking.id === target.id;
    const busy = toggle.isPending && toggle.variables?.target.id === target.id;
    return (
      <li
        key={`${target.kind}:${target.id}`}
        data-testid={target.kind === "food" ? "sold-out-food" : "sold-out-option"}
        data-name={target.name}
        data-available={available}
        className={`flex flex-col gap-2 rounded-xl px-3 py-2 ${available ? "bg-white/5" : "border-2 border-orange-500 bg-orange-950"}`}
      >
        <div className="flex flex-wrap items-center gap-3">
          <span className={`text-2xl font-bold ${available ? "" : "line-through decoration-4"}`}>{target.name}</span>
          {!available && (
            <span data-testid="sold-out-state" className="rounded bg-orange-500 px-2 text-lg font-black text-black">
              {t("soldout.state", { when: soldOutUntil(availableAgainAt, new Date(), locale) })}
            </span>
          )}
          <button
            type="button"
            disabled={busy}
            data-testid="sold-out-toggle"
            aria-pressed={!available}
            onClick={() => (available ? setAsking(askingThis ? null : target) : toggle.mutate({ target, available: true }))}
            className={`ml-auto min-h-12 min-w-40 rounded-xl px-4 text-xl font-black disabled:opacity-40 ${available ? "bg-orange-500 text-black" : "bg-green-500 text-black"}`}
          >
            {available ? t("soldout.mark") : t("soldout.backOn")}
          </button>
        </div>
        {askingThis && (
          <div className="flex flex-wrap gap-2" data-testid="sold-out-until">
            <button
              type="button"
              data-testid="until-manual"
              disabled={busy}
              onClick={() => toggle.mutate({ target, available: false, until: "manual" })}
              className="min-h-12 flex-1 rounded-xl bg-white px-3 text-lg font-black text-black"
            >
              {t("soldout.untilManual")}
            </button>
            <button
              type="button"
              data-testid="until-end-of-day"
              disabled={busy}
              onClick={() => toggle.mutate({ target, available: false, until: "end-of-day" })}
              className="min-h-12 flex-1 rounded-xl bg-white px-3 text-lg font-black text-black"
            >
              {t("soldout.untilEndOfDay")}
            </button>
          </div>
        )}
      </li>
    );
  };

  return (
    <dialog
      ref={ref}
      onClose={onClose}
      data-testid="sold-out-panel"
      aria-label={t("soldout.title")}
      className="m-auto max-h-[90dvh] w-[min(48rem,96vw)] rounded-2xl border border-white/20 bg-[#15181d] p-5 text-white backdrop:bg-black/70"
    >
      <div className="sticky -top-5 z-10 -mx-5 -mt-5 mb-4 flex flex-wrap items-center gap-3 border-b border-white/10 bg-[#15181d] px-5 py-3">
        <h2 className="text-3xl font-black">{t("soldout.title")}</h2>
        {partners.length > 1 && (
          <label className="flex items-center gap-2 text-lg">
            <span className="sr-only">{t("soldout.restaurant")}</span>
            <select
              value={slug ?? ""}
              onChange={(e) => onPartner(e.target.value)}
              data-testid="sold-out-partner"
              className="min-h-11 rounded-lg border border-white/20 bg-black/40 px-3"
            >
              {partners.map((p) => (
                <option key={p.slug} value={p.slug}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <button
          type="button"
          onClick={() => ref.current?.close()}
          data-testid="sold-out-close"
          className="ml-auto min-h-11 rounded-xl bg-white/15 px-4 text-lg font-bold"
        >
          {t("soldout.close")}
        </button>
      </div>
      {toggle.error && (
        <p role="alert" className="mb-3 rounded-xl bg-red-950 px-3 py-2 text-xl">
          {toggle.error.message}
        </p>
      )}
      {error && <p className="text-xl text-red-300">{error}</p>}
      {loading && !error && <p className="text-xl text-gray-300">{t("soldout.loading")}</p>}
      {sections.map((s) => (
        <section key={s.id} className="mb-4">
          <h3 className="mb-2 text-xl font-bold text-gray-300">{s.name}</h3>
          <ul className="flex flex-col gap-2">
            {s.foods.map((f) => row({ kind: "food", id: f.id, name: f.name }, f.available, f.availableAgainAt))}
          </ul>
        </section>
      ))}
      {groups.length > 0 && (
        <section className="mb-2">
          <h3 className="mb-2 text-xl font-bold text-gray-300">{t("soldout.options")}</h3>
          {groups.map((g) => (
            <div key={g.id} className="mb-3">
              <h4 className="mb-1 text-lg text-gray-400">{g.name}</h4>
              <ul className="flex flex-col gap-2">
                {g.options
                  .filter((o) => !o.archived)
                  .map((o) => row({ kind: "option", id: o.id, groupId: g.id, name: o.name }, o.available, o.availableAgainAt))}
              </ul>
            </div>
          ))}
        </section>
      )}
    </dialog>
  );
}
