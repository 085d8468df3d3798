import { DEFAULT_LOCALE, t } from "../i18n";
import { queryOptions } from "@tanstack/react-query";
import type { CategoryDto, FoodDto, GroupDto, StationDto } from "../menu/model";

/**
 * The menu as staff screens read it (GET /api/menu/manage: sold-out dishes and options
 * included), for the "Sold out" panels. Kept current by the `menu.changed` frames of the
 * screen's own `pass:` channel: on each, useOrdersStream invalidates `menuKeys.all`.
 */
export type StaffMenu = {
  partner: { id: string; slug: string; name: string; currency: string; locale: string };
  stations: StationDto[];
  categories: CategoryDto[];
  foods: FoodDto[];
  modifierGroups: GroupDto[];
};
/** GET /api/partners: each restaurant's face and how its amounts are written (lib/money-format.ts). */
export type StaffPartner = {
  id: string;
  slug: string;
  name: string;
  imageUrl?: string | null;
  currency?: string;
  locale?: string;
  /** IANA zone: a promised or fire time is the restaurant's clock, whatever the screen's own zone. */
  timezone?: string;
  defaultPaymentMethod?: "CASH" | "CARD" | "OTHER";
};

export const menuKeys = {
  all: ["menu"] as const,
  staff: (partner: string) => ["menu", "staff", partner] as const,
};

async function getJson<T>(url: string, signal: AbortSignal): Promise<T> {
  const res = await fetch(url, { signal, cache: "no-store", credentials: "same-origin" });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

export function staffMenuQuery(partner: string | null) {
  return queryOptions({
    queryKey: menuKeys.staff(partner ?? ""),
    queryFn: ({ signal }) => getJson<StaffMenu>(`/api/menu/manage?partner=${encodeURIComponent(partner!)}`, signal),
    enabled: Boolean(partner),
    staleTime: Infinity,
  });
}

/** The partners the signed-in staff may see (an admin: all of them). */
export const partnersQuery = queryOptions({
  queryKey: ["partners"] as const,
  queryFn: ({ signal }) => getJson<{ partners: StaffPartner[] }>("/api/partners", signal),
  staleTime: 5 * 60_000,
});

/** "back at 04:00" / "back Tue 04:00" for an 86 until the end of the day; "until turned back on" otherwise (in `locale`'s words). */
export function soldOutUntil(availableAgainAt: string | null, now: Date = new Date(), locale: string = DEFAULT_LOCALE): string {
  if (!availableAgainAt) return t(locale, "soldout.untilBack");
  const at = new Date(availableAgainAt);
  const time = at.toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" });
  const sameDay = at.toDateString() === now.toDateString();
  return sameDay
    ? t(locale, "soldout.backAt", { time })
    : t(locale, "soldout.backDay", { day: at.toLocaleDateString(locale, { weekday: "short" }), time });
}
