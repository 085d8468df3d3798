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
