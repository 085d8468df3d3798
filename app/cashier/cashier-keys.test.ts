import { describe, expect, it } from "vitest";
import type { OrderDto } from "@/lib/orders/dto";
import { cashierAction, handOverStep, moveSelection, nextHandOver, pendingOrder, takesCourier, tenderedSuggestions } from "./cashier-keys";

const key = (k: string, mods: Partial<KeyboardEvent> = {}) =>
  cashierAction({ key: k, ctrlKey: false, metaKey: false, altKey: false, ...mods });
const order = (o: Partial<OrderDto>) =>
  ({ id: 1, priority: "NORMAL", status: "PENDING", statusChangedAt: "2026-01-01T12:00:00Z", ...o }) as OrderDto;

describe("the cashier's keys", () => {
  it("J/K and the arrows move, C and D confirm cash and card, P hands over; modifiers are the browser's", () => {
    expect(["j", "J", "ArrowDown", "ArrowRight"].map((k) => key(k))).toEqual(["next", "next", "next", "next"]);
    expect(["k", "ArrowUp", "ArrowLeft"].map((k) => key(k))).toEqual(["previous", "previous", "previous"]);
    expect([key("c"), key("d"), key("p"), key("a"), key("x")]).toEqual([
      "confirm-cash",
      "confirm-card",
      "hand-over",
      "acknowledge",
      "cancel",
    ]);
    expect(key("c", { ctrlKey: true })).toBeNull();
    expect(key("r", { metaKey: true })).toBeNull();
    expect(key("q")).toBeNull();
  });

  it("the selection wraps and starts at the first", () => {
    expect(moveSelection([3, 5, 8], null, 1)).toBe(3);
    expect(moveSelection([3, 5, 8], 3, 1)).toBe(5);
    expect(moveSelection([3, 5, 8], 8, 1)).toBe(3);
    expect(moveSelection([3, 5, 8], 3, -1)).toBe(8);
    expect(moveSelection([3, 5, 8], 99, -1)).toBe(3);
    expect(moveSelection([], 3, 1)).toBeNull();
  });
});

describe("orders on the cashier", () => {
  it("RUSH first, then oldest first", () => {
    const list = [order({ id: 3 }), order({ id: 7, priority: "HIGH" }), order({ id: 1 })].sort(pendingOrder);
    expect(list.map((o) => o.id)).toEqual([7, 1, 3]);
  });

  it("P hands over the order ready the longest (a RUSH first)", () => {
    const ready = [
      order({ id: 1, status: "READY", statusChangedAt: "2026-01-01T12:05:00Z" }),
      order({ id: 2, status: "READY", statusChangedAt: "2026-01-01T12:01:00Z" }),
      order({ id: 3, status: "PREPARING", statusChangedAt: "2026-01-01T11:00:00Z" }),
    ];
    expect(nextHandOver(ready)?.id).toBe(2);
    expect(nextHandOver([...ready, order({ id: 4, status: "READY", priority: "HIGH", statusChangedAt: "2026-01-01T12:09:00Z" })])?.id).toBe(
      4,
    );
    expect(nextHandOver([ready[2]!])).toBeUndefined();
  });

  it("served for dine-in, picked up otherwise, delivered after a delivery's pickup; a courier while on its way", () => {
    expect(handOverStep({ status: "READY", source: "counter", serviceType: "dine-in" })).toEqual({ label: "Served", status: "PICKED_UP" });
    expect(handOverStep({ status: "READY", source: "kiosk", serviceType: "takeaway" })).toEqual({
      label: "Picked up",
      status: "PICKED_UP",
    });
    expect(handOverStep({ status: "PICKED_UP", source: "delivery", serviceType: "delivery" })).toEqual({
      label: "Delivered",
      status: "DELIVERED",
    });
    expect(handOverStep({ status: "PICKED_UP", source: "counter", serviceType: "dine-in" })).toBeNull();
    expect(handOverStep({ status: "CONFIRMED", source: "counter", serviceType: "dine-in" })).toBeNull();
    expect(takesCourier({ source: "delivery", status: "READY" })).toBe(true);
    expect(takesCourier({ source: "delivery", status: "DELIVERED" })).toBe(false);
    expect(takesCourier({ source: "counter", status: "READY" })).toBe(false);
  });

  it("tendered suggestions: exact, then the next round notes", () => {
    expect(tenderedSuggestions(1150)).toEqual([1150, 1500, 2000, 5000]);
    expect(tenderedSuggestions(2000)).toEqual([2000, 5000]); // a round bill: exact, or a bigger note
    expect(tenderedSuggestions(0)).toEqual([0]);
  });
});
