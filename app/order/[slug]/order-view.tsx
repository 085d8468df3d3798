"use client";

import { createContext, useContext, useEffect, useMemo, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { create } from "zustand";
import { ConnectionBadge } from "@/components/connection-badge";
import { useLocale, useT } from "@/components/i18n";
import { ApiError, postJson } from "@/lib/client/api";
import { useLiveMenu } from "@/lib/client/use-live-menu";
import { useTableCart } from "@/lib/client/table-cart";
import { CategoryBar, sectionId } from "./category-bar";
import { type GuestServiceType, ServiceTypeChoice } from "./service-type";
import { TableAddedBy, TableCartStatus } from "./table-cart";
import { allergenLabel, type Translate } from "@/lib/i18n";
import { ALLERGENS } from "@/lib/menu/allergens";
import { DEFAULT_MONEY_STYLE, displayMinor, type MoneyStyle } from "@/lib/money-format";

/** GET /api/menu?soldOut=1, as the page reads it (lib/menu/partners.ts getMenu). */
type Option = { id: string; groupId: string; name: string; priceDelta: string; allergens: string[]; available: boolean };
type Group = { id: string; name: string; min: number; max: number; required: boolean; options: Option[] };
type Food = {
  id: string;
  name: string;
  price: string;
  surcharge: string;
  category: string;
  categoryId: string | null;
  description: string | null;
  imageUrl: string | null;
  allergens: string[];
  available: boolean;
  modifierGroupIds: string[];
};
export type PublicMenu = {
  partner: { slug: string; name: string; imageUrl: string | null; currency?: string; locale?: string };
  categories: { id: string; name: string }[];
  foods: Food[];
  modifierGroups: Group[];
};

/** Chosen options per group id. */
type Choices = Record<string, string[]>;
type Line = { key: string; foodId: string; quantity: number; notes: string; choices: Choices };

const lineKey = (foodId: string, choices: Choices) =>
  `${foodId}|${Object.keys(choices)
    .sort()
    .filter((g) => choices[g]!.length > 0)
    .map((g) => `${g}:${[...choices[g]!].sort().join(",")}`)
    .join(";")}`;

/** The cart is screen-local state; a line is a dish with its chosen options. */
const useCart = create<{
  lines: Line[];
  add(foodId: string, choices: Choices, quantity: number): void;
  update(key: string, patch: Partial<Pick<Line, "quantity" | "notes">>): void;
  clear(): void;
}>((set) => ({
  lines: [],
  add: (foodId, choices, quantity) =>
    set((s) => {
      const key = lineKey(foodId, choices);
      const found = s.lines.find((l) => l.key === key);
      if (found) return { lines: s.lines.map((l) => (l.key === key ? { ...l, quantity: Math.min(99, l.quantity + quantity) } : l)) };
      return { lines: [...s.lines, { key, foodId, quantity, notes: "", choices }] };
    }),
  update: (key, patch) =>
    set((s) => ({
      lines: s.lines.map((l) => (l.key === key ? { ...l, ...patch } : l)).filter((l) => l.quantity > 0),
    })),
  clear: () => set({ lines: [] }),
}));

const cents = (v: string) => Math.round(Number(v) * 100);
/** The restaurant's currency and locale (GET /api/menu `partner`): "11,50 €" in a French restaurant. */
const MoneyStyleContext = createContext<MoneyStyle>(DEFAULT_MONEY_STYLE);
function moneyOf(style: MoneyStyle) {
  const money = (c: number) => displayMinor(c, style);
  return { money, delta: (c: number) => (c < 0 ? `−${money(-c)}` : `+${money(c)}`) };
}
const useMoney = () => moneyOf(useContext(MoneyStyleContext));

/** "Choose 1", "Choose 1–2", "Up to 3": what a group asks of the guest. */
export function groupRule(t: Translate, g: Pick<Group, "min" | "max">): string {
  if (g.min > 0) return g.max > g.min ? t("order.rule.chooseRange", { min: g.min, max: g.max }) : t("order.rule.choose", { min: g.min });
  return g.max === 1 ? t("order.rule.optional") : t("order.rule.upTo", { max: g.max });
}

/** Allergen names in the page's language. */
function useAllergenName(): (code: string) => string {
  const locale = useLocale();
  return (code) => allergenLabel(locale, code);
}

export function OrderView({ initial, table }: { initial: PublicMenu; table: string | null }) {
  const t = useT();
  const allergenName = useAllergenName();
  const router = useRouter();
  const { menu, state } = useLiveMenu(initial.partner.slug, initial);
  const style: MoneyStyle =
    initial.partner.currency && initial.partner.locale
      ? { currency: initial.partner.currency, locale: initial.partner.locale }
      : DEFAULT_MONEY_STYLE;
  const { money, delta } = moneyOf(style);
  // At a table (?table=5) the cart is the table's shared one, on the server (./table-cart.tsx).
  const tableCart = useTableCart(table ? initial.partner.slug : null, table);
  const localCart = useCart();
  const { lines, add, update, clear } = tableCart ?? localCart;
  const [customer, setCustomer] = useState("");
  // Eat here unless the guest says otherwise (at a table that is nearly always right).
  const [serviceType, setServiceType] = useState<GuestServiceType>("dine-in");
  const [error, setError] = useState<{ message: string; offline: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  // An offline banner is stale once the page's live menu is connected again, or the browser is back online.
  const live = state.status === "live";
  useEffect(() => {
    const clear = () => setError((e) => (e?.offline ? null : e));
    if (live) clear();
    window.addEventListener("online", clear);
    return () => window.removeEventListener("online", clear);
  }, [live]);
  const [choosing, setChoosing] = useState<Food | null>(null);
  const [allergyOpen, setAllergyOpen] = useState(false);
  const [declared, setDeclared] = useState<{ codes: string[]; note: string }>({ codes: [], note: "" });

  const foods = useMemo(() => new Map(menu.foods.map((f) => [f.id, f])), [menu.foods]);
  const groups = useMemo(() => new Map(menu.modifierGroups.map((g) => [g.id, g])), [menu.modifierGroups]);
  const groupsOf = (f: Food) => f.modifierGroupIds.map((id) => groups.get(id)).filter((g): g is Group => !!g);

  // Categories in their order; a dish whose category is unknown goes under its category's name, last.
  const sections = useMemo(() => {
    const byCategory = new Map<string, { name: string; foods: Food[] }>(menu.categories.map((c) => [c.id, { name: c.name, foods: [] }]));
    for (const f of menu.foods) {
      const id = f.categoryId && byCategory.has(f.categoryId) ? f.categoryId : `name:${f.category}`;
      if (!byCategory.has(id)) byCategory.set(id, { name: f.category, foods: [] });
      byCategory.get(id)!.foods.push(f);
    }
    return [...byCategory].filter(([, s]) => s.foods.length > 0);
  }, [menu]);
  const barSections = useMemo(() => sections.map(([id, s]) => ({ id, name: s.name })), [sections]);

  /** Unit price in cents (food price + surcharge + option deltas), or null when a part is gone or sold out. */
  const unitOf = (l: Pick<Line, "foodId" | "choices">): { cents: number; available: boolean; options: Option[] } | null => {
    const f = foods.get(l.foodId);
    if (!f) return null;
    // In the dish's group order and each group's option order, as the kitchen reads them.
    const options: Option[] = [];
    const chosen = Object.entries(l.choices).filter(([, ids]) => ids.length > 0);
    if (chosen.some(([gid]) => !f.modifierGroupIds.includes(gid))) return null;
    for (const gid of f.modifierGroupIds) {
      const ids = l.choices[gid] ?? [];
      const g = groups.get(gid);
      if (ids.length > 0 && !g) return null;
      for (const o of g?.options ?? []) if (ids.includes(o.id)) options.push(o);
      if (options.filter((o) => o.groupId === gid).length !== ids.length) return null;
    }
    return {
      cents: cents(f.price) + cents(f.surcharge) + options.reduce((s, o) => s + cents(o.priceDelta), 0),
      available: f.available && options.every((o) => o.available),
      options,
    };
  };
  const priced = lines.map((l) => ({ line: l, unit: unitOf(l) }));
  const total = priced.reduce((s, { line, unit }) => s + (unit?.cents ?? 0) * line.quantity, 0);
  const count = lines.reduce((s, l) => s + l.quantity, 0);
  const blocked = priced.some((p) => !p.unit?.available);
  const countOf = (foodId: string) => lines.filter((l) => l.foodId === foodId).reduce((s, l) => s + l.quantity, 0);
  const warned = (allergens: string[]) => allergens.filter((a) => declared.codes.includes(a));

  async function place() {
    setBusy(true);
    setError(null);
    const note = declared.note.trim();
    try {
      if (tableCart) {
        const sent = await tableCart.submit({
          serviceType,
          ...(customer.trim() ? { customer: customer.trim() } : {}),
          ...(declared.codes.length > 0 || note ? { allergies: { codes: declared.codes, ...(note ? { note } : {}) } } : {}),
        });
        router.push(`/track/${sent.id}?token=${encodeURIComponent(sent.trackingToken)}`);
        return;
      }
      const order = await postJson<{ id: number; trackingToken: string }>("/api/orders", {
        partner: menu.partner.slug,
        source: table ? "qr" : "kiosk",
        ...(table ? { table } : {}),
        serviceType,
        ...(customer.trim() ? { customer: customer.trim() } : {}),
        ...(declared.codes.length > 0 || note ? { allergies: { codes: declared.codes, ...(note ? { note } : {}) } } : {}),
        items: lines.map((l) => ({
          foodId: l.foodId,
          quantity: l.quantity,
          ...(l.notes.trim() ? { notes: l.notes.trim() } : {}),
          ...(Object.values(l.choices).some((ids) => ids.length > 0)
            ? {
                modifiers: Object.entries(l.choices)
                  .filter(([, ids]) => ids.length > 0)
                  .map(([groupId, optionIds]) => ({ groupId, optionIds })),
              }
            : {}),
        })),
      });
      clear();
      router.push(`/track/${order.id}?token=${encodeURIComponent(order.trackingToken)}`);
    } catch (err) {
      // No answer at all: the order may not have been sent; placing it again is the guest's choice, never automatic.
      setError(err instanceof ApiError ? { message: err.message, offline: false } : { message: t("order.offline"), offline: true });
      setBusy(false);
    }
  }

  return (
    <MoneyStyleContext.Provider value={style}>
      <main className="mx-auto flex min-h-dvh max-w-6xl flex-col gap-6 p-4 pb-28 lg:flex-row lg:pb-4">
        <div className="min-w-0 flex-1">
          <header className="mb-4 flex flex-col gap-3">
            <div className="flex items-start justify-between gap-3">
              <h1 className="min-w-0 break-words text-4xl font-black">{menu.partner.name}</h1>
              <ConnectionBadge state={state} />
            </div>
            <div className="flex flex-wrap items-center gap-3">
              {table && (
                <p className="text-xl text-gray-300" data-testid="order-table">
                  {t("order.table", { table })}
                </p>
              )}
              <button
                type="button"
                onClick={() => setAllergyOpen(true)}
                data-testid="allergies-open"
                aria-haspopup="dialog"
                className="ml-auto min-h-12 rounded-full border-2 border-amber-400 bg-amber-400/15 px-5 text-xl font-bold text-amber-200"
              >
                {declared.codes.length > 0 || declared.note.trim() ? t("order.allergiesSet") : t("order.allergies")}
              </button>
            </div>
          </header>
          {(declared.codes.length > 0 || declared.note.trim()) && (
            <p
              data-testid="allergies-summary"
              className="mb-4 rounded-xl border-2 border-amber-400 bg-amber-950 px-4 py-3 text-lg font-semibold"
            >
              {t("order.avoiding", {
                list: [...declared.codes.map(allergenName), ...(declared.note.trim() ? [declared.note.trim()] : [])].join(", "),
              })}
            </p>
          )}
          <CategoryBar sections={barSections} />
          {sections.map(([id, section]) => (
            <section
              key={id}
              id={sectionId(id)}
              aria-labelledby={`cat-${id}`}
              className="mb-6 scroll-mt-20"
              data-testid="menu-category"
              data-name={section.name}
            >
              <h2 id={`cat-${id}`} className="mb-2 text-2xl font-bold">
                {section.name}
              </h2>
              <ul className="grid gap-3 sm:grid-cols-2">
                {section.foods.map((f) => (
                  <MenuCard
                    key={f.id}
                    food={f}
                    hasChoices={groupsOf(f).length > 0}
                    quantity={countOf(f.id)}
                    warning={warned(f.allergens)}
                    onAdd={() => (groupsOf(f).length > 0 ? setChoosing(f) : add(f.id, {}, 1))}
                    onRemove={() => {
                      const last = [...lines].reverse().find((l) => l.foodId === f.id);
                      if (last) update(last.key, { quantity: last.quantity - 1 });
                    }}
                  />
                ))}
              </ul>
            </section>
          ))}
        </div>
        <aside
          id="cart"
          aria-labelledby="cart-heading"
          className="flex w-full scroll-mt-4 flex-col gap-3 self-start rounded-2xl border border-white/10 bg-white/5 p-4 lg:sticky lg:top-4 lg:w-96"
        >
          <h2 id="cart-heading" className="text-2xl font-bold">
            {t("order.cart")}
          </h2>
          {tableCart && table && <TableCartStatus cart={tableCart} table={table} />}
          {lines.length === 0 && <p className="text-lg text-gray-300">{t("order.cartEmpty")}</p>}
          <ul className="flex flex-col gap-4" data-testid="cart">
            {priced.map(({ line: l, unit }) => {
              const f = foods.get(l.foodId);
              return (
                <li key={l.key} data-testid="cart-line" data-name={f?.name ?? ""} className="border-b border-white/10 pb-3 last:border-0">
                  <div className="flex items-start justify-between gap-2 text-lg font-semibold">
                    <span>
                      {l.quantity}× {f?.name ?? t("order.removedDish")}
                    </span>
                    <span className="tabular-nums" data-testid="cart-line-total">
                      {money((unit?.cents ?? 0) * l.quantity)}
                    </span>
                  </div>
                  {unit && unit.options.length > 0 && (
                    <ul className="mt-1 text-base text-gray-300">
                      {unit.options.map((o) => (
                        <li key={o.id} data-testid="cart-option">
                          + {o.name}
                          {cents(o.priceDelta) !== 0 && <span className="tabular-nums"> ({delta(cents(o.priceDelta))})</span>}
                        </li>
                      ))}
                    </ul>
                  )}
                  {tableCart && <TableAddedBy cart={tableCart} itemId={l.key} />}
                  {!unit?.available && (
                    <p role="alert" data-testid="cart-sold-out" className="mt-1 rounded-lg bg-red-950 px-2 py-1 text-base font-bold">
                      {t("order.soldOutRemove")}
                    </p>
                  )}
                  <div className="mt-2 flex items-center gap-2">
                    <button
                      type="button"
                      aria-label={f ? t("order.oneLess", { name: f.name }) : t("order.oneLessPlain")}
                      onClick={() => update(l.key, { quantity: l.quantity - 1 })}
                      className="h-11 w-11 rounded-full bg-white/10 text-2xl font-black"
                    >
                      −
                    </button>
                    <button
                      type="button"
                      aria-label={f ? t("order.oneMore", { name: f.name }) : t("order.oneMorePlain")}
                      disabled={l.quantity >= 99 || !unit?.available}
                      onClick={() => update(l.key, { quantity: l.quantity + 1 })}
                      className="h-11 w-11 rounded-full bg-white/10 text-2xl font-black disabled:opacity-30"
                    >
                      +
                    </button>
                    <label className="ml-2 flex-1 text-base text-gray-300">
                      <span className="sr-only">{t("order.notesFor", { name: f?.name ?? "" })}</span>
                      <input
                        value={l.notes}
                        maxLength={500}
                        onChange={(e) => update(l.key, { notes: e.target.value })}
                        placeholder={t("order.notesPlaceholder")}
                        data-testid="cart-notes"
                        className="min-h-11 w-full rounded-lg border border-white/20 bg-black/40 px-3 text-lg text-white"
                      />
                    </label>
                  </div>
                </li>
              );
            })}
          </ul>
          <ServiceTypeChoice value={serviceType} onChange={setServiceType} />
          <label className="text-base text-gray-300">
            {t("order.yourName")}
            <input
              value={customer}
              maxLength={100}
              onChange={(e) => setCustomer(e.target.value)}
              data-testid="customer-name"
              className="mt-1 min-h-11 w-full rounded-lg border border-white/20 bg-black/40 px-3 text-lg text-white"
            />
          </label>
          <div className="flex justify-between text-2xl font-black">
            <span>{t("order.total")}</span>
            <span className="tabular-nums" data-testid="cart-total">
              {money(total)}
            </span>
          </div>
          {error && (
            <p role="alert" data-testid="order-error" className="rounded-xl bg-red-950 px-3 py-2 text-lg">
              {error.message}
            </p>
          )}
          <button
            type="button"
            onClick={place}
            disabled={lines.length === 0 || busy || blocked}
            data-testid="place-order"
            className="min-h-14 rounded-xl bg-green-500 text-2xl font-black text-black disabled:opacity-40"
          >
            {busy ? t("order.sending") : t("order.place")}
          </button>
        </aside>
        {count > 0 && (
          <a
            href="#cart"
            data-testid="cart-bar"
            className="fixed inset-x-3 bottom-3 flex min-h-14 items-center justify-between rounded-2xl bg-green-500 px-5 text-xl font-black text-black shadow-2xl lg:hidden"
          >
            <span>{t("order.bar", { count })}</span>
            <span className="tabular-nums">{money(total)}</span>
          </a>
        )}
        {choosing && (
          <ChoiceSheet
            food={foods.get(choosing.id) ?? choosing}
            groups={groupsOf(foods.get(choosing.id) ?? choosing)}
            declared={declared.codes}
            onClose={() => setChoosing(null)}
            onAdd={(choices, quantity) => {
              add(choosing.id, choices, quantity);
              setChoosing(null);
            }}
          />
        )}
        {allergyOpen && (
          <AllergySheet
            value={declared}
            onClose={(next) => {
              setDeclared(next);
              setAllergyOpen(false);
            }}
          />
        )}
      </main>
    </MoneyStyleContext.Provider>
  );
}

function AllergenBadges({ codes, declared = [] }: { codes: string[]; declared?: string[] }) {
  const t = useT();
  const allergenName = useAllergenName();
  if (codes.length === 0) return null;
  return (
    <ul className="mt-1 flex flex-wrap gap-1" aria-label={t("order.contains")}>
      {codes.map((c) => (
        <li
          key={c}
          data-testid="allergen-badge"
          data-code={c}
          className={`rounded-full px-2 py-0.5 text-sm font-semibold ${declared.includes(c) ? "bg-amber-400 text-black" : "bg-white/10 text-gray-200"}`}
        >
          {allergenName(c)}
        </li>
      ))}
    </ul>
  );
}

function MenuCard({
  food: f,
  hasChoices,
  quantity,
  warning,
  onAdd,
  onRemove,
}: {
  food: Food;
  hasChoices: boolean;
  quantity: number;
  warning: string[];
  onAdd(): void;
  onRemove(): void;
}) {
  const { money } = useMoney();
  const t = useT();
  const allergenName = useAllergenName();
  return (
    <li
      data-testid="menu-item"
      data-name={f.name}
      data-available={f.available ? "true" : "false"}
      className={`flex min-w-0 flex-col gap-2 rounded-2xl border p-3 ${f.available ? "border-white/10 bg-white/5" : "border-white/5 bg-white/[0.02] opacity-60 grayscale"}`}
    >
      <div className="flex min-w-0 gap-3">
        <div className="min-w-0 flex-1">
          <div className="text-xl font-bold">{f.name}</div>
          {f.description && (
            <p className="line-clamp-3 text-base text-gray-300" data-testid="menu-description">
              {f.description}
            </p>
          )}
          <AllergenBadges codes={f.allergens} declared={warning} />
        </div>
        <DishImage name={f.name} url={f.imageUrl} />
      </div>
      {warning.length > 0 && (
        <p data-testid="allergy-warning" className="rounded-lg bg-amber-400 px-2 py-1 text-base font-bold text-black">
          {t("order.warnContains", { list: warning.map(allergenName).join(", ") })}
        </p>
      )}
      <div className="mt-auto flex flex-wrap items-center justify-between gap-2">
        <span className="whitespace-nowrap text-xl font-semibold tabular-nums" data-testid="menu-price">
          {hasChoices ? t("order.from") : ""}
          {money(cents(f.price) + cents(f.surcharge))}
        </span>
        {!f.available ? (
          <span className="rounded-full bg-red-700 px-3 py-1 text-base font-bold text-white" data-testid="sold-out">
            {t("order.soldOut")}
          </span>
        ) : (
          <div className="flex items-center gap-2">
            {quantity > 0 && (
              <button
                type="button"
                aria-label={t("order.oneLess", { name: f.name })}
                onClick={onRemove}
                className="h-12 w-12 rounded-full bg-white/10 text-2xl font-black"
              >
                −
              </button>
            )}
            {quantity > 0 && (
              <span className="w-6 text-center text-xl font-bold tabular-nums" data-testid="menu-quantity">
                {quantity}
              </span>
            )}
            <button
              type="button"
              aria-label={hasChoices ? t("order.chooseFor", { name: f.name }) : t("order.add", { name: f.name })}
              aria-haspopup={hasChoices ? "dialog" : undefined}
              data-testid="menu-add"
              disabled={quantity >= 99}
              onClick={onAdd}
              className={`h-12 rounded-full bg-sky-500 text-xl font-black text-black disabled:opacity-30 ${hasChoices ? "px-4" : "w-12 text-2xl"}`}
            >
              {hasChoices ? t("order.choose") : "+"}
            </button>
          </div>
        )}
      </div>
    </li>
  );
}

/**
 * The dish's photo in a fixed square frame (nothing moves when it loads), or a neutral plate with
 * the dish's initial when the menu has none — or when its image fails to load.
 */
function DishImage({ name, url }: { name: string; url: string | null }) {
  const [failed, setFailed] = useState(false);
  useEffect(() => setFailed(false), [url]);
  return (
    <div className="relative h-24 w-24 shrink-0 self-start overflow-hidden rounded-xl bg-white/10 sm:h-28 sm:w-28">
      {url && !failed ? (
        <img
          src={url}
          alt=""
          loading="lazy"
          decoding="async"
          onError={() => setFailed(true)}
          className="absolute inset-0 h-full w-full object-cover"
          data-testid="menu-image"
        />
      ) : (
        <div
          aria-hidden
          data-testid="menu-image-placeholder"
          className="absolute inset-0 grid place-items-center bg-gradient-to-br from-white/15 to-white/5 text-4xl font-black text-white/50"
        >
          {name.trim().charAt(0).toUpperCase() || "·"}
        </div>
      )}
    </div>
  );
}

/** A modal sheet on the native <dialog>: focus kept inside, Escape closes. */
function Sheet({ label, testId, onClose, children }: { label: string; testId: string; onClose(): void; children: React.ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  return (
    <dialog
      ref={ref}
      aria-label={label}
      data-testid={testId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      className="m-0 mt-auto max-h-[92dvh] w-full max-w-none overflow-y-auto rounded-t-3xl border-t border-white/20 bg-[#15181d] p-0 text-white backdrop:bg-black/70 sm:m-auto sm:max-w-lg sm:rounded-3xl sm:border"
    >
      {children}
    </dialog>
  );
}

function ChoiceSheet({
  food,
  groups,
  declared,
  onClose,
  onAdd,
}: {
  food: Food;
  groups: Group[];
  declared: string[];
  onClose(): void;
  onAdd(choices: Choices, quantity: number): void;
}) {
  const { money, delta } = useMoney();
  const t = useT();
  const allergenName = useAllergenName();
  const [choices, setChoices] = useState<Choices>({});
  const [quantity, setQuantity] = useState(1);
  const options = (g: Group) => (choices[g.id] ?? []).map((id) => g.options.find((o) => o.id === id)).filter((o): o is Option => !!o);
  const missing = groups.filter((g) => options(g).filter((o) => o.available).length < g.min);
  const unit = cents(food.price) + cents(food.surcharge) + groups.flatMap(options).reduce((s, o) => s + cents(o.priceDelta), 0);
  const soldOut = !food.available || groups.flatMap(options).some((o) => !o.available);
  const ready = missing.length === 0 && !soldOut;

  const toggle = (g: Group, o: Option, on: boolean) =>
    setChoices((c) => {
      const now = c[g.id] ?? [];
      const next = g.max === 1 ? (on ? [o.id] : []) : on ? [...now, o.id] : now.filter((id) => id !== o.id);
      return { ...c, [g.id]: next };
    });

  return (
    <Sheet label={t("order.chooseFor", { name: food.name })} testId="choice-sheet" onClose={onClose}>
      <div className="sticky top-0 z-10 flex items-start gap-3 border-b border-white/10 bg-[#15181d] p-4">
        <div className="min-w-0 flex-1">
          <h2 className="text-3xl font-black">{food.name}</h2>
          {food.description && <p className="text-lg text-gray-300">{food.description}</p>}
          <AllergenBadges codes={food.allergens} declared={declared} />
        </div>
        <button
          type="button"
          onClick={onClose}
          aria-label={t("order.close")}
          className="h-12 w-12 shrink-0 rounded-full bg-white/10 text-2xl font-black"
        >
          ✕
        </button>
      </div>
      <div className="flex flex-col gap-5 p-4">
        {groups.map((g) => {
          const chosen = choices[g.id] ?? [];
          const full = g.max > 1 && chosen.length >= g.max;
          return (
            <fieldset key={g.id} data-testid="choice-group" data-name={g.name} className="flex flex-col gap-2">
              <legend className="mb-2 flex w-full flex-wrap items-center gap-2">
                <span className="text-2xl font-bold">{g.name}</span>
                <span className="rounded-full bg-white/10 px-3 py-0.5 text-base font-semibold" data-testid="choice-rule">
                  {groupRule(t, g)}
                </span>
                {g.required && (
                  <span
                    className={`rounded-full px-3 py-0.5 text-base font-bold ${missing.includes(g) ? "bg-amber-400 text-black" : "bg-green-500 text-black"}`}
                  >
                    {missing.includes(g) ? t("order.required") : t("order.done")}
                  </span>
                )}
              </legend>
              {g.options.map((o) => {
                const checked = chosen.includes(o.id);
                const d = cents(o.priceDelta);
                const warn = o.allergens.filter((a) => declared.includes(a));
                return (
                  <label
                    key={o.id}
                    data-testid="choice-option"
                    data-name={o.name}
                    className={`flex min-h-14 cursor-pointer items-center gap-3 rounded-xl border-2 px-4 text-xl ${checked ? "border-sky-400 bg-sky-500/15" : "border-white/15 bg-white/5"} ${o.available ? "" : "cursor-not-allowed opacity-50"}`}
                  >
                    <input
                      type={g.max === 1 ? "radio" : "checkbox"}
                      name={`group-${g.id}`}
                      checked={checked}
                      disabled={!o.available || (full && !checked)}
                      onChange={(e) => toggle(g, o, e.target.checked)}
                      className="h-6 w-6 shrink-0 accent-sky-400"
                    />
                    <span className="flex-1">
                      {o.name}
                      {warn.length === 0 && o.allergens.length > 0 && (
                        <span className="block text-base text-gray-300">
                          {t("order.containsList", { list: o.allergens.map(allergenName).join(", ") })}
                        </span>
                      )}
                      {warn.length > 0 && (
                        <span className="block text-base font-bold text-amber-300" data-testid="allergy-warning">
                          {t("order.warnContains", { list: warn.map(allergenName).join(", ") })}
                        </span>
                      )}
                    </span>
                    {!o.available ? (
                      <span className="rounded-full bg-red-700 px-2 py-0.5 text-base font-bold">{t("order.soldOut")}</span>
                    ) : (
                      d !== 0 && <span className="tabular-nums text-gray-200">{delta(d)}</span>
                    )}
                  </label>
                );
              })}
            </fieldset>
          );
        })}
      </div>
      <div className="sticky bottom-0 flex flex-col gap-2 border-t border-white/10 bg-[#15181d] p-4">
        <p aria-live="polite" data-testid="choice-missing" className="min-h-7 text-lg font-semibold text-amber-300">
          {!food.available
            ? t("order.dishSoldOut")
            : soldOut
              ? t("order.choiceSoldOut")
              : missing.length > 0
                ? t("order.missing", {
                    list: missing
                      .map((g) =>
                        g.min === 1
                          ? t("order.missingOne", { group: g.name.toLowerCase() })
                          : t("order.missingMany", { count: g.min, group: g.name.toLowerCase() }),
                      )
                      .join(t("order.and")),
                  })
                : ""}
        </p>
        <div className="flex items-center gap-3">
          <button
            type="button"
            aria-label={t("order.oneLessPlain")}
            disabled={quantity <= 1}
            onClick={() => setQuantity((q) => q - 1)}
            className="h-14 w-14 rounded-full bg-white/10 text-2xl font-black disabled:opacity-30"
          >
            −
          </button>
          <span className="w-8 text-center text-2xl font-bold tabular-nums" data-testid="choice-quantity">
            {quantity}
          </span>
          <button
            type="button"
            aria-label={t("order.oneMorePlain")}
            disabled={quantity >= 99}
            onClick={() => setQuantity((q) => q + 1)}
            className="h-14 w-14 rounded-full bg-white/10 text-2xl font-black disabled:opacity-30"
          >
            +
          </button>
          <button
            type="button"
            disabled={!ready}
            onClick={() => onAdd(choices, quantity)}
            data-testid="choice-add"
            className="min-h-14 flex-1 whitespace-nowrap rounded-xl bg-green-500 px-4 text-2xl font-black text-black disabled:opacity-40"
          >
            {t("order.addPrice")}
            <span data-testid="choice-price">{money(unit * quantity)}</span>
          </button>
        </div>
      </div>
    </Sheet>
  );
}

function AllergySheet({
  value,
  onClose,
}: {
  value: { codes: string[]; note: string };
  onClose(next: { codes: string[]; note: string }): void;
}) {
  const t = useT();
  const allergenName = useAllergenName();
  const [codes, setCodes] = useState(value.codes);
  const [note, setNote] = useState(value.note);
  const done = () => onClose({ codes: ALLERGENS.filter((c) => codes.includes(c)), note });
  return (
    <Sheet label={t("order.allergySheet")} testId="allergy-sheet" onClose={done}>
      <div className="flex flex-col gap-4 p-4">
        <h2 className="text-3xl font-black">{t("order.allergyTitle")}</h2>
        <p className="text-lg text-gray-300">{t("order.allergyHelp")}</p>
        <div className="grid grid-cols-2 gap-2" role="group" aria-label={t("order.allergens")}>
          {ALLERGENS.map((c) => {
            const on = codes.includes(c);
            return (
              <button
                key={c}
                type="button"
                aria-pressed={on}
                data-testid="allergen-chip"
                data-code={c}
                onClick={() => setCodes((now) => (on ? now.filter((x) => x !== c) : [...now, c]))}
                className={`min-h-14 rounded-xl border-2 px-3 text-xl font-bold ${on ? "border-amber-300 bg-amber-400 text-black" : "border-white/20 bg-white/5 text-white"}`}
              >
                {on ? "✓ " : ""}
                {allergenName(c)}
              </button>
            );
          })}
        </div>
        <label className="text-lg text-gray-300">
          {t("order.allergyElse")}
          <textarea
            value={note}
            maxLength={200}
            rows={2}
            onChange={(e) => setNote(e.target.value)}
            placeholder={t("order.allergyPlaceholder")}
            data-testid="allergy-note"
            className="mt-1 w-full rounded-lg border border-white/20 bg-black/40 px-3 py-2 text-lg text-white"
          />
        </label>
      </div>
      <div className="sticky bottom-0 border-t border-white/10 bg-[#15181d] p-4">
        <button
          type="button"
          onClick={done}
          data-testid="allergies-done"
          className="min-h-14 w-full rounded-xl bg-green-500 text-2xl font-black text-black"
        >
          {t("order.allergyDone")}
        </button>
      </div>
    </Sheet>
  );
}
