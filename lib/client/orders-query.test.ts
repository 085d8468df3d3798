import { QueryClient } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import type { OrderDto } from "../orders/dto";
import { applyTicketEvent, applyTicketEventToCache, ordersQuery, type OrdersSnapshot } from "./orders-query";

const order = (id: number, status = "CONFIRMED") => ({ id, status, displayCode: `A0${id}` }) as unknown as OrderDto;
const snapshot: OrdersSnapshot = { orders: [order(1)], lastEventId: 10, snapshotId: 10, epoch: "e1" };

describe("applyTicketEvent", () => {
  it("adds a new ticket and moves the position", () => {
    const next = applyTicketEvent(snapshot, { id: 11, event: "ticket-created", data: order(2) });
    expect(next.orders.map((o) => o.id)).toEqual([1, 2]);
    expect(next.lastEventId).toBe(11);
  });

  it("replaces a ticket by id in place", () => {
    const next = applyTicketEvent(snapshot, { id: 12, event: "ticket-updated", data: order(1, "READY") });
    expect(next.orders).toEqual([order(1, "READY")]);
  });

  it("ignores events the snapshot already reflects (snapshot + tail)", () => {
    expect(applyTicketEvent(snapshot, { id: 10, event: "ticket-updated", data: order(1, "READY") })).toBe(snapshot);
    expect(applyTicketEvent(snapshot, { id: 3, event: "ticket-created", data: order(9) })).toBe(snapshot);
  });

  it("control frames without ids change nothing", () => {
    expect(applyTicketEvent(snapshot, { id: null, event: "connected", data: {} })).toBe(snapshot);
  });
});

describe("the query cache follows the stream through setQueryData", () => {
  it("updates the cached snapshot under the factory's key", () => {
    const client = new QueryClient();
    const filter = { status: ["CONFIRMED", "PREPARING"] };
    client.setQueryData(ordersQuery(filter).queryKey, snapshot);
    applyTicketEventToCache(client, filter, { id: 11, event: "ticket-created", data: order(2) });
    applyTicketEventToCache(client, filter, { id: 12, event: "ticket-updated", data: order(2, "PREPARING") });
    const cached = client.getQueryData(ordersQuery(filter).queryKey)!;
    expect(cached.lastEventId).toBe(12);
    expect(cached.orders.map((o) => [o.id, o.status])).toEqual([
      [1, "CONFIRMED"],
      [2, "PREPARING"],
    ]);
    // Another filter's cache is untouched.
    expect(client.getQueryData(ordersQuery({}).queryKey)).toBeUndefined();
  });
});
