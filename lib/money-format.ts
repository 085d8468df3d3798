/**
 * How an amount is shown to people (screens, slips, receipts): the restaurant's currency and
 * locale through Intl.NumberFormat (issue "Cashier and back office" item 3). The wire keeps its
 * own decimal strings (lib/orders/money.ts formatMoney, docs/contracts.md#conventions); this is
 * only for display. Pure, so the browser and the server (ESC/POS slips) share it.
 */
export type MoneyStyle = { currency: string; locale: string };

export const DEFAULT_MONEY_STYLE: MoneyStyle = { currency: "USD", locale: "en-US" };

const formatters = new Map<string, Intl.NumberFormat>();

/** One formatter per (locale, currency): building one costs far more than using it. */
export function moneyFormatter({ currency, locale }: MoneyStyle): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, { style: "currency", currency });
    formatters.set(key, f);
  }
  return f;
}

/** An amount in major units: a wire decimal string ("11.5") or a number; minor units via displayMinor. */
export function displayMoney(amount: string | number, style: MoneyStyle = DEFAULT_MONEY_STYLE): string {
  const n = typeof amount === "number" ? amount : Number(amount);
  if (!Number.isFinite(n)) throw new RangeError(`not an amount: ${String(amount)}`);
  return moneyFormatter(style).format(n);
}

export const displayMinor = (minor: number, style: MoneyStyle = DEFAULT_MONEY_STYLE): string => displayMoney(minor / 100, style);

/** Whether Intl knows the currency code (ISO 4217, three letters) — for validating a setting. */
export function isKnownCurrency(code: string): boolean {
  if (!/^[A-Z]{3}$/.test(code)) return false;
  return (Intl.supportedValuesOf("currency") as string[]).includes(code);
}

/** Whether the locale is a well-formed BCP 47 tag Intl supports for number formats. */
export function isKnownLocale(tag: string): boolean {
  try {
    const [canonical] = Intl.getCanonicalLocales(tag);
    return canonical !== undefined && Intl.NumberFormat.supportedLocalesOf([canonical]).length === 1;
  } catch {
    return false;
  }
}
