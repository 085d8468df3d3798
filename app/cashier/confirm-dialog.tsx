"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import { useT } from "@/components/i18n";
import { postJson } from "@/lib/client/api";
import { menuKeys, staffMenuQuery } from "@/lib/client/menu-query";
import { type AmountInput, parseAmountInput, wireAmount } from "@/lib/client/money";
import { displayMinor, type MoneyStyle } from "@/lib/money-format";
import type { OrderDto } from "@/lib/orders/dto";
import { type PaymentMethod, PAYMENT_METHODS, percentOf } from "@/lib/orders/payments";
import { tenderedSuggestions } from "./cashier-keys";
import { Dialog } from "./dialog";

const QUICK_PERCENTS = [5, 10, 15, 20] as const;
const cents = (v: string) => Math.round(Number(v) * 100);

type SplitRow = { method: PaymentMethod; text: string };

/**
 * Confirming an order at the till: the payment method (the restaurant's default, or the one the
 * key chose), a discount as an amount or a quick 5/10/15/20 %, cash tendered with the change, or a
 * bill split over two methods. Every figure is computed as the server will (lib/orders/payments.ts);
 * whatever cannot be accepted says why under the total and the Confirm button waits — never NaN,
 * never a negative total. The lines' dishes can be 86'd from here in one tap.
 */
export function ConfirmDialog({
  order,
  style,
  method: initialMethod,
  partnerSlug,
  onClose,
}: {
  order: OrderDto;
  style: MoneyStyle;
  method: PaymentMethod;
  partnerSlug: string | null;
  onClose(): void;
}) {
  const tr = useT();
  const money = (minor: number) => displayMinor(minor, style);
  const why = (a: AmountInput & { kind: "invalid" }) => tr(`cashier.amount.${a.code}`);
  const [method, setMethod] = useState<PaymentMethod>(initialMethod);
  const [discountText, setDiscountText] = useState("");
  const [tenderedText, setTenderedText] = useState("");
  const [split, setSplit] = useState(false);
  const [rows, setRows] = useState<[SplitRow, SplitRow]>([
    { method: "CASH", text: "" },
    { method: "CARD", text: "" },
  ]);
  const [secondTouched, setSecondTouched] = useState(false);
  const tenderedRef = useRef<HTMLInputElement>(null);
  const submitRef = useRef<HTMLButtonElement>(null);
  const confirm = useMutation({ mutationFn: (body: unknown) => postJson(`/api/orders/${order.id}/confirm`, body), onSuccess: onClose });

  // Cash: the cursor waits in "tendered" (Enter confirms without one); otherwise on Confirm.
  useEffect(() => {
    (initialMethod === "CASH" ? tenderedRef.current : submitRef.current)?.focus();
  }, [initialMethod]);

  const gross = cents(order.subTotal) + cents(order.surcharge);
  const discount = parseAmountInput(discountText, { percent: true });
  const problems: string[] = [];
  let discountMinor = 0;
  if (discount.kind === "invalid") problems.push(tr("cashier.problem.discount", { reason: why(discount) }));
  else if (discount.kind === "percent") discountMinor = percentOf(gross, discount.percent);
  else if (discount.kind === "amount") discountMinor = discount.minor;
  if (discountMinor > gross) problems.push(tr("cashier.problem.discountOver", { amount: money(gross) }));
  const total = problems.length === 0 ? gross - discountMinor : null;

  const tendered = parseAmountInput(tenderedText);
  let change: number | null = null;
  if (!split && method === "CASH" && total !== null) {
    if (tendered.kind === "invalid") problems.push(tr("cashier.problem.tendered", { reason: why(tendered) }));
    else if (tendered.kind === "amount") {
      if (tendered.minor < total)
        problems.push(tr("cashier.problem.tenderedLess", { tendered: money(tendered.minor), total: money(total) }));
      else change = tendered.minor - total;
    }
  }

  const splitAmounts = rows.map((r) => parseAmountInput(r.text));
  if (split && total !== null) {
    splitAmounts.forEach((a, i) => {
      if (a.kind === "invalid") problems.push(tr("cashier.problem.payment", { n: i + 1, reason: why(a) }));
      if (a.kind === "empty" || (a.kind === "amount" && a.minor === 0)) problems.push(tr("cashier.problem.paymentEmpty", { n: i + 1 }));
    });
    const sum = splitAmounts.reduce((s, a) => s + (a.kind === "amount" ? a.minor : 0), 0);
    if (splitAmounts.every((a) => a.kind === "amount" && a.minor > 0) && sum !== total) {
      problems.push(tr("cashier.problem.split", { sum: money(sum), total: money(total) }));
    }
  }
  const ready = problems.length === 0 && total !== null;

  const body = () => {
    const disc =
      discount.kind === "percent"
        ? { discountPercent: discount.percent }
        : discount.kind === "amount" && discount.minor > 0
          ? { discount: wireAmount(discount.minor) }
          : {};
    if (split) {
      return {
        ...disc,
        payments: rows.map((r, i) => ({ method: r.method, amount: wireAmount((splitAmounts[i] as { minor: number }).minor) })),
      };
    }
    return {
      ...disc,
      paymentMethod: method,
      ...(method === "CASH" && tendered.kind === "amount" ? { tendered: wireAmount(tendered.minor) } : {}),
    };
  };

  const setRow = (i: 0 | 1, patch: Partial<SplitRow>) => {
    setRows((current) => {
      const next: [SplitRow, SplitRow] = [{ ...current[0] }, { ...current[1] }];
      Object.assign(next[i], patch);
      // The second amount follows the first (the rest of the bill) until the cashier types it.
      if (i === 0 && patch.text !== undefined && !secondTouched && total !== null) {
        const first = parseAmountInput(patch.text);
        if (first.kind === "amount" && first.minor <= total) next[1].text = wireAmount(total - first.minor);
      }
      return next;
    });
    if (i === 1 && patch.text !== undefined) setSecondTouched(true);
  };

  return (
    <Dialog title={tr("cashier.confirmTitle", { code: order.displayCode })} onClose={onClose} testId="confirm-dialog" wide>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (ready && !confirm.isPending) confirm.mutate(body());
        }}
        className="grid gap-4 text-xl md:grid-cols-2"
      >
        <div className="flex min-w-0 flex-col gap-3">
          <fieldset className="flex min-w-0 flex-wrap gap-2">
            <legend className="mb-1 font-bold">{tr("cashier.payment")}</legend>
            {PAYMENT_METHODS.map((m) => (
              <label
                key={m}
                className={`min-h-14 flex-1 cursor-pointer content-center rounded-xl border-2 text-center font-bold ${!split && method === m ? "border-sky-400 bg-sky-400/20" : "border-white/20"}`}
              >
                <input
                  type="radio"
                  name="payment"
                  value={m}
                  checked={!split && method === m}
                  onChange={() => (setMethod(m), setSplit(false))}
                  className="sr-only"
                  data-testid={`pay-${m}`}
                />
                {tr(`cashier.method.${m}`)}
              </label>
            ))}
            <button
              type="button"
              data-testid="split-toggle"
              aria-pressed={split}
              onClick={() => setSplit(!split)}
              className={`min-h-14 flex-1 rounded-xl border-2 font-bold ${split ? "border-sky-400 bg-sky-400/20" : "border-white/20"}`}
            >
              {tr("cashier.split")}
            </button>
          </fieldset>

          {!split && method === "CASH" && (
            <div className="flex flex-col gap-2">
              <label className="flex flex-col gap-1 font-bold">
                {tr("cashier.tendered")}
                <input
                  ref={tenderedRef}
                  inputMode="decimal"
                  value={tenderedText}
                  onChange={(e) => setTenderedText(e.target.value)}
                  placeholder={total === null ? "" : money(total)}
                  data-testid="tendered"
                  className="min-h-14 rounded-xl border border-white/20 bg-black/40 px-4 text-2xl"
                />
              </label>
              {total !== null && (
                <div className="flex flex-wrap gap-2">
                  {tenderedSuggestions(total).map((v) => (
                    <button
                      key={v}
                      type="button"
                      data-testid="tendered-quick"
                      onClick={() => setTenderedText(wireAmount(v))}
                      className="min-h-11 rounded-lg bg-white/10 px-3 text-lg font-bold tabular-nums"
                    >
                      {v === total ? tr("cashier.exact") : money(v)}
                    </button>
                  ))}
                </div>
              )}
            </div>
          )}

          {split && (
            <fieldset className="flex min-w-0 flex-col gap-2" data-testid="split">
              <legend className="mb-1 font-bold">{tr("cashier.splitBill")}</legend>
              {([0, 1] as const).map((i) => (
                <div key={i} className="flex gap-2">
                  <select
                    aria-label={tr("cashier.paymentMethod", { n: i + 1 })}
                    className="min-h-14 shrink-0 rounded-xl border border-white/20 bg-black/40 px-3"
                    value={rows[i].method}
                    onChange={(e) => setRow(i, { method: e.target.value as PaymentMethod })}
                    data-testid={`split-method-${i}`}
                  >
                    {PAYMENT_METHODS.map((m) => (
                      <option key={m} value={m}>
                        {tr(`cashier.method.${m}`)}
                      </option>
                    ))}
                  </select>
                  <input
                    aria-label={tr("cashier.paymentAmount", { n: i + 1 })}
                    inputMode="decimal"
                    value={rows[i].text}
                    onChange={(e) => setRow(i, { text: e.target.value })}
                    data-testid={`split-amount-${i}`}
                    className="min-h-14 w-full min-w-0 flex-1 rounded-xl border border-white/20 bg-black/40 px-4 text-2xl"
                  />
                </div>
              ))}
            </fieldset>
          )}
        </div>

        <div className="flex flex-col gap-3">
          <div className="flex flex-col gap-2">
            <label className="flex flex-col gap-1 font-bold">
              {tr("cashier.discount")} <span className="text-base font-normal text-gray-300">{tr("cashier.discountHint")}</span>
              <input
                inputMode="decimal"
                value={discountText}
                onChange={(e) => setDiscountText(e.target.value)}
                placeholder="0"
                data-testid="discount"
                className="min-h-14 rounded-xl border border-white/20 bg-black/40 px-4 text-2xl"
              />
            </label>
            <div className="flex gap-2">
              {QUICK_PERCENTS.map((p) => (
                <button
                  key={p}
                  type="button"
                  data-testid={`discount-${p}`}
                  aria-pressed={discount.kind === "percent" && discount.percent === p}
                  onClick={() => setDiscountText(discount.kind === "percent" && discount.percent === p ? "" : `${p}%`)}
                  className={`min-h-12 flex-1 rounded-lg font-black ${discount.kind === "percent" && discount.percent === p ? "bg-sky-400 text-black" : "bg-white/10"}`}
                >
                  {p} %
                </button>
              ))}
            </div>
          </div>
          <dl className="grid grid-cols-2 gap-x-2 gap-y-0.5 text-lg">
            <dt>{tr("cashier.subtotal")}</dt>
            <dd className="text-right tabular-nums">{money(cents(order.subTotal))}</dd>
            {cents(order.surcharge) > 0 && (
              <>
                <dt>{tr("cashier.surcharge")}</dt>
                <dd className="text-right tabular-nums">{money(cents(order.surcharge))}</dd>
              </>
            )}
            <dt>{discount.kind === "percent" ? tr("cashier.discountPercent", { percent: discount.percent }) : tr("cashier.discount")}</dt>
            <dd className="text-right tabular-nums" data-testid="confirm-discount">
              {discountMinor > 0 && discountMinor <= gross ? `−${money(discountMinor)}` : money(0)}
            </dd>
            <dt className="text-2xl font-black">{tr("cashier.total")}</dt>
            <dd className="text-right text-3xl font-black tabular-nums" data-testid="confirm-total">
              {total === null ? "—" : money(total)}
            </dd>
            {change !== null && (
              <>
                <dt className="text-2xl font-black text-green-300">{tr("cashier.changeDue")}</dt>
                <dd className="text-right text-3xl font-black text-green-300 tabular-nums" data-testid="change">
                  {money(change)}
                </dd>
              </>
            )}
          </dl>
        </div>

        <div className="flex flex-col gap-3 md:col-span-2">
          {problems.length > 0 && (
            <ul
              role="alert"
              data-testid="confirm-problem"
              className="rounded-xl border-2 border-amber-400 bg-amber-950 px-3 py-2 text-lg font-bold"
            >
              {problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          )}
          {confirm.error && (
            <p role="alert" data-testid="confirm-error" className="rounded-xl bg-red-950 px-3 py-2 text-red-100">
              {confirm.error.message}
            </p>
          )}
          <QuickSoldOut order={order} partnerSlug={partnerSlug} />
          <div className="flex gap-3">
            <button type="button" onClick={onClose} className="min-h-14 flex-1 rounded-xl bg-white/10 font-bold">
              {tr("cashier.back")} <kbd className="text-base text-gray-400">Esc</kbd>
            </button>
            <button
              ref={submitRef}
              type="submit"
              disabled={!ready || confirm.isPending}
              data-testid="confirm-submit"
              className="min-h-14 flex-[2] rounded-xl bg-blue-500 font-black text-white disabled:opacity-40"
            >
              {ready && total !== null ? tr("cashier.confirmAmount", { amount: money(total) }) : tr("cashier.confirm")}{" "}
              <kbd className="text-base text-blue-100">Enter</kbd>
            </button>
          </div>
        </div>
      </form>
    </Dialog>
  );
}

/**
 * One tap 86s a dish of this order until the end of the day (the cut-over brings it back), one
 * more tap brings it back — the guest asks for salmon, the kitchen has none left. The header's
 * "Sold out" panel has the whole menu and "until I turn it back".
 */
function QuickSoldOut({ order, partnerSlug }: { order: OrderDto; partnerSlug: string | null }) {
  const tr = useT();
  const queryClient = useQueryClient();
  const menu = useQuery(staffMenuQuery(partnerSlug));
  const dishes = useMemo(() => [...new Map(order.orderItems.map((i) => [i.foodId, i.name])).entries()], [order.orderItems]);
  const toggle = useMutation({
    mutationFn: ({ foodId, available }: { foodId: string; available: boolean }) =>
      postJson(`/api/foods/${encodeURIComponent(foodId)}/availability`, available ? { available } : { available, until: "end-of-day" }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: menuKeys.all }),
  });
  if (!partnerSlug) return null;
  return (
    <div className="flex flex-wrap items-center gap-2 text-lg" data-testid="quick-86">
      <span className="text-gray-300">{tr("cashier.quick86")}</span>
      {dishes.map(([foodId, name]) => {
        const food = menu.data?.foods.find((f) => f.id === foodId);
        const out = food ? !food.available : false;
        return (
          <button
            key={foodId}
            type="button"
            data-testid="quick-86-dish"
            data-name={name}
            data-available={!out}
            disabled={!food || toggle.isPending}
            onClick={() => toggle.mutate({ foodId, available: out })}
            className={`min-h-11 rounded-full px-4 font-bold disabled:opacity-40 ${out ? "bg-orange-500 text-black line-through" : "bg-white/10"}`}
          >
            {out ? tr("cashier.quick86Back", { name }) : tr("cashier.quick86Dish", { name })}
          </button>
        );
      })}
      {toggle.error && (
        <span role="alert" className="text-red-300">
          {toggle.error.message}
        </span>
      )}
    </div>
  );
}
