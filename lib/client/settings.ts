import { queryOptions } from "@tanstack/react-query";
import type { DeviceRow } from "../auth/devices";
import type { UserRow } from "../auth/users-admin";
import type { PartnerProfile } from "../orders/partner-profile";
import { ApiError, postJson, sendJson } from "./api";

/**
 * The back office's server state (/settings, issue "Cashier and back office" item 2): the
 * restaurant's profile, its users and its devices, each refetched after a write. A 400 names its
 * field in `details.field` (lib/client/menu.ts `fieldErrors` puts the message under that input).
 */
export type { DeviceRow, PartnerProfile, UserRow };

export const settingsKeys = {
  profile: (partner: string) => ["settings", partner, "profile"] as const,
  users: (partner: string) => ["settings", partner, "users"] as const,
  devices: (partner: string) => ["settings", partner, "devices"] as const,
};

const seg = (s: string) => encodeURIComponent(s);

async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(url, { signal, cache: "no-store", credentials: "same-origin" });
  const json = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, json?.error?.message ?? `HTTP ${res.status}`, json?.error?.details);
  return json as T;
}

export const profileQuery = (partner: string) =>
  queryOptions({
    queryKey: settingsKeys.profile(partner),
    queryFn: ({ signal }) => getJson<PartnerProfile>(`/api/partners/${seg(partner)}`, signal),
    enabled: partner !== "",
  });

export const usersQuery = (partner: string) =>
  queryOptions({
    queryKey: settingsKeys.users(partner),
    queryFn: async ({ signal }) => (await getJson<{ users: UserRow[] }>(`/api/partners/${seg(partner)}/users`, signal)).users,
    enabled: partner !== "",
  });

export const devicesQuery = (partner: string) =>
  queryOptions({
    queryKey: settingsKeys.devices(partner),
    queryFn: async ({ signal }) => (await getJson<{ devices: DeviceRow[] }>(`/api/partners/${seg(partner)}/devices`, signal)).devices,
    enabled: partner !== "",
    // "Last seen" moves while the page is open.
    refetchInterval: 30_000,
  });

export type IssuedDevice = { id: string; name: string; role: string; channels: string[]; token: string };

export const settingsApi = {
  updateProfile: (partner: string, patch: Record<string, unknown>) =>
    sendJson<PartnerProfile>("PATCH", `/api/partners/${seg(partner)}`, patch),
  addUser: (partner: string, input: { username: string; role: string; password: string }) =>
    postJson<UserRow>(`/api/partners/${seg(partner)}/users`, input),
  updateUser: (id: string, patch: { role?: string; password?: string; disabled?: boolean }) =>
    sendJson<UserRow>("PATCH", `/api/users/${seg(id)}`, patch),
  issueDevice: (partner: string, input: { name: string; role: string }) =>
    postJson<IssuedDevice>(`/api/partners/${seg(partner)}/devices`, input),
  revokeDevice: (id: string) => sendJson<{ id: string; revoked: boolean }>("DELETE", `/api/devices/${seg(id)}`),
  renameDevice: (id: string, name: string) => sendJson<{ id: string; name: string }>("PATCH", `/api/devices/${seg(id)}`, { name }),
  claimPairing: (partner: string, input: { code: string; role: string; station: string | null; name: string }) =>
    postJson<{ role: string; station: string | null; name: string; path: string }>(`/api/partners/${seg(partner)}/pairings`, input),
};
