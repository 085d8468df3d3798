/**
 * The order lifecycle (docs/contracts.md#conventions) and the one table that maps Pass statuses to each contract's words.
 */
export const ORDER_STATUSES = ["PENDING", "CONFIRMED", "PREPARING", "READY", "PICKED_UP", "DELIVERED", "CANCELLED"] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Transitions through POST /status. PENDING → CONFIRMED happens only through confirm (it needs payment). */
const NEXT: Record<OrderStatus, readonly OrderStatus[]> = {
  PENDING: ["CANCELLED"],
  CONFIRMED: ["PREPARING", "CANCELLED"],
  PREPARING: ["READY", "CANCELLED"],
  READY: ["PICKED_UP", "PREPARING"], // READY → PREPARING is the kitchen's recall
  PICKED_UP: ["DELIVERED"],
  DELIVERED: [],
  CANCELLED: [],
};

export function canTransition({ from, to, source }: { from: OrderStatus; to: OrderStatus; source: string }): boolean {
  if (to === "DELIVERED" && source !== "delivery") return false;
  return NEXT[from].includes(to);
}

/**
 * A table's shared cart is an order row before it is placed (lib/orders/carts.ts): CREATED while
 * guests build it, EXPIRED when it was abandoned. Neither is an order staff ever see: loadOrder,
 * listOrders and every staff write skip them; submitting turns the row into a PENDING order.
 */
export const CART_STATUSES = ["CREATED", "EXPIRED"] as const;
export type CartStatus = (typeof CART_STATUSES)[number];
export const isCartStatus = (status: string): status is CartStatus => (CART_STATUSES as readonly string[]).includes(status);

export const OPEN_STATUSES: readonly OrderStatus[] = ["PENDING", "CONFIRMED", "PREPARING", "READY"];

/** Each contract's name for a Pass status (seeds/003 uses Pass's own words). */
export const STATUS_NAMES = {
  // seeds/000 OrderListDto
  partner: {
    PENDING: "RECEIVED",
    CONFIRMED: "CONFIRMED",
    PREPARING: "PREPARING",
    READY: "READY",
    PICKED_UP: "PICKED_UP",
    DELIVERED: "DELIVERED",
    CANCELLED: "CANCELLED",
  },
  // seeds/001 WebSocket order payloads (lower-case e-commerce words)
  websocket: {
    PENDING: "pending",
    CONFIRMED: "confirmed",
    PREPARING: "processing",
    READY: "ready",
    PICKED_UP: "completed",
    DELIVERED: "delivered",
    CANCELLED: "cancelled",
  },
  // seeds/002 customer stream
  customer: {
    PENDING: "PENDING",
    CONFIRMED: "CONFIRMED",
    PREPARING: "PROCESSING",
    READY: "READY",
    PICKED_UP: "PICKED_UP",
    DELIVERED: "SHIPPED",
    CANCELLED: "CANCELLED",
  },
} as const satisfies Record<string, Record<OrderStatus, string>>;

export type StatusContract = keyof typeof STATUS_NAMES;

export function statusFor<C extends StatusContract>(contract: C, status: OrderStatus): string {
  return STATUS_NAMES[contract][status];
}

/** The reason order:auto_cancel gives (lib/orders/automation.ts); the cashier's toast looks for it. */
export const AUTO_CANCEL_REASON = "not confirmed in time";
