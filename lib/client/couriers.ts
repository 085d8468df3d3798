import { queryOptions } from "@tanstack/react-query";
import type { CourierDelivery, CourierRecord } from "../orders/couriers";
import { ApiError, postJson, sendJson } from "./api";

/**
 * The couriers' server state: the roster in the back office (/settings, tab couriers) and the
 * courier's own phone (/courier). Types only from lib/orders/couriers.ts.
 */
export type { CourierDelivery, CourierRecord };
export type CourierMe = { courier: CourierRecord; deliveries: CourierDelivery[] };
export type IssuedCourierToken = { courierId: string; tokenId: string; token: string; path: string };

const seg = (s: string) => encodeURIComponent(s);

async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(url, { signal, cache: "no-store", credentials: "same-origin" });
  const json = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, json?.error?.message ?? `HTTP ${res.status}`, json?.error?.details);
  return json as T;
}

export const couriersKey = (partner: string) => ["settings", partner, "couriers"] as const;
export const courierMeKey = ["courier", "me"] as const;

export const couriersQuery = (partner: string) =>
  queryOptions({
    queryKey: couriersKey(partner),
    queryFn: async ({ signal }) =>
      (await getJson<{ couriers: CourierRecord[] }>(`/api/partners/${seg(partner)}/couriers`, signal)).couriers,
    enabled: partner !== "",
    // Availability and positions move while the page is open.
    refetchInterval: 15_000,
  });

/** The courier's deliveries: polled (a new assignment shows within 5 s), refetched after each tap. */
export const courierMeQuery = (initial?: CourierMe) =>
  queryOptions({
    queryKey: courierMeKey,
    queryFn: ({ signal }) => getJson<CourierMe>("/api/courier/me", signal),
    refetchInterval: 5_000,
    ...(initial ? { initialData: initial } : {}),
  });

export const couriersApi = {
  add: (partner: string, input: { name: string; phone: string }) =>
    postJson<CourierRecord>(`/api/partners/${seg(partner)}/couriers`, input),
  update: (id: string, patch: { name?: string; phone?: string; active?: boolean; available?: boolean }) =>
    sendJson<CourierRecord>("PATCH", `/api/couriers/${seg(id)}`, patch),
  issueToken: (id: string) => postJson<IssuedCourierToken>(`/api/couriers/${seg(id)}/token`, {}),
  signIn: (token: string) => postJson<CourierMe>("/api/courier/session", { token }),
  setAvailable: (available: boolean) => sendJson<CourierMe>("PATCH", "/api/courier/me", { available }),
  mark: (id: number, status: "PICKED_UP" | "DELIVERED") => postJson<CourierDelivery>(`/api/courier/deliveries/${id}`, { status }),
};
