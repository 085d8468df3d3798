"use client";

import { useMemo, useState } from "react";
import { useRouter } from "next/navigation";
import { create } from "zustand";
import { postJson } from "@/lib/client/api";

type Food = { id: string; name: string; price: string; surcharge: string; category: string; station: string; available: boolean };
type Line = { quantity: number; notes: string };

/** The cart is screen-local state. */
const useCart = create<{ lines: Record<string, Line>; set(id: string, line: Line | null): void; clear(): void }>((set) => ({
  lines: {},
  set: (id, line) =>
    set((s) => {
      const lines = { ...s.lines };
      if (line && line.quantity > 0) lines[id] = line;
      else delete lines[id];
      return { lines };
    }),
  clear: () => set({ lines: {} }),
}));

const cents = (v: string) => Math.round(Number(v) * 100);
const money = (c: number) => (c / 100).toFixed(2);

export function OrderView({ partner, foods, table }: { partner: { slug: string; name: string }; foods: Food[]; table: string | null }) {
  const router = useRouter();
  const { lines, set, clear } = useCart();
  const [customer, setCustomer] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const categories = useMemo(() => {
    const map = new Map<string, Food[]>();
    for (const f of foods) map.set(f.category, [...(map.get(f.category) ?? []), f]);
    return [...map];
  }, [foods]);
  const byId = useMemo(() => new Map(foods.map((f) => [f.id, f])), [foods]);
  const entries = Object.entries(lines);
  const total = entries.reduce((sum, [id, l]) => sum + (cents(byId.get(id)!.price) + cents(byId.get(id)!.surcharge)) * l.quantity, 0);

  async function place() {
    setBusy(true);
    setError(null);
    try {
      const order = await postJson<{ id: number; trackingToken: string }>("/api/orders", {
        partner: partner.slug,
        source: table ? "qr" : "kiosk",
        ...(table ? { table } : {}),
        ...(customer.trim() ? { customer: customer.trim() } : {}),
        items: entries.map(([foodId, l]) => ({ foodId, quantity: l.quantity, ...(l.notes.trim() ? { notes: l.notes.trim() } : {}) })),
      });
      clear();
      router.push(`/track/${order.id}?token=${encodeURIComponent(order.trackingToken)}`);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  }

  return (
    <main className="mx-auto flex min-h-dvh max-w-6xl flex-col gap-6 p-4 lg:flex-row">
      <div className="flex-1">
        <header className="mb-4">
          <h1 className="text-4xl font-black">{partner.name}</h1>
          {table && (
            <p className="text-xl text-gray-300" data-testid="order-table">
              Table {table}
            </p>
          )}
        </header>
        {categories.map(([category, list]) => (
          <section key={category} aria-labelledby={`cat-${category}`} className="mb-6">
            <h2 id={`cat-${category}`} className="mb-2 text-2xl font-bold">
              {category}
            </h2>
            <ul className="grid gap-3 sm:grid-cols-2">
              {list.map((f) => {
                const q = lines[f.id]?.quantity ?? 0;
                return (
                  <li
                    key={f.id}
                    data-testid="menu-item"
                    data-name={f.name}
                    className={`flex items-center gap-3 rounded-2xl border border-white/10 bg-white/5 p-3 ${f.available ? "" : "opacity-60"}`}
                  >
                    <div className="min-w-0 flex-1">
                      <div className="text-xl font-bold">{f.name}</div>
                      <div className="text-lg text-gray-300">{money(cents(f.price) + cents(f.surcharge))}</div>
                    </div>
                    {f.available ? (
                      <div className="flex items-center gap-2">
                        <button
                          type="button"
                          aria-label={`One less ${f.name}`}
                          disabled={q === 0}
                          onClick={() => set(f.id, q > 1 ? { quantity: q - 1, notes: lines[f.id]!.notes } : null)}
                          className="h-12 w-12 rounded-full bg-white/10 text-2xl font-black disabled:opacity-30"
                        >
                          −
                        </button>
                        <span className="w-6 text-center text-xl font-bold tabular-nums" data-testid="menu-quantity">
                          {q}
                        </span>
                        <button
                          type="button"
                          aria-label={`Add ${f.name}`}
                          data-testid="menu-add"
                          disabled={q >= 99}
                          onClick={() => set(f.id, { quantity: q + 1, notes: lines[f.id]?.notes ?? "" })}
                          className="h-12 w-12 rounded-full bg-sky-500 text-2xl font-black text-black disabled:opacity-30"
                        >
                          +
                        </button>
                      </div>
                    ) : (
                      <span className="rounded-full bg-red-700 px-3 py-1 text-base font-bold" data-testid="sold-out">
                        Sold out
                      </span>
                    )}
                  </li>
                );
              })}
            </ul>
          </section>
        ))}
      </div>
      <aside
        aria-labelledby="cart-heading"
        className="flex w-full flex-col gap-3 self-start rounded-2xl border border-white/10 bg-white/5 p-4 lg:sticky lg:top-4 lg:w-96"
      >
        <h2 id="cart-heading" className="text-2xl font-bold">
          Your order
        </h2>
        {entries.length === 0 && <p className="text-lg text-gray-300">Add something from the menu.</p>}
        <ul className="flex flex-col gap-3" data-testid="cart">
          {entries.map(([id, l]) => (
            <li key={id}>
              <div className="flex justify-between text-lg font-semibold">
                <span>
                  {l.quantity}× {byId.get(id)!.name}
                </span>
                <span className="tabular-nums">{money((cents(byId.get(id)!.price) + cents(byId.get(id)!.surcharge)) * l.quantity)}</span>
              </div>
              <label className="mt-1 block text-base text-gray-300">
                Notes
                <input
                  value={l.notes}
                  maxLength={500}
                  onChange={(e) => set(id, { quantity: l.quantity, notes: e.target.value })}
                  placeholder="e.g. no onions"
                  data-testid="cart-notes"
                  className="mt-1 min-h-11 w-full rounded-lg border border-white/20 bg-black/40 px-3 text-lg text-white"
                />
              </label>
            </li>
          ))}
        </ul>
        <label className="text-base text-gray-300">
          Your name (optional)
          <input
            value={customer}
            maxLength={100}
            onChange={(e) => setCustomer(e.target.value)}
            data-testid="customer-name"
            className="mt-1 min-h-11 w-full rounded-lg border border-white/20 bg-black/40 px-3 text-lg text-white"
          />
        </label>
        <div className="flex justify-between text-2xl font-black">
          <span>Total</span>
          <span className="tabular-nums" data-testid="cart-total">
            {money(total)}
          </span>
        </div>
        {error && (
          <p role="alert" className="rounded-xl bg-red-950 px-3 py-2 text-lg">
            {error}
          </p>
        )}
        <button
          type="button"
          onClick={place}
          disabled={entries.length === 0 || busy}
          data-testid="place-order"
          className="min-h-14 rounded-xl bg-green-500 text-2xl font-black text-black disabled:opacity-40"
        >
          {busy ? "Sending…" : "Place order"}
        </button>
      </aside>
    </main>
  );
}
