import { useQuery } from "@tanstack/react-query";
import { DEFAULT_MONEY_STYLE, type MoneyStyle } from "../money-format";
import { partnersQuery, type StaffPartner } from "./menu-query";

/**
 * How a staff screen writes a partner's amounts: the partner list (GET /api/partners) carries
 * each restaurant's currency and locale, so an admin's screen showing several restaurants
 * writes each order in its own. Until the list is loaded, the default style.
 */
export function usePartnerStyles(): {
  styleOf(partnerId: string | undefined): MoneyStyle;
  partnerOf(partnerId: string | undefined): StaffPartner | undefined;
  /** The restaurant's time zone for its clock times; undefined (the screen's own) until the list is loaded. */
  timeZoneOf(partnerId: string | undefined): string | undefined;
} {
  const partners = useQuery(partnersQuery);
  const list = partners.data?.partners ?? [];
  const partnerOf = (id: string | undefined) => list.find((p) => p.id === id);
  return {
    partnerOf,
    timeZoneOf: (id) => partnerOf(id)?.timezone,
    styleOf: (id) => {
      const p = partnerOf(id);
      return p?.currency && p.locale ? { currency: p.currency, locale: p.locale } : DEFAULT_MONEY_STYLE;
    },
  };
}

export type AmountInput =
  | { kind: "empty" }
  | { kind: "amount"; minor: number }
  | { kind: "percent"; percent: number }
  | { kind: "invalid"; reason: string; code: AmountProblem };

/** Why an amount was refused: the screens say it in the partner's language (lib/i18n `cashier.amount.*`). */
export type AmountProblem = "notPercent" | "percentOver" | "formatPercent" | "format";

/**
 * What a cashier typed as an amount: "2", "2.5", "2,50" (either decimal mark, whatever the
 * locale), or with `percent` allowed "10%" / "10 %". Never NaN: anything else is `invalid`
 * with a reason to show.
 */
export function parseAmountInput(text: string, { percent = false } = {}): AmountInput {
  const t = text.trim().replace(/\s+/g, "");
  if (t === "") return { kind: "empty" };
  const pct = /^(\d{1,3}(?:[.,]\d{1,2})?)%$/.exec(t);
  if (pct) {
    if (!percent) return { kind: "invalid", code: "notPercent", reason: "type an amount, not a percent" };
    const value = Number(pct[1]!.replace(",", "."));
    if (value > 100) return { kind: "invalid", code: "percentOver", reason: "a percent is at most 100 %" };
    return { kind: "percent", percent: value };
  }
  const m = /^(\d{1,7})(?:[.,](\d{1,2}))?$/.exec(t);
  if (!m)
    return percent
      ? { kind: "invalid", code: "formatPercent", reason: "type an amount like 2.50 or a percent like 10%" }
      : { kind: "invalid", code: "format", reason: "type an amount like 20 or 12.50" };
  return { kind: "amount", minor: Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0")) };
}

/** Minor units as the wire's decimal string ("2.5"): what the API reads (lib/orders/money.ts parseMoney). */
export const wireAmount = (minor: number) => (minor / 100).toFixed(2).replace(/\.?0+$/, "") || "0";
