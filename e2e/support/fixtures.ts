/**
 * Playwright fixtures and API helpers shared by the specs. Import `test` and `expect` from here:
 *
 *   test("…", async ({ staff, adminPage, menu }) => { const order = await placeOrder(staff, { customer: "Ada" }); });
 *
 * The helpers take an APIRequestContext and, for a server a spec started itself, its `base`
 * origin; without `base` they talk to the configured server (playwright.config.ts).
 */
import { test as baseTest, expect, type APIRequestContext, type Page } from "@playwright/test";
import { E2E_ADMIN_PASSWORD } from "../../playwright.config";

export { expect };

export type MenuFood = { id: string; name: string; station: string; price: string; category: string; modifierGroupIds?: string[] };
export type MenuGroup = { id: string; name: string; min: number; max: number; options: { id: string; name: string; available: boolean }[] };
export type Menu = { partner: { name: string }; foods: MenuFood[]; modifierGroups?: MenuGroup[] };

/**
 * The least a line of `foodId` must choose: the first available options of each required group
 * (the demo's burgers need a "Doneness"). Empty when the food has no required group.
 */
export function requiredModifiers(menu: Menu, foodId: string): { groupId: string; optionIds: string[] }[] {
  const food = menu.foods.find((f) => f.id === foodId);
  return (food?.modifierGroupIds ?? [])
    .map((id) => menu.modifierGroups?.find((g) => g.id === id))
    .filter((g): g is MenuGroup => !!g && g.min > 0)
    .map((g) => ({
      groupId: g.id,
      optionIds: g.options
        .filter((o) => o.available)
        .slice(0, g.min)
        .map((o) => o.id),
    }));
}
export type CreatedOrder = {
  id: number;
  displayCode: string;
  trackingToken: string;
  status: string;
  subTotal: string;
  surcharge: string;
  total: string;
};
export type ConfirmedOrder = CreatedOrder & { ticketNumber: number };

/** Who places an order: a guest (no session, as from a QR code), the signed-in staff of `request`, or a bearer token. */
export type OrderAuth = "guest" | "staff" | { token: string };

export type PlaceOrderOptions = {
  /** Origin of a server the spec started itself (`http://127.0.0.1:PORT`); default the configured one. */
  base?: string;
  /** Default "guest". */
  as?: OrderAuth;
  /** Partner slug; default "demo". */
  partner?: string;
  /** Lines by menu index (wrapping around) or food name; default one of the first food. */
  items?: { food: number | string; quantity?: number; notes?: string; course?: number }[];
  /** The partner's menu, when the caller already has it; fetched otherwise. */
  menu?: Menu;
  customer?: string;
  table?: string;
  source?: string;
  priority?: "NORMAL" | "HIGH";
  /** A scheduled order: when the guest expects it (its lines fire at promisedAt − the longest prep). */
  promisedAt?: string;
  serviceType?: "dine-in" | "takeaway" | "delivery" | "pickup";
  allergies?: { codes: string[]; note?: string };
};

/** The configured server's origin, as staff writes must send it in Origin. */
export function configuredOrigin(): string {
  return baseTest.info().project.use.baseURL!;
}

/** Signs `request` (and every page of its browser context) in; asserts 200. */
export async function signIn(
  request: APIRequestContext,
  { base: origin = "", username = "admin", password = E2E_ADMIN_PASSWORD }: { base?: string; username?: string; password?: string } = {},
) {
  const res = await request.post(`${origin}/api/auth/login`, { data: { username, password } });
  expect(res.status()).toBe(200);
}

export async function fetchMenu(request: APIRequestContext, { base: origin = "", partner = "demo" } = {}): Promise<Menu> {
  const res = await request.get(`${origin}/api/menu?partner=${partner}`);
  expect(res.status()).toBe(200);
  return (await res.json()) as Menu;
}

function authHeaders(as: OrderAuth, origin: string): Record<string, string> {
  if (as === "guest") return { cookie: "" };
  if (as === "staff") return { origin };
  return { authorization: `Bearer ${as.token}` };
}

/** The one "menu, then POST /api/orders": resolves foods on the partner's menu, asserts 201. */
export async function placeOrder(request: APIRequestContext, options: PlaceOrderOptions = {}): Promise<CreatedOrder> {
  const { base: origin = "", as = "guest", partner = "demo", items = [{ food: 0 }], menu: given, ...fields } = options;
  const menu = given ?? (await fetchMenu(request, { base: origin, partner }));
  const foodId = (food: number | string) => {
    const found = typeof food === "number" ? menu.foods[food % menu.foods.length] : menu.foods.find((f) => f.name === food);
    if (!found) throw new Error(`no food ${JSON.stringify(food)} on ${partner}'s menu`);
    return found.id;
  };
  const res = await request.post(`${origin}/api/orders`, {
    data: {
      partner,
      ...fields,
      items: items.map(({ food, quantity = 1, notes, course }) => {
        const id = foodId(food);
        const modifiers = requiredModifiers(menu, id);
        return { foodId: id, quantity, notes, ...(course ? { course } : {}), ...(modifiers.length ? { modifiers } : {}) };
      }),
    },
    headers: authHeaders(as, origin || configuredOrigin()),
  });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as CreatedOrder;
}

/** Confirms an order as the signed-in staff of `request`; asserts 200. */
export async function confirmOrder(
  request: APIRequestContext,
  id: number,
  { base: origin = "", paymentMethod = "CARD" }: { base?: string; paymentMethod?: "CARD" | "CASH" | "OTHER" } = {},
): Promise<ConfirmedOrder> {
  const res = await request.post(`${origin}/api/orders/${id}/confirm`, {
    data: { paymentMethod },
    headers: { origin: origin || configuredOrigin() },
  });
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()) as ConfirmedOrder;
}

/** A station's action on an order (start | bump | recall | undo) as the signed-in staff of `request`; asserts 200. */
export async function stationAction(
  request: APIRequestContext,
  id: number,
  station: string,
  action: "start" | "bump" | "recall" | "undo",
  { base: origin = "" }: { base?: string } = {},
) {
  const res = await request.post(`${origin}/api/orders/${id}/stations/${station}/${action}`, {
    data: {},
    headers: { origin: origin || configuredOrigin() },
  });
  expect(res.status(), await res.text()).toBe(200);
  return res.json();
}

/** Cancels an order a spec left open, so the next spec's station screens start empty; asserts 200. */
export async function cancelOrder(request: APIRequestContext, id: number, { base: origin = "" }: { base?: string } = {}) {
  const res = await request.post(`${origin}/api/orders/${id}/status`, {
    data: { status: "CANCELLED", reason: "end of the test" },
    headers: { origin: origin || configuredOrigin() },
  });
  expect(res.status(), await res.text()).toBe(200);
}

type Fixtures = {
  /** The configured server's origin. */
  origin: string;
  /** The test's browser context's API client, signed in as the admin; `page` shares the session. */
  staff: APIRequestContext;
  /** `page`, signed in as the admin. */
  adminPage: Page;
  /** The demo partner's menu on the configured server. */
  menu: Menu;
};

export const test = baseTest.extend<Fixtures>({
  origin: async ({ baseURL }, use) => {
    await use(baseURL!);
  },
  staff: async ({ context }, use) => {
    await signIn(context.request);
    await use(context.request);
  },
  adminPage: async ({ page, staff }, use) => {
    void staff; // signed in through the page's own context
    await use(page);
  },
  menu: async ({ request }, use) => {
    await use(await fetchMenu(request));
  },
});
