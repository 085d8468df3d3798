import { ValidationError } from "../errors";

/**
 * Money is integer minor units (cents) inside Pass and a decimal string on the wire,
 * written the way seeds/003 writes it: no trailing zeros ("12.5", "25", "0.5", "0").
 */
export function formatMoney(minor: number): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`not an amount in minor units: ${minor}`);
  const sign = minor < 0 ? "-" : "";
  const abs = Math.abs(minor);
  const units = Math.floor(abs / 100);
  const cents = abs % 100;
  if (cents === 0) return `${sign}${units}`;
  return `${sign}${units}.${String(cents).padStart(2, "0").replace(/0$/, "")}`;
}

/**
 * Storage bounds. Every amount column is a 32-bit integer of minor units on PostgreSQL
 * (`integer`); SQLite would store anything, PostgreSQL answers "out of range". A price or a
 * surcharge is at most 99,999.99 and a line at most 99 of them, so a line fits comfortably;
 * an order's totals are checked against INT4_MAX when it is priced (assertTotalsFit).
 */
export const INT4_MAX = 2_147_483_647;
/** 99,999.99: the largest price, surcharge or discount a client may send. */
export const MAX_AMOUNT_MINOR = 9_999_999;
export const MAX_QUANTITY = 99;

const DECIMAL = /^(\d{1,9})(?:\.(\d{1,2}))?$/;

/** Parses a non-negative decimal string ("2", "2.5", "2.50") into minor units; `field` names it in the error. */
export function parseMoney(value: string, field: string, max = MAX_AMOUNT_MINOR): number {
  const m = DECIMAL.exec(value.trim());
  if (!m) throw new ValidationError(field, 'must be a non-negative decimal string with at most 2 decimals, e.g. "2.5"');
  const minor = Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
  if (minor > max) throw new ValidationError(field, `must be at most ${formatMoney(max)}`);
  return minor;
}

/** An order whose amounts would not fit their columns is refused, naming `field`. */
export function assertTotalsFit(totals: { subTotal: number; surcharge: number; total: number }, field = "items"): void {
  if (Math.max(totals.subTotal, totals.surcharge, totals.subTotal + totals.surcharge, totals.total) > INT4_MAX) {
    throw new ValidationError(field, `the order's total must be at most ${formatMoney(INT4_MAX)}`);
  }
}

export type LineAmounts = { unitPrice: number; unitSurcharge: number; quantity: number };

/** docs/contracts.md#conventions: item.total = (unitPrice + unitSurcharge) × quantity. */
export const lineTotal = ({ unitPrice, unitSurcharge, quantity }: LineAmounts): number => (unitPrice + unitSurcharge) * quantity;

/** docs/contracts.md#conventions: subTotal = Σ unitPrice × qty, surcharge = Σ unitSurcharge × qty, total = subTotal − discount + surcharge. */
export function orderTotals({ items, discount }: { items: LineAmounts[]; discount: number }) {
  const subTotal = items.reduce((sum, i) => sum + i.unitPrice * i.quantity, 0);
  const surcharge = items.reduce((sum, i) => sum + i.unitSurcharge * i.quantity, 0);
  return { subTotal, surcharge, discount, total: subTotal - discount + surcharge };
}

/** An option's price delta: like parseMoney, but "-0.5" is allowed ("no cheese"); bounded both ways. */
export function parseSignedMoney(value: string, field: string, max = MAX_AMOUNT_MINOR): number {
  const trimmed = value.trim();
  const negative = trimmed.startsWith("-");
  const unsigned = negative || trimmed.startsWith("+") ? trimmed.slice(1) : trimmed;
  if (!DECIMAL.test(unsigned))
    throw new ValidationError(field, 'must be a decimal string with at most 2 decimals, optionally signed, e.g. "1.5" or "-0.5"');
  const minor = parseMoney(unsigned, field, max);
  return negative ? -minor || 0 : minor;
}
