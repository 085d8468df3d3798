import type { AllergenCode } from "../menu/allergens";
import type { LineModifier } from "./dto";
import { formatMoney } from "./money";

/**
 * A table's shared cart as Pass holds it (money in minor units) and as the event log stores it
 * (lib/orders/carts.ts): every cart event carries the whole cart after its change.
 */
export const CART_STATES = ["OPEN", "SUBMITTED", "EXPIRED"] as const;
export type CartState = (typeof CART_STATES)[number];

/** One phone at the table. */
export type CartMemberRecord = { id: string; name: string; number: number };

export type CartItemRecord = {
  id: string;
  foodId: string;
  name: string;
  quantity: number;
  unitPrice: number;
  unitSurcharge: number;
  total: number;
  notes: string | null;
  modifiers: LineModifier[];
  allergens: AllergenCode[];
  /** The phone that added the line (null once that member is unknown). */
  addedBy: CartMemberRecord | null;
  /** Bumped by every change to the line: the later change wins and every phone shows it. */
  version: number;
};

export type CartRecord = {
  id: number;
  partnerId: string;
  table: string;
  state: CartState;
  /** Bumped by every change: a phone keeps the cart with the highest version it has seen. */
  version: number;
  openedAt: string;
  touchedAt: string;
  /** When an untouched cart is abandoned (touchedAt + the idle limit). */
  expiresAt: string;
  submittedAt: string | null;
  expiredAt: string | null;
  subTotal: number;
  surcharge: number;
  total: number;
  itemCount: number;
  members: CartMemberRecord[];
  items: CartItemRecord[];
};

/** What a cart event did, and which phone did it (shown as "Guest 2 added Fries"). */
export type CartChange = {
  kind: "opened" | "joined" | "renamed" | "added" | "changed" | "removed" | "submitted" | "expired";
  by: CartMemberRecord | null;
  itemId?: string;
  name?: string;
};

/** The cart on the wire (REST and the phones' `view=cart` stream): money as decimal strings, as everywhere. */
export function toCartDto(c: CartRecord) {
  return {
    id: c.id,
    table: c.table,
    state: c.state,
    version: c.version,
    openedAt: c.openedAt,
    updatedAt: c.touchedAt,
    expiresAt: c.expiresAt,
    submittedAt: c.submittedAt,
    expiredAt: c.expiredAt,
    subTotal: formatMoney(c.subTotal),
    surcharge: formatMoney(c.surcharge),
    total: formatMoney(c.total),
    itemCount: c.itemCount,
    members: c.members,
    items: c.items.map((i) => ({
      id: i.id,
      foodId: i.foodId,
      name: i.name,
      quantity: i.quantity,
      unitPrice: formatMoney(i.unitPrice + i.unitSurcharge),
      total: formatMoney(i.total),
      notes: i.notes,
      modifiers: i.modifiers.map((m) => ({
        ...m,
        options: m.options.map((o) => ({ ...o, priceDelta: formatMoney(o.priceDelta) })),
      })),
      allergens: i.allergens,
      addedBy: i.addedBy,
      version: i.version,
    })),
  };
}

export type CartDto = ReturnType<typeof toCartDto>;
