/** Small builders for tests: a partner with a menu, users and tokens, through the real lib code. */
import { createDeviceToken, createUser, type Principal, type StreamFormat, type TokenRole, type UserRole } from "../auth";
import type { Db } from "../db";
import { createPartner, listFoods, type FoodSeed } from "../menu";
import { confirmOrder, createOrder, type ConfirmInput, type CreateOrderInput } from "../orders";

export const TEST_MENU: FoodSeed[] = [
  { name: "Margherita", price: 1250, surcharge: 50, category: "Pizza", station: "oven" },
  { name: "Fries", price: 450, category: "Sides", station: "fryer" },
  { name: "Lemonade", price: 350, category: "Drinks", station: "bar" },
];

export async function makePartner(
  db: Db,
  slug: string,
  opts: Pick<Parameters<typeof createPartner>[0], "timezone" | "cutoverHour" | "currency" | "locale" | "defaultPaymentMethod"> = {},
) {
  const partner = await createPartner({ db, slug, name: `Partner ${slug}`, foods: TEST_MENU, ...opts });
  const foods = await listFoods({ db, partnerId: partner.id, onlyAvailable: false });
  const food = (name: string) => {
    const found = foods.find((f) => f.name === name);
    if (!found) throw new Error(`no food '${name}' on ${slug}'s test menu`);
    return found;
  };
  return { partner, foods, food };
}

export async function makeUser(
  db: Db,
  {
    partnerId,
    role,
    username,
    password = "fixture-pass-4821",
  }: { partnerId: string | null; role: UserRole; username: string; password?: string },
) {
  const user = await createUser({ db, partnerId, role, username, password });
  const principal: Principal = { kind: "user", userId: user.id, username, role, partnerId: user.partnerId };
  return { user, principal, password };
}

export async function makeToken(
  db: Db,
  { partnerId, role, channels, streamFormat }: { partnerId: string; role: TokenRole; channels?: string[]; streamFormat?: StreamFormat },
) {
  return createDeviceToken({ db, partnerId, role, channels, streamFormat });
}

export type TestPartner = Awaited<ReturnType<typeof makePartner>>;

export type TestOrderSpec = {
  /** Lines by food name on the partner's TEST_MENU; default two Margherita. */
  items?: { food: string; quantity?: number; notes?: string | null; course?: number }[];
  /** Who places it; default null (a guest, source "qr"). */
  principal?: Principal | null;
  now?: Date;
} & Omit<CreateOrderInput, "partner" | "items">;

/** Places an order for `partner` through lib/orders (createOrder), with sensible defaults. */
export function placeOrder(db: Db, partner: TestPartner, { items, principal = null, now, ...input }: TestOrderSpec = {}) {
  return createOrder({
    db,
    principal,
    now,
    input: {
      ...input,
      partner: partner.partner.slug,
      items: (items ?? [{ food: "Margherita", quantity: 2 }]).map(({ food, quantity = 1, notes, course }) => ({
        foodId: partner.food(food).id,
        quantity,
        ...(notes !== undefined ? { notes } : {}),
        ...(course !== undefined ? { course } : {}),
      })),
    },
  });
}

/** Places an order (see placeOrder) and confirms it as `by`; returns the confirmed order. */
export async function placeConfirmedOrder(
  db: Db,
  partner: TestPartner,
  by: Principal,
  { paymentMethod = "CASH", discount, ...spec }: TestOrderSpec & Partial<ConfirmInput> = {},
) {
  const { order } = await placeOrder(db, partner, spec);
  return confirmOrder({ db, principal: by, id: order.id, input: { paymentMethod, ...(discount !== undefined ? { discount } : {}) } });
}
