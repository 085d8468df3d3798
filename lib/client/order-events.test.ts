import { QueryClient } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import type { OrderDto } from "../orders/dto";
import { applyOrderEvent, applyOrderEvents, menuEventOf, orderEventOf, ORDER_EVENT_TYPES, type StreamFrame } from "./order-events";
import { ordersQuery, type OrdersSnapshot } from "./orders-query";

const order = (id: number, status = "CONFIRMED", extra: Partial<OrderDto> = {}) =>
  ({ id, status, displayCode: `A0${id}`, ...extra }) as unknown as OrderDto;
const snapshot: OrdersSnapshot = { orders: [order(1), order(3)], lastEventId: 10, epoch: "e1" };
const frame = (id: number | null, type: string, o: OrderDto, extra: Record<string, unknown> = {}): StreamFrame => ({
  id,
  event: type,
  data: { type, order: o, ...extra },
});

describe("applyOrderEvent", () => {
  it("adds an order it does not hold and moves the position", () => {
    const next = applyOrderEvent(snapshot, frame(11, "order.created", order(2, "PENDING")));
    expect(next.orders.map((o) => o.id)).toEqual([1, 3, 2]);
    expect(next.lastEventId).toBe(11);
    expect(next.epoch).toBe("e1");
  });

  it("replaces an order by id, in place, with the event's whole order", () => {
    const ready = order(1, "READY", { ticketNumber: 7 } as Partial<OrderDto>);
    const next = applyOrderEvent(snapshot, frame(12, "order.status", ready, { from: "PREPARING", reason: null }));
    expect(next.orders).toEqual([ready, order(3)]);
    expect(next.orders[0]).toBe(ready);
    expect(next.orders[1]).toBe(snapshot.orders[1]);
  });

  it.each(ORDER_EVENT_TYPES)("%s carries the order", (type) => {
    const changed = order(3, "PREPARING", { kitchenAckAt: "2026-01-01T00:00:00Z" } as Partial<OrderDto>);
    const next = applyOrderEvent(snapshot, frame(20, type, changed));
    expect(next.orders.find((o) => o.id === 3)).toBe(changed);
    expect(next.lastEventId).toBe(20);
  });

  it("ignores events at or below the position (snapshot + tail, replays, a leader handover)", () => {
    expect(applyOrderEvent(snapshot, frame(10, "order.status", order(1, "READY")))).toBe(snapshot);
    expect(applyOrderEvent(snapshot, frame(3, "order.created", order(9)))).toBe(snapshot);
    // The same event twice: the second changes nothing.
    const once = applyOrderEvent(snapshot, frame(11, "order.status", order(1, "PREPARING")));
    expect(applyOrderEvent(once, frame(11, "order.status", order(1, "PREPARING")))).toBe(once);
  });

  it("control frames without ids change nothing; frames with ids only move the position", () => {
    expect(applyOrderEvent(snapshot, { id: null, event: "connected", data: { lastEventId: 99 } })).toBe(snapshot);
    expect(applyOrderEvent(snapshot, { id: null, event: "replay-failed", data: {} })).toBe(snapshot);
    // replay-start names where the replay begins (at or below us); replay-complete the log's top.
    expect(applyOrderEvent(snapshot, { id: 10, event: "replay-start", data: { missedEvents: 0 } })).toBe(snapshot);
    const top = applyOrderEvent(snapshot, { id: 40, event: "replay-complete", data: { replayedEvents: 2 } });
    expect(top.orders).toBe(snapshot.orders);
    expect(top.lastEventId).toBe(40);
  });

  it("contract-shaped frames (no `?view=pass`) are not order events", () => {
    expect(orderEventOf({ id: 11, event: "new-order", data: order(2) })).toBeNull();
    expect(orderEventOf({ id: 11, event: "order.created", data: { type: "order.created" } })).toBeNull();
    expect(applyOrderEvent(snapshot, { id: 11, event: "ticket-created", data: order(2) }).orders).toBe(snapshot.orders);
  });

  it("the kitchen's allergy tap is an order event: the order comes back with who saw it", () => {
    const seen = order(3, "CONFIRMED", {
      allergyAlert: true,
      allergyAckAt: "2026-01-01T00:02:00Z",
      allergyAckBy: "chef",
    } as Partial<OrderDto>);
    const next = applyOrderEvent(snapshot, frame(21, "order.allergy-acknowledged", seen));
    expect(next.orders.find((o) => o.id === 3)).toBe(seen);
  });

  it("menu.changed frames move the position only, and are read by menuEventOf", () => {
    const food = { id: "f1", name: "Fries", price: "4.5", available: false };
    const menu: StreamFrame = { id: 30, event: "menu.changed", data: { type: "food.updated", entity: "food", id: "f1", food } };
    const next = applyOrderEvent(snapshot, menu);
    expect(next.orders).toBe(snapshot.orders);
    expect(next.lastEventId).toBe(30);
    expect(orderEventOf(menu)).toBeNull();
    expect(menuEventOf(menu)).toEqual({ type: "food.updated", entity: "food", id: "f1", food });
    expect(menuEventOf({ id: 31, event: "menu.changed", data: { type: "menu.changed", entity: "option", id: "o1" } })).toMatchObject({
      entity: "option",
    });
    // Order frames and malformed frames are not menu events.
    expect(menuEventOf(frame(32, "order.created", order(2)))).toBeNull();
    expect(menuEventOf({ id: 33, event: "menu.changed", data: null })).toBeNull();
    expect(menuEventOf({ id: 34, event: "menu.changed", data: { id: "x" } })).toBeNull();
  });

  it("is pure: the input snapshot is never changed", () => {
    const before = structuredClone(snapshot);
    applyOrderEvent(snapshot, frame(11, "order.created", order(2)));
    applyOrderEvent(snapshot, frame(12, "order.status", order(1, "READY")));
    expect(snapshot).toEqual(before);
  });
});

describe("applyOrderEvents (a burst at once)", () => {
  const burst: StreamFrame[] = [
    frame(9, "order.status", order(1, "READY")), // at or below the position: ignored
    frame(11, "order.created", order(2, "PENDING")),
    { id: null, event: "heartbeat", data: {} },
    frame(12, "order.status", order(1, "PREPARING")),
    frame(12, "order.status", order(1, "READY")), // the same id again: ignored
    { id: 13, event: "menu.changed", data: { type: "food.updated", entity: "food", id: "f1" } },
    frame(14, "order.confirmed", order(2, "CONFIRMED")),
    frame(15, "order.created", order(4, "PENDING")),
  ];

  it("gives what applying the frames one by one gives, with each frame's order as it was before", () => {
    const folded = burst.reduce(applyOrderEvent, snapshot);
    const { snapshot: next, applied } = applyOrderEvents(snapshot, burst);
    expect(next).toEqual(folded);
    expect(next.lastEventId).toBe(15);
    expect(next.orders.map((o) => `${o.id}:${o.status}`)).toEqual(["1:PREPARING", "3:CONFIRMED", "2:CONFIRMED", "4:PENDING"]);
    expect(applied.map((a) => [a.frame.id, a.before?.status ?? null])).toEqual([
      [11, null],
      [12, "CONFIRMED"],
      [13, null],
      [14, "PENDING"],
      [15, null],
    ]);
  });

  it("returns the same snapshot when nothing is new, and never changes its input", () => {
    const before = structuredClone(snapshot);
    const stale = [frame(10, "order.status", order(1, "READY")), { id: null, event: "connected", data: {} }];
    expect(applyOrderEvents(snapshot, stale)).toEqual({ snapshot, applied: [] });
    expect(applyOrderEvents(snapshot, stale).snapshot).toBe(snapshot);
    applyOrderEvents(snapshot, burst);
    expect(snapshot).toEqual(before);
  });

  it("keeps the list object when only the position moves", () => {
    const { snapshot: next } = applyOrderEvents(snapshot, [{ id: 40, event: "replay-complete", data: { replayedEvents: 0 } }]);
    expect(next.orders).toBe(snapshot.orders);
    expect(next.lastEventId).toBe(40);
  });

  it("applies 5,000 new orders in one pass", () => {
    const many = Array.from({ length: 5_000 }, (_, i) => frame(100 + i, "order.created", order(1_000 + i, "PENDING")));
    const { snapshot: next, applied } = applyOrderEvents(snapshot, many);
    expect(next.orders).toHaveLength(5_002);
    expect(applied).toHaveLength(5_000);
    expect(next.lastEventId).toBe(5_099);
    expect(new Set(next.orders.map((o) => o.id)).size).toBe(5_002);
  });
});

describe("the query cache follows the stream", () => {
  it("a screen's snapshot under the factory's key moves with applyOrderEvent", () => {
    const client = new QueryClient();
    const filter = { status: ["CONFIRMED", "PREPARING"] };
    const key = ordersQuery(filter).queryKey;
    client.setQueryData(key, snapshot);
    const apply = (f: StreamFrame) => client.setQueryData(key, (s) => (s ? applyOrderEvent(s, f) : s));
    apply(frame(11, "order.confirmed", order(2)));
    apply(frame(12, "order.status", order(2, "PREPARING"), { from: "CONFIRMED" }));
    apply(frame(12, "order.status", order(2, "READY"))); // a duplicate id: ignored
    const cached = client.getQueryData(key)!;
    expect(cached.lastEventId).toBe(12);
    expect(cached.orders.map((o) => [o.id, o.status])).toEqual([
      [1, "CONFIRMED"],
      [3, "CONFIRMED"],
      [2, "PREPARING"],
    ]);
    // Another filter's cache is untouched.
    expect(client.getQueryData(ordersQuery({}).queryKey)).toBeUndefined();
  });
});
