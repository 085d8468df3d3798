import { queryOptions, type QueryClient } from "@tanstack/react-query";
import type { OrderDto } from "../orders/dto";
import type { StreamEvent } from "./live-stream";

/**
 * Server state of the order screens. The query factory owns the keys; the stream keeps the
 * cached snapshot current with setQueryData, and only a failed replay refetches it.
 */
/** `snapshotId`: the log position the list was loaded at (streams start there); `lastEventId` moves with events. */
export type OrdersSnapshot = { orders: OrderDto[]; lastEventId: number; snapshotId: number; epoch: string };
export type OrdersFilter = { status?: readonly string[]; partner?: string };

export const orderKeys = {
  all: ["orders"] as const,
  list: (filter: OrdersFilter) => ["orders", "list", filter] as const,
};

export function ordersQuery(filter: OrdersFilter = {}) {
  return queryOptions({
    queryKey: orderKeys.list(filter),
    queryFn: async ({ signal }): Promise<OrdersSnapshot> => {
      const params = new URLSearchParams();
      if (filter.status?.length) params.set("status", filter.status.join(","));
      if (filter.partner) params.set("partner", filter.partner);
      const res = await fetch(`/api/orders${params.size ? `?${params}` : ""}`, { signal, cache: "no-store", credentials: "same-origin" });
      if (!res.ok) throw new Error(`orders: HTTP ${res.status}`);
      const body = (await res.json()) as Omit<OrdersSnapshot, "snapshotId">;
      return { ...body, snapshotId: body.lastEventId };
    },
    // Kept current by the stream; refetched only when the stream says it cannot replay.
    staleTime: Infinity,
    gcTime: Infinity,
  });
}

/**
 * A kitchen-channel event applied to a snapshot, pure: tickets carry the full order, so an
 * event replaces (or adds) the order by id. Events at or below the snapshot's position are
 * already in it and change nothing.
 */
export function applyTicketEvent(snapshot: OrdersSnapshot, event: StreamEvent): OrdersSnapshot {
  if (event.id === null || event.id <= snapshot.lastEventId) return snapshot;
  if (event.event !== "ticket-created" && event.event !== "ticket-updated") return { ...snapshot, lastEventId: event.id };
  const order = event.data as OrderDto;
  const at = snapshot.orders.findIndex((o) => o.id === order.id);
  const orders = at === -1 ? [...snapshot.orders, order] : snapshot.orders.map((o, i) => (i === at ? order : o));
  return { ...snapshot, orders, lastEventId: event.id };
}

/** Streams call this for each event; the screen re-renders from the cache. */
export function applyTicketEventToCache(queryClient: QueryClient, filter: OrdersFilter, event: StreamEvent): void {
  queryClient.setQueryData(ordersQuery(filter).queryKey, (snapshot) => (snapshot ? applyTicketEvent(snapshot, event) : snapshot));
}

/** Puts the current state of one order into a snapshot (replacing it by id), pure. */
export function upsertOrder(snapshot: OrdersSnapshot, order: OrderDto, eventId: number | null): OrdersSnapshot {
  const at = snapshot.orders.findIndex((o) => o.id === order.id);
  const orders = at === -1 ? [...snapshot.orders, order] : snapshot.orders.map((o, i) => (i === at ? order : o));
  return { ...snapshot, orders, lastEventId: Math.max(snapshot.lastEventId, eventId ?? 0) };
}

export async function fetchOrder(id: number): Promise<OrderDto> {
  const res = await fetch(`/api/orders/${id}`, { cache: "no-store", credentials: "same-origin" });
  if (!res.ok) throw new Error(`order ${id}: HTTP ${res.status}`);
  return (await res.json()) as OrderDto;
}

/**
 * Channels whose payloads do not carry the whole order (cashier, partner) refresh it after an
 * event: fetch its current state and keep it unless a later event for the same order overtook
 * this fetch. Returns the function a screen calls per event.
 */
export function orderRefresher(queryClient: QueryClient, filter: OrdersFilter) {
  const newest = new Map<number, number>();
  return (orderId: number, eventId: number) => {
    newest.set(orderId, Math.max(newest.get(orderId) ?? 0, eventId));
    void fetchOrder(orderId).then(
      (order) => {
        if ((newest.get(orderId) ?? 0) > eventId) return;
        queryClient.setQueryData(ordersQuery(filter).queryKey, (s) => (s ? upsertOrder(s, order, eventId) : s));
      },
      () => undefined, // the next event or a reset brings it
    );
  };
}
