import { displayMinor, type MoneyStyle } from "@/lib/money-format";
import type { OrderDto } from "@/lib/orders/dto";

/** Today's figures from the order list, pure. Money stays in cents until shown. */
export function todaysFigures(orders: readonly OrderDto[]) {
  const live = orders.filter((o) => o.status !== "CANCELLED");
  const paid = live.filter((o) => o.status !== "PENDING");
  const revenueCents = paid.reduce((sum, o) => sum + Math.round(Number(o.total) * 100), 0);
  // Each restaurant's takings in its own currency: an admin's list may mix euros and dollars.
  const revenueByPartner = new Map<string, number>();
  for (const o of paid) revenueByPartner.set(o.partnerId, (revenueByPartner.get(o.partnerId) ?? 0) + Math.round(Number(o.total) * 100));
  // Preparation: confirmation to READY, for the orders whose current status is READY.
  const prep = orders
    .filter((o) => o.status === "READY" && o.confirmedAt)
    .map((o) => (Date.parse(o.statusChangedAt) - Date.parse(o.confirmedAt!)) / 1000)
    .sort((a, b) => a - b);
  const medianPrepS =
    prep.length === 0 ? null : prep.length % 2 ? prep[(prep.length - 1) / 2]! : (prep[prep.length / 2 - 1]! + prep[prep.length / 2]!) / 2;
  const perHour = new Array<number>(24).fill(0);
  for (const o of live) perHour[new Date(o.createdAt).getHours()]!++;
  return { orders: live.length, revenueCents, revenueByPartner, medianPrepS, perHour };
}

/** Takings per currency: "1 234,50 €", or "1 234,50 € + $80.00" when the restaurants shown mix currencies. */
export function revenueText(
  byPartner: Map<string, number>,
  styleOf: (partnerId: string | undefined) => MoneyStyle,
  firstPartnerId: string | undefined,
): string {
  const byCurrency = new Map<string, { cents: number; style: MoneyStyle }>();
  for (const [partnerId, cents] of byPartner) {
    const style = styleOf(partnerId);
    const entry = byCurrency.get(style.currency) ?? { cents: 0, style };
    entry.cents += cents;
    byCurrency.set(style.currency, entry);
  }
  if (byCurrency.size === 0) return displayMinor(0, styleOf(firstPartnerId));
  return [...byCurrency.values()].map((e) => displayMinor(e.cents, e.style)).join(" + ");
}
