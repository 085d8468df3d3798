import { queryOptions } from "@tanstack/react-query";
import type { OrderDto } from "../orders/dto";
import { readSnapshot } from "./offline-snapshot";

/**
 * Server state of the order screens. The query factory owns the keys; the stream keeps the
 * cached snapshot current through applyOrderEvent (./order-events), and only a failed replay
 * refetches it. `lastEventId` is the screen's stream position (see ./order-events).
 */
export type OrdersSnapshot = {
  orders: OrderDto[];
  lastEventId: number;
  epoch: string;
  /** Set when the list is the copy this page kept (Pass was unreachable): when it was saved. */
  restoredFrom?: string;
};
export type OrdersFilter = { status?: readonly string[]; partner?: string };

export const orderKeys = {
  all: ["orders"] as const,
  list: (filter: OrdersFilter) => ["orders", "list", filter] as const,
};

export function ordersQuery(filter: OrdersFilter = {}) {
  return queryOptions({
    queryKey: orderKeys.list(filter),
    queryFn: async ({ signal, queryKey }): Promise<OrdersSnapshot> => {
      const params = new URLSearchParams();
      if (filter.status?.length) params.set("status", filter.status.join(","));
      if (filter.partner) params.set("partner", filter.partner);
      // Pass unreachable (no answer, or a proxy's 502–504): the last snapshot this page kept, at
      // its position, so the stream replays what was missed when the server is back (./offline-snapshot.ts).
      const offline = () => {
        const kept = readSnapshot<OrdersSnapshot>(queryKey);
        if (!kept) return null;
        return kept;
      };
      const res = await fetch(`/api/orders${params.size ? `?${params}` : ""}`, {
        signal,
        cache: "no-store",
        credentials: "same-origin",
      }).catch((err: unknown) => {
        const kept = signal.aborted ? null : offline();
        if (kept) return kept;
        throw err;
      });
      if (!(res instanceof Response)) return res;
      if (res.status >= 502 && res.status <= 504) {
        const kept = offline();
        if (kept) return kept;
      }
      if (!res.ok) throw new Error(`orders: HTTP ${res.status}`);
      const { orders, lastEventId, epoch } = (await res.json()) as OrdersSnapshot;
      return { orders, lastEventId, epoch };
    },
    // Kept current by the stream; refetched only when the stream says it cannot replay.
    staleTime: Infinity,
    gcTime: Infinity,
  });
}
