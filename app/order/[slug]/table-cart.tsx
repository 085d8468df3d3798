"use client";

import Link from "next/link";
import { useState } from "react";
import { useT } from "@/components/i18n";
import { CART_ERROR_KEYS, type CartChangeNote, CLOSED_CHANGE, type TableCart } from "@/lib/client/table-cart";
import type { Translate } from "@/lib/i18n";

/** The hook's own errors are message keys; anything else is Pass's message, shown as it is. */
const errorText = (tr: Translate, error: string) =>
  (CART_ERROR_KEYS as readonly string[]).includes(error) ? tr(error as (typeof CART_ERROR_KEYS)[number]) : error;

const noteText = (tr: Translate, n: CartChangeNote) =>
  n.kind === "joined"
    ? tr("cart.note.joined", { name: n.name })
    : tr(`cart.note.${n.kind}`, { name: n.name, dish: n.dish ?? tr("cart.aDish") });

/**
 * The table's shared order on a phone (docs/architecture.md#carts), mounted into the page's cart
 * (order-view.tsx): who is at the table (and this phone's name, which it can change), the other
 * phones' changes as they happen, the offline state, and — once someone sent the order — who sent
 * it with this phone's own track link. The lines themselves are the page's cart lines: the page
 * hands its menu cards and its cart `useTableCart`'s lines, add and update instead of its local cart.
 */
export function TableCartStatus({ cart: t, table }: { cart: TableCart; table: string }) {
  const { cart, me, submitted } = t;
  const tr = useT();
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
      <p className="text-lg text-gray-200">{tr("cart.shared", { table })}</p>
      {offline && (
        <p
          role="status"
          data-testid="table-cart-offline"
          className="rounded-xl border-2 border-amber-400 bg-amber-950 px-3 py-2 text-lg font-semibold"
        >
          {tr("cart.offline")}
        </p>
      )}
      <div
        className="flex flex-wrap items-center gap-2"
        data-testid="table-cart-people"
        role="group"
        aria-label={tr("cart.people", { table })}
      >
        {!cart && <span className="text-lg text-gray-300">{tr("cart.joining")}</span>}
        {(cart?.members ?? []).map((m) =>
          m.id === me?.id ? (
            renaming ? (
              <RenameForm
                key={m.id}
                name={m.name}
                onDone={(name) => {
                  setRenaming(false);
                  if (name && name !== m.name)
                    t.rename(name).catch((err: unknown) => setRenameError(errorText(tr, String((err as Error).message ?? err))));
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
                title={tr("cart.rename")}
              >
                {tr("cart.you", { name: m.name })} ✎
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
          {errorText(tr, t.error)}
        </p>
      )}
      <p aria-live="polite" data-testid="table-cart-note" className="min-h-7 text-lg font-semibold text-sky-200">
        {latest ? noteText(tr, latest) : ""}
      </p>
      {submitted && (
        <div data-testid="table-cart-submitted" className="flex flex-col gap-3 rounded-xl border-2 border-green-500 bg-green-950 p-4">
          <p className="text-2xl font-black">
            {submitted.by && submitted.by.id !== me?.id ? tr("cart.sentBy", { name: submitted.by.name }) : tr("cart.sent")}
          </p>
          {submitted.displayCode && (
            <p className="text-xl">
              {tr("cart.orderNumber")} <span className="text-3xl font-black tabular-nums">{submitted.displayCode}</span>
            </p>
          )}
          <Link
            href={submitted.trackUrl}
            data-testid="table-cart-track"
            className="inline-flex min-h-14 items-center justify-center rounded-xl bg-green-500 px-4 text-2xl font-black text-black"
          >
            {tr("cart.follow")}
          </Link>
          <button type="button" onClick={t.restart} className="min-h-12 rounded-xl bg-white/10 text-lg font-bold">
            {tr("cart.restart")}
          </button>
        </div>
      )}
      {cart?.state === "EXPIRED" && !submitted && (
        <div data-testid="table-cart-expired" className="flex flex-col gap-3 rounded-xl border-2 border-amber-400 p-4">
          <p className="text-xl font-bold">{tr("cart.expired")}</p>
          <button type="button" onClick={t.restart} className="min-h-12 rounded-xl bg-sky-500 text-lg font-black text-black">
            {tr("cart.startAgain")}
          </button>
        </div>
      )}
    </div>
  );
}

/** Under a line of the table's order: which phone added it. */
export function TableAddedBy({ cart: t, itemId }: { cart: TableCart; itemId: string }) {
  const tr = useT();
  const item = t.cart?.items.find((i) => i.id === itemId);
  if (!item) return null;
  const mine = item.addedBy !== null && item.addedBy.id === t.me?.id;
  return (
    <p className="mt-1 text-base font-semibold text-sky-200" data-testid="cart-added-by" data-name={item.addedBy?.name ?? ""}>
      {mine ? tr("cart.addedByYou") : tr("cart.addedBy", { name: item.addedBy?.name ?? tr("cart.aGuest") })}
    </p>
  );
}

function RenameForm({ name, onDone }: { name: string; onDone(name: string): void }) {
  const tr = useT();
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
        {tr("cart.yourName")}
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
        {tr("cart.save")}
      </button>
    </form>
  );
}
