"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import type { OrdersSnapshot } from "@/lib/client/orders-query";
import { AUTO_CANCEL_REASON } from "@/lib/orders/status";
const SHOW_MS = 10_000;

/**
 * On the cashier: a toast for each PENDING order the auto-cancel job cancelled ("A12 was
 * cancelled: not confirmed in time"). It watches the screen's own order lists in the query cache
 * (kept current by the stream), so it opens no connection of its own.
 */
export function AutoCancelToast() {
  const client = useQueryClient();
  const seen = useRef(new Map<number, string>());
  const [toasts, setToasts] = useState<{ id: number; code: string }[]>([]);

  useEffect(() => {
    const check = () => {
      for (const query of client.getQueryCache().findAll({ queryKey: ["orders", "list"] })) {
        const data = query.state.data as OrdersSnapshot | undefined;
        for (const o of data?.orders ?? []) {
          const before = seen.current.get(o.id);
          seen.current.set(o.id, o.status);
          if (before === "PENDING" && o.status === "CANCELLED" && o.cancelReason === AUTO_CANCEL_REASON) {
            setToasts((list) => [...list.filter((t) => t.id !== o.id), { id: o.id, code: o.displayCode }]);
            setTimeout(() => setToasts((list) => list.filter((t) => t.id !== o.id)), SHOW_MS);
          }
        }
      }
    };
    check();
    return client.getQueryCache().subscribe((event) => {
      if (event.type === "updated") check();
    });
  }, [client]);

  if (toasts.length === 0) return null;
  return (
    <div className="fixed bottom-6 left-6 z-30 grid gap-3" aria-live="polite">
      {toasts.map((t) => (
        <div
          key={t.id}
          role="status"
          data-testid="auto-cancel-toast"
          data-order-id={t.id}
          className="rounded-2xl border-4 border-red-500 bg-red-950 px-6 py-4 text-2xl font-black text-white shadow-2xl"
        >
          {t.code} was cancelled: {AUTO_CANCEL_REASON}
        </div>
      ))}
    </div>
  );
}
