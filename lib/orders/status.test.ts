import { describe, expect, it } from "vitest";
import { ORDER_STATUSES, STATUS_NAMES, canTransition, type OrderStatus } from "./status";

const ALLOWED: [OrderStatus, OrderStatus][] = [
  ["PENDING", "CANCELLED"],
  ["CONFIRMED", "PREPARING"],
  ["CONFIRMED", "CANCELLED"],
  ["PREPARING", "READY"],
  ["PREPARING", "CANCELLED"],
  ["READY", "PICKED_UP"],
  ["READY", "PREPARING"],
  ["PICKED_UP", "DELIVERED"],
];

describe("the order lifecycle (docs/contracts.md#status-words)", () => {
  const all = ORDER_STATUSES.flatMap((from) => ORDER_STATUSES.map((to) => [from, to] as const));
  it.each(all)("%s → %s", (from, to) => {
    const allowed = ALLOWED.some(([f, t]) => f === from && t === to);
    expect(canTransition({ from, to, source: "delivery" })).toBe(allowed);
  });

  it("DELIVERED only for delivery orders", () => {
    expect(canTransition({ from: "PICKED_UP", to: "DELIVERED", source: "counter" })).toBe(false);
    expect(canTransition({ from: "PICKED_UP", to: "DELIVERED", source: "delivery" })).toBe(true);
  });
});

describe("one mapping table for each contract's status words", () => {
  it("seeds/000 calls PENDING RECEIVED and keeps the rest", () => {
    expect(STATUS_NAMES.partner).toEqual({
      PENDING: "RECEIVED",
      CONFIRMED: "CONFIRMED",
      PREPARING: "PREPARING",
      READY: "READY",
      PICKED_UP: "PICKED_UP",
      DELIVERED: "DELIVERED",
      CANCELLED: "CANCELLED",
    });
  });

  it.each(Object.keys(STATUS_NAMES) as (keyof typeof STATUS_NAMES)[])("%s maps every status to a distinct word", (contract) => {
    const words = ORDER_STATUSES.map((s) => STATUS_NAMES[contract][s]);
    expect(new Set(words).size).toBe(ORDER_STATUSES.length);
  });
});
