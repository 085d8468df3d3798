/** Small builders for tests: a partner with a menu, users and tokens, through the real lib code. */
import { createDeviceToken, createUser, type Principal, type TokenRole, type UserRole } from "../auth";
import type { Db } from "../db";
import { createPartner, listFoods, type FoodSeed } from "../orders";

export const TEST_MENU: FoodSeed[] = [
  { name: "Margherita", price: 1250, surcharge: 50, category: "Pizza", station: "oven" },
  { name: "Fries", price: 450, category: "Sides", station: "fryer" },
  { name: "Lemonade", price: 350, category: "Drinks", station: "bar" },
];

export async function makePartner(db: Db, slug: string, opts: { timezone?: string; cutoverHour?: number } = {}) {
  const partner = await createPartner({ db, slug, name: `Partner ${slug}`, foods: TEST_MENU, ...opts });
  const foods = await listFoods({ db, partnerId: partner.id, onlyAvailable: false });
  const food = (name: string) => foods.find((f) => f.name === name)!;
  return { partner, foods, food };
}

export async function makeUser(
  db: Db,
  {
    partnerId,
    role,
    username,
    password = "password123",
  }: { partnerId: string | null; role: UserRole; username: string; password?: string },
) {
  const user = await createUser({ db, partnerId, role, username, password });
  const principal: Principal = { kind: "user", userId: user.id, username, role, partnerId: user.partnerId };
  return { user, principal, password };
}

export async function makeToken(db: Db, { partnerId, role, channels }: { partnerId: string; role: TokenRole; channels?: string[] }) {
  return createDeviceToken({ db, partnerId, role, channels });
}
