import { type CartChange, type CartDto, toCartDto } from "../orders/cart-dto";
import { type DomainEvent, isCartEvent } from "../orders/events";
import type { Projected } from "./types";

/**
 * The phones at a table read their cart as Pass holds it (`/v1/orders/live?orderId=&view=cart`,
 * docs/contracts.md#carts): every change is one `cart` event with the whole cart at its version
 * and what happened (`change`: who added, changed or removed which line, who joined), so a phone
 * shows the others' lines live and keeps whichever cart has the highest version. Submitting is
 * one `submitted` event: the order's id, status and display code, and who sent it.
 */
export type CartStreamEvent = { type: "cart"; cart: CartDto; change: CartChange | null };
export type CartSubmittedEvent = {
  type: "submitted";
  orderId: number;
  status: string;
  displayCode: string;
  submittedAt: string;
  by: CartChange["by"];
};

export function cartView(event: DomainEvent): Projected {
  if (isCartEvent(event)) {
    const data: CartStreamEvent = { type: "cart", cart: toCartDto(event.payload.cart), change: event.payload.change ?? null };
    return { event: "cart", data };
  }
  if (event.type === "order.created" && event.payload.submitted) {
    const { order, submitted } = event.payload;
    const data: CartSubmittedEvent = {
      type: "submitted",
      orderId: order.id,
      status: order.status,
      displayCode: order.displayCode,
      submittedAt: submitted.at,
      by: submitted.by,
    };
    return { event: "submitted", data };
  }
  return null;
}
