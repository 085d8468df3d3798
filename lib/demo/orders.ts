/**
 * What the demo service orders (issue "Cashier and back office" item 4): a lunch rush at a
 * diner, as the public menu (GET /api/menu) offers it. Each order is a POST /api/orders body:
 * a main most of the time, often a side and a drink, sometimes a dessert; every required
 * modifier group chosen (burgers need their Doneness), optional extras now and then; notes, an
 * allergy on about one order in twelve, RUSH on one in twenty; counter, kiosk, QR at a table and
 * delivery, each with a fitting service type; one in fifteen scheduled for later. Pure: `random`
 * is given, so tests can replay a seed.
 */
export type DemoMenu = {
  foods: { id: string; name: string; category: string; available: boolean; modifierGroupIds?: string[] }[];
  modifierGroups?: { id: string; min: number; max: number; options: { id: string; available: boolean }[] }[];
};

export type DemoOrderBody = {
  partner: string;
  source: "counter" | "kiosk" | "qr" | "delivery";
  serviceType: "dine-in" | "takeaway" | "delivery" | "pickup";
  customer?: string;
  table?: string;
  priority?: "HIGH";
  promisedAt?: string;
  allergies?: { codes: string[]; note?: string };
  items: { foodId: string; quantity: number; notes?: string; modifiers?: { groupId: string; optionIds: string[] }[] }[];
};

const NAMES = [
  "Ada",
  "Linus",
  "Grace",
  "Alan",
  "Margaret",
  "Ken",
  "Barbara",
  "Dennis",
  "Frances",
  "Edsger",
  "Radia",
  "Tim",
  "Sophie",
  "Niklaus",
];
const LINE_NOTES = ["no ice", "sauce on the side", "cut in half", "no salt please", "extra napkins", "no pickles"];
const ALLERGY_CODES = ["gluten", "milk", "peanuts", "nuts", "eggs", "sesame", "mustard"];

const MAINS = new Set(["burgers", "mains", "salads"]);
const SIDES = new Set(["sides"]);
const DRINKS = new Set(["drinks"]);
const DESSERTS = new Set(["desserts"]);

type Random = () => number;
const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
const chance = (random: Random, p: number) => random() < p;

function shuffled<T>(random: Random, list: readonly T[]): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export function demoOrder({
  menu,
  partner,
  random = Math.random,
  now = new Date(),
}: {
  menu: DemoMenu;
  partner: string;
  random?: Random;
  now?: Date;
}): DemoOrderBody {
  const foods = menu.foods.filter((f) => f.available);
  if (foods.length === 0) throw new Error("the demo menu has no available dish");
  const groups = new Map((menu.modifierGroups ?? []).map((g) => [g.id, g]));
  const inCategory = (set: Set<string>) => foods.filter((f) => set.has(f.category.toLowerCase()));
  const mains = inCategory(MAINS);

  const chosen: { food: (typeof foods)[number]; quantity: number }[] = [];
  const add = (list: typeof foods, quantity = 1) => {
    if (list.length > 0) chosen.push({ food: pick(random, list), quantity });
  };
  const people = chance(random, 0.3) ? 2 : 1;
  for (let p = 0; p < people; p++) {
    if (mains.length === 0 || chance(random, 0.9)) add(mains.length ? mains : foods);
    if (chance(random, 0.5)) add(inCategory(SIDES));
    if (chance(random, 0.6)) add(inCategory(DRINKS), chance(random, 0.2) ? 2 : 1);
    if (chance(random, 0.15)) add(inCategory(DESSERTS));
  }
  if (chosen.length === 0) add(foods);

  const items = chosen.map(({ food, quantity }) => {
    const modifiers: { groupId: string; optionIds: string[] }[] = [];
    for (const id of food.modifierGroupIds ?? []) {
      const g = groups.get(id);
      if (!g) continue;
      const open = g.options.filter((o) => o.available);
      // Required groups always (a burger's Doneness); optional ones now and then.
      const want = g.min > 0 ? g.min : chance(random, 0.3) ? Math.min(g.max, 1 + Math.floor(random() * 2)) : 0;
      if (want === 0 || open.length < want) continue;
      modifiers.push({
        groupId: g.id,
        optionIds: shuffled(random, open)
          .slice(0, want)
          .map((o) => o.id),
      });
    }
    const notes = chance(random, 0.12) ? pick(random, LINE_NOTES) : undefined;
    return { foodId: food.id, quantity, ...(notes ? { notes } : {}), ...(modifiers.length ? { modifiers } : {}) };
  });

  const roll = random();
  const source: DemoOrderBody["source"] = roll < 0.35 ? "counter" : roll < 0.6 ? "kiosk" : roll < 0.85 ? "qr" : "delivery";
  const serviceType: DemoOrderBody["serviceType"] =
    source === "delivery"
      ? "delivery"
      : source === "qr"
        ? "dine-in"
        : pick(random, source === "counter" ? (["takeaway", "dine-in", "pickup"] as const) : (["dine-in", "takeaway"] as const));
  const body: DemoOrderBody = { partner, source, serviceType, items };
  if (source === "qr") body.table = String(1 + Math.floor(random() * 20));
  if (source !== "qr" || chance(random, 0.5)) body.customer = pick(random, NAMES);
  if (chance(random, 1 / 12)) {
    const codes = shuffled(random, ALLERGY_CODES).slice(0, 1 + Math.floor(random() * 2));
    body.allergies = chance(random, 0.4) ? { codes, note: "severe — please take care" } : { codes };
  }
  if (chance(random, 0.05)) body.priority = "HIGH";
  else if ((serviceType === "takeaway" || serviceType === "pickup") && chance(random, 0.22)) {
    // About one order in fifteen (takeaway and pickup are ~30 %), collected in 25–45 minutes: held until its fire time (promisedAt − the longest prep).
    body.promisedAt = new Date(now.getTime() + (25 + Math.floor(random() * 21)) * 60_000).toISOString();
  }
  return body;
}
