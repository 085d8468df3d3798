import { queryOptions } from "@tanstack/react-query";
import type { OrderDto } from "../orders/dto";

/**
 * Server state of the order screens. The query factory owns the keys; the stream keeps the
 * cached snapshot current through applyOrderEvent (./order-events), and only a failed replay
 * refetches it. `lastEventId` is the screen's stream position (see ./order-events).
 */
export type OrdersSnapshot = { orders: OrderDto[]; lastEventId: number; epoch: string };
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
      const { orders, lastEventId, epoch } = (await res.json()) as OrdersSnapshot;
      return { orders, lastEventId, epoch };
    },
    // Kept current by the stream; refetched only when the stream says it cannot replay.
    staleTime: Infinity,
    gcTime: Infinity,
  });
}
