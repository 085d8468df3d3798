import { ValidationError } from "../errors";
import { INT4_MAX, MAX_AMOUNT_MINOR, formatMoney, parseMoney } from "./money";

/**
 * Settling a bill at confirmation (issue "Cashier and back office" item 1): the discount (an
 * amount or a percent of the bill), then how it is paid — one method, or a split over several
 * whose amounts sum to the total — and for cash what was tendered and the change. Pure and
 * shared: the server refuses with a 400 naming the field, the cashier screen computes the same
 * figures before the tap (app/cashier), so what it shows is what is stored.
 */
export const PAYMENT_METHODS = ["CASH", "CARD", "OTHER"] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** One payment of an order, minor units. `tendered`/`change` only for cash, when the cashier typed it. */
export type PaymentRecord = { method: string; amount: number; tendered: number | null; change: number | null };

/** The most payments one bill may be split into. */
export const MAX_SPLIT = 4;
/** A percent discount has at most two decimals ("12.5" %). */
export const MAX_PERCENT = 100;

export type SettleInput = {
  paymentMethod?: PaymentMethod;
  /** A decimal amount ("2.5"), or … */
  discount?: string;
  /** … a percent of the bill (subTotal + surcharge), 0–100. */
  discountPercent?: number;
  /** Cash handed over for a single CASH payment (decimal string). */
  tendered?: string;
  /** A split bill: 2–4 payments whose amounts sum to the total. */
  payments?: readonly { method: PaymentMethod; amount: string; tendered?: string }[];
};

export type Settlement = { discount: number; total: number; paymentMethod: PaymentMethod; payments: PaymentRecord[] };

/** A percent of `bill` (minor units), rounded to the nearest cent. */
export function percentOf(bill: number, percent: number): number {
  return Math.round((bill * Math.round(percent * 100)) / 10_000);
}

/** Whether `percent` is a discount Pass accepts: 0–100 with at most two decimals. */
export function isValidPercent(percent: number): boolean {
  return Number.isFinite(percent) && percent >= 0 && percent <= MAX_PERCENT && Math.abs(percent * 100 - Math.round(percent * 100)) < 1e-6;
}

export function settle(bill: { subTotal: number; surcharge: number }, input: SettleInput): Settlement {
  const gross = bill.subTotal + bill.surcharge;
  let discount = 0;
  if (input.discount !== undefined && input.discountPercent !== undefined) {
    throw new ValidationError("discountPercent", "send discount or discountPercent, not both");
  }
  if (input.discountPercent !== undefined) {
    if (!isValidPercent(input.discountPercent)) {
      throw new ValidationError("discountPercent", "must be a percent from 0 to 100 with at most 2 decimals", { max: MAX_PERCENT });
    }
    discount = percentOf(gross, input.discountPercent);
  } else if (input.discount !== undefined) {
    discount = parseMoney(input.discount, "discount", INT4_MAX);
  }
  if (discount > gross) {
    throw new ValidationError("discount", `must not exceed the bill (subTotal + surcharge = ${formatMoney(gross)})`, {
      max: formatMoney(gross),
    });
  }
  const total = gross - discount;

  if (input.payments === undefined) {
    if (!input.paymentMethod) throw new ValidationError("paymentMethod", "required: CASH, CARD or OTHER (or a split in payments)");
    const payment = cashPayment(input.paymentMethod, total, input.tendered, "tendered");
    return { discount, total, paymentMethod: input.paymentMethod, payments: [payment] };
  }

  const split = input.payments;
  if (split.length < 2 || split.length > MAX_SPLIT) {
    throw new ValidationError("payments", `a split bill has 2 to ${MAX_SPLIT} payments; one method is paymentMethod alone`);
  }
  if (input.tendered !== undefined) {
    throw new ValidationError("tendered", "with a split bill, give the cash payment its own tendered");
  }
  const payments = split.map((p, i) => {
    const amount = parseMoney(p.amount, `payments.${i}.amount`, INT4_MAX);
    if (amount === 0) throw new ValidationError(`payments.${i}.amount`, "must be more than 0");
    return cashPayment(p.method, amount, p.tendered, `payments.${i}.tendered`);
  });
  const sum = payments.reduce((s, p) => s + p.amount, 0);
  if (sum !== total) {
    throw new ValidationError("payments", `the payments sum to ${formatMoney(sum)}, the total is ${formatMoney(total)}`, {
      sum: formatMoney(sum),
      total: formatMoney(total),
    });
  }
  if (input.paymentMethod && !split.some((p) => p.method === input.paymentMethod)) {
    throw new ValidationError("paymentMethod", "must be one of the split's methods (or left out)");
  }
  return { discount, total, paymentMethod: input.paymentMethod ?? split[0]!.method, payments };
}

/** A payment of `amount`; cash may say what was tendered (at least the amount) and gets the change. */
function cashPayment(method: PaymentMethod, amount: number, tendered: string | undefined, field: string): PaymentRecord {
  if (tendered === undefined) return { method, amount, tendered: null, change: null };
  if (method !== "CASH") throw new ValidationError(field, "only a cash payment has an amount tendered");
  // Like any amount a client sends, at most 99,999.99 (or the amount itself, for a bigger bill).
  const given = parseMoney(tendered, field, Math.max(MAX_AMOUNT_MINOR, amount));
  if (given < amount) {
    throw new ValidationError(field, `must be at least the amount due (${formatMoney(amount)})`, { min: formatMoney(amount) });
  }
  return { method, amount, tendered: given, change: given - amount };
}
