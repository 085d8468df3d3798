"use client";

import Link from "next/link";
import { useState } from "react";
import { CLOSED_CHANGE, type TableCart } from "@/lib/client/table-cart";

/**
 * The table's shared order on a phone (docs/architecture.md#carts), mounted into the page's cart
 * (order-view.tsx): who is at the table (and this phone's name, which it can change), the other
 * phones' changes as they happen, the offline state, and — once someone sent the order — who sent
 * it with this phone's own track link. The lines themselves are the page's cart lines: the page
 * hands its menu cards and its cart `useTableCart`'s lines, add and update instead of its local cart.
 */
export function TableCartStatus({ cart: t, table }: { cart: TableCart; table: string }) {
  const { cart, me, submitted } = t;
  const [renaming, setRenaming] = useState(false);
  const [renameError, setRenameError] = useState<string | null>(null);
  const offline = t.connection.status === "reconnecting" || t.connection.status === "offline";
  const latest = t.notes.at(-1);

  return (
    <div
      className="flex flex-col gap-3"
      data-testid="table-cart"
      data-state={submitted ? "SUBMITTED" : (cart?.state ?? "JOINING")}
      data-version={cart?.version ?? 0}
      data-connection={t.connection.status}
    >
      <p className="text-lg text-gray-200">Table {table} shares one order: everyone adds from their own phone.</p>
      {offline && (
        <p
          role="status"
          data-testid="table-cart-offline"
          className="rounded-xl border-2 border-amber-400 bg-amber-950 px-3 py-2 text-lg font-semibold"
        >
          You are offline. The table's order is kept safe — this page reconnects by itself.
        </p>
      )}
      <div className="flex flex-wrap items-center gap-2" data-testid="table-cart-people" role="group" aria-label={`At table ${table}`}>
        {!cart && <span className="text-lg text-gray-300">Joining the table…</span>}
        {(cart?.members ?? []).map((m) =>
          m.id === me?.id ? (
            renaming ? (
              <RenameForm
                key={m.id}
                name={m.name}
                onDone={(name) => {
                  setRenaming(false);
                  if (name && name !== m.name)
                    t.rename(name).catch((err: unknown) => setRenameError(String((err as Error).message ?? err)));
                }}
              />
            ) : (
              <button
                key={m.id}
                type="button"
                onClick={() => setRenaming(true)}
                data-testid="table-cart-me"
                data-name={m.name}
                className="min-h-11 rounded-full border-2 border-sky-400 bg-sky-500/15 px-4 text-lg font-bold"
                title="Change your name"
              >
                {m.name} (you) ✎
              </button>
            )
          ) : (
            <span
              key={m.id}
              data-testid="table-cart-member"
              data-name={m.name}
              className="inline-flex min-h-11 items-center rounded-full bg-white/10 px-4 text-lg"
            >
              {m.name}
            </span>
          ),
        )}
      </div>
      {renameError && (
        <p role="alert" className="rounded-xl bg-red-950 px-3 py-2 text-lg">
          {renameError}
        </p>
      )}
      {t.error && (!submitted || t.error === CLOSED_CHANGE) && (
        <p role="alert" data-testid="table-cart-error" className="rounded-xl bg-red-950 px-3 py-2 text-lg">
          {t.error}
        </p>
      )}
      <p aria-live="polite" data-testid="table-cart-note" className="min-h-7 text-lg font-semibold text-sky-200">
        {latest?.text ?? ""}
      </p>
      {submitted && (
        <div data-testid="table-cart-submitted" className="flex flex-col gap-3 rounded-xl border-2 border-green-500 bg-green-950 p-4">
          <p className="text-2xl font-black">
            {submitted.by && submitted.by.id !== me?.id ? `${submitted.by.name} sent the table's order` : "The table's order was sent"}
          </p>
          {submitted.displayCode && (
            <p className="text-xl">
              Order number <span className="text-3xl font-black tabular-nums">{submitted.displayCode}</span>
            </p>
          )}
          <Link
            href={submitted.trackUrl}
            data-testid="table-cart-track"
            className="inline-flex min-h-14 items-center justify-center rounded-xl bg-green-500 px-4 text-2xl font-black text-black"
          >
            Follow the order
          </Link>
          <button type="button" onClick={t.restart} className="min-h-12 rounded-xl bg-white/10 text-lg font-bold">
            Start a new order
          </button>
        </div>
      )}
      {cart?.state === "EXPIRED" && !submitted && (
        <div data-testid="table-cart-expired" className="flex flex-col gap-3 rounded-xl border-2 border-amber-400 p-4">
          <p className="text-xl font-bold">This order sat untouched for too long and was cleared.</p>
          <button type="button" onClick={t.restart} className="min-h-12 rounded-xl bg-sky-500 text-lg font-black text-black">
            Start again
          </button>
        </div>
      )}
    </div>
  );
}

/** Under a line of the table's order: which phone added it. */
export function TableAddedBy({ cart: t, itemId }: { cart: TableCart; itemId: string }) {
  const item = t.cart?.items.find((i) => i.id === itemId);
  if (!item) return null;
  const mine = item.addedBy !== null && item.addedBy.id === t.me?.id;
  return (
    <p className="mt-1 text-base font-semibold text-sky-200" data-testid="cart-added-by" data-name={item.addedBy?.name ?? ""}>
      {mine ? "Added by you" : `Added by ${item.addedBy?.name ?? "a guest"}`}
    </p>
  );
}

function RenameForm({ name, onDone }: { name: string; onDone(name: string): void }) {
  const [value, setValue] = useState(name);
  return (
    <form
      className="flex items-center gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        onDone(value.trim());
      }}
    >
      <label className="sr-only" htmlFor="table-cart-name">
        Your name at the table
      </label>
      <input
        id="table-cart-name"
        value={value}
        maxLength={40}
        autoFocus
        onChange={(e) => setValue(e.target.value)}
        data-testid="table-cart-name"
        className="min-h-11 w-40 rounded-lg border border-white/20 bg-black/40 px-3 text-lg text-white"
      />
      <button
        type="submit"
        data-testid="table-cart-name-save"
        className="min-h-11 rounded-full bg-sky-500 px-4 text-lg font-bold text-black"
      >
        Save
      </button>
    </form>
  );
}
