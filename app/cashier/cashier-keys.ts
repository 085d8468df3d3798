import type { OrderDto } from "@/lib/orders/dto";

/**
 * The cashier's keyboard (issue "Cashier and back office" item 1): the common path without the
 * mouse — move to the next order, confirm it cash or card (the dialog opens on that method and
 * Enter confirms), hand over the order that has been ready longest. Pure, so the legend on
 * screen and the handler read the same table.
 */
export type CashierAction = "next" | "previous" | "confirm-cash" | "confirm-card" | "cancel" | "hand-over" | "acknowledge";

export const SHORTCUTS: { keys: string[]; label: string; action: CashierAction }[] = [
  { keys: ["j", "ArrowDown", "ArrowRight"], label: "next", action: "next" },
  { keys: ["k", "ArrowUp", "ArrowLeft"], label: "previous", action: "previous" },
  { keys: ["c"], label: "confirm cash", action: "confirm-cash" },
  { keys: ["d"], label: "confirm card", action: "confirm-card" },
  { keys: ["p"], label: "hand over", action: "hand-over" },
  { keys: ["a"], label: "acknowledge", action: "acknowledge" },
  { keys: ["x"], label: "cancel", action: "cancel" },
];

/** How the legend writes a key. */
export const KEY_LABEL: Record<string, string> = { ArrowDown: "↓", ArrowUp: "↑", ArrowLeft: "←", ArrowRight: "→" };

export function cashierAction(e: Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "altKey">): CashierAction | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  return SHORTCUTS.find((s) => s.keys.includes(key))?.action ?? null;
}

/** Incoming orders: RUSH (priority HIGH) first, then oldest first. */
export function pendingOrder(a: OrderDto, b: OrderDto): number {
  if (a.priority !== b.priority) return a.priority === "HIGH" ? -1 : 1;
  return a.id - b.id;
}

/** The order P hands over: ready the longest (a RUSH first). */
export function nextHandOver(orders: readonly OrderDto[]): OrderDto | undefined {
  return orders
    .filter((o) => o.status === "READY")
    .sort((a, b) =>
      a.priority !== b.priority ? (a.priority === "HIGH" ? -1 : 1) : Date.parse(a.statusChangedAt) - Date.parse(b.statusChangedAt),
    )[0];
}

/** The hand-over button of a today row: what it says and the status it sets, or null. */
export function handOverStep(
  o: Pick<OrderDto, "status" | "source" | "serviceType">,
): { label: string; status: "PICKED_UP" | "DELIVERED" } | null {
  if (o.status === "READY") return { label: o.serviceType === "dine-in" ? "Served" : "Picked up", status: "PICKED_UP" };
  if (o.status === "PICKED_UP" && o.source === "delivery") return { label: "Delivered", status: "DELIVERED" };
  return null;
}

/** Whether the courier field shows: a delivery order still on its way. */
export const takesCourier = (o: Pick<OrderDto, "source" | "status">) =>
  o.source === "delivery" && o.status !== "DELIVERED" && o.status !== "CANCELLED";

/** The selection after a move: wraps around; an unknown or missing selection starts at the first. */
export function moveSelection(ids: readonly number[], current: number | null, step: 1 | -1): number | null {
  if (ids.length === 0) return null;
  const at = current === null ? -1 : ids.indexOf(current);
  if (at === -1) return ids[0]!;
  return ids[(at + step + ids.length) % ids.length]!;
}

/**
 * Banknotes a guest might hand over for `total` (minor units): the exact amount, then the next
 * round 5, 10, 20 and 50 above it, each once — the cashier's one-tap "tendered" buttons.
 */
export function tenderedSuggestions(total: number): number[] {
  const out = [total];
  for (const note of [500, 1000, 2000, 5000]) {
    const up = Math.ceil(total / note) * note;
    if (up > total && !out.includes(up)) out.push(up);
  }
  return out.slice(0, 4);
}
