import type { OrderDto } from "../orders/dto";

/**
 * A scheduled order (issue "Station workflow" item 6) as the cashier shows it, pure: when the
 * guest expects it ("for 19:30"), and when its lines fire in the kitchen — still to come
 * ("fires 19:05", from the DTO's `fireAt`) or done ("fired 19:05", the earliest part fired).
 */
export type Schedule = { promisedAt: string; fireAt: string | null; firedAt: string | null; held: boolean };

export function scheduleOf(order: Pick<OrderDto, "promisedAt" | "fireAt" | "orderItems">): Schedule | null {
  if (!order.promisedAt) return null;
  const fired = order.orderItems.flatMap((i) => (i.parts ?? []).map((p) => p.firedAt)).filter((t): t is string => Boolean(t));
  const firedAt = fired.sort()[0] ?? null; // ISO strings sort as times
  return { promisedAt: order.promisedAt, fireAt: order.fireAt, firedAt, held: firedAt === null };
}

/**
 * "19:30" on the day of `now`, "Tue 19:30" on another day (24-hour clock). `timeZone`: the
 * restaurant's (GET /api/partners `timezone`); without it, the screen's own.
 */
export function clockTime(iso: string, now: Date = new Date(), timeZone?: string): string {
  const at = new Date(iso);
  const time = at.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone });
  const day = (d: Date) => d.toLocaleDateString("en-GB", { timeZone });
  if (day(at) === day(now)) return time;
  return `${at.toLocaleDateString("en-GB", { weekday: "short", timeZone })} ${time}`;
}

/** Scheduled orders the kitchen still has ahead or in hand, soonest promise first. */
export function scheduledOrders<T extends Pick<OrderDto, "promisedAt" | "status">>(orders: readonly T[]): T[] {
  return orders
    .filter((o) => o.promisedAt && (o.status === "CONFIRMED" || o.status === "PREPARING" || o.status === "READY"))
    .sort((a, b) => Date.parse(a.promisedAt!) - Date.parse(b.promisedAt!));
}
