/**
 * The menu file (lib/menu/transfer.ts) on SQLite and PostgreSQL: the shipped demo menu imports
 * and exports back to itself; an import replaces a menu in one transaction with its events and
 * old orders still read their archived dishes; a malformed file reports every error with its JSON
 * path and writes nothing; only the partner's operator (or an admin) may import.
 */
import { beforeAll, describe, expect, it } from "vitest";
import demoMenu from "./demo-menu.json";
import { DEMO_MENU } from "../bootstrap";
import { logPosition, readEvents } from "../events/log";
import { describeEachDatabase } from "../testing/each-database";
import { makePartner, makeUser, placeOrder, type TestPartner } from "../testing/fixtures";
import { getOrder } from "../orders";
import { createPartner } from "./partners";
import { exportMenu, importMenu, jsonPath, MenuFileInvalid, validateMenuFile } from "./transfer";

const MENU_TABLES = ["stations", "categories", "foods", "modifierGroups", "modifierOptions", "foodModifierGroups"] as const;

describe("the shipped demo menu", () => {
  it("is a valid menu file with the 15 dishes, names and prices of DEMO_MENU", () => {
    expect(validateMenuFile(demoMenu).errors).toEqual([]);
    expect(demoMenu.foods.map((f) => f.name)).toEqual(DEMO_MENU.map((f) => f.name));
    expect(demoMenu.foods).toHaveLength(15);
    expect(DEMO_MENU.map((f) => [f.name, f.price, f.surcharge ?? 0, f.station])).toEqual([
      ["Classic Burger", 1150, 0, "grill"],
      ["Cheeseburger", 1250, 0, "grill"],
      ["Veggie Burger", 1100, 0, "grill"],
      ["Grilled Chicken", 1390, 50, "grill"],
      ["Fries", 450, 0, "fryer"],
      ["Sweet Potato Fries", 550, 0, "fryer"],
      ["Onion Rings", 500, 0, "fryer"],
      ["Chicken Wings", 890, 0, "fryer"],
      ["Lemonade", 350, 0, "bar"],
      ["Iced Tea", 320, 0, "bar"],
      ["Milkshake", 590, 0, "bar"],
      ["Espresso", 250, 0, "bar"],
      ["Caesar Salad", 950, 0, "cold"],
      ["Greek Salad", 900, 0, "cold"],
      ["Cheesecake", 650, 0, "cold"],
    ]);
    for (const f of demoMenu.foods) {
      expect(f.description, f.name).toBeTruthy();
      expect(f.prepMinutes, f.name).toBeGreaterThan(0);
    }
    const doneness = demoMenu.modifierGroups.find((g) => g.name === "Doneness")!;
    expect(doneness).toMatchObject({ min: 1, max: 1 });
    expect(doneness.options.map((o) => o.name)).toEqual(["Medium", "Well done"]);
    const extras = demoMenu.modifierGroups.find((g) => g.name === "Extras")!;
    expect(extras).toMatchObject({ min: 0, max: 3 });
    expect(extras.options.map((o) => [o.name, o.priceDelta])).toEqual(
      expect.arrayContaining([
        ["Extra cheese", "1"],
        ["Bacon", "1.5"],
        ["No onions", "0"],
      ]),
    );
    expect(demoMenu.modifierGroups.find((g) => g.name === "Side")!.options[0]).toMatchObject({ name: "Side of fries", station: "fryer" });
    expect(demoMenu.foods.find((f) => f.name === "Cheeseburger")!.modifierGroups).toEqual(["doneness", "extras", "side"]);
    expect(demoMenu.foods.find((f) => f.name === "Lemonade")!.modifierGroups).toEqual(["size"]);
  });

  it("writes JSON paths the way the errors name them", () => {
    expect(jsonPath(["foods", 3, "modifierGroups", 0])).toBe("foods[3].modifierGroups[0]");
    expect(jsonPath(["format"])).toBe("format");
    expect(jsonPath([])).toBe("(file)");
  });
});

describeEachDatabase("menu import / export", (t) => {
  let op: Awaited<ReturnType<typeof makeUser>>;
  let otherOp: Awaited<ReturnType<typeof makeUser>>;
  let chef: Awaited<ReturnType<typeof makeUser>>;
  let old: TestPartner;

  async function snapshot() {
    const tables: Record<string, string[]> = {};
    for (const table of MENU_TABLES)
      tables[table] = (
        await t.db
          .selectFrom(table as "foods")
          .selectAll()
          .execute()
      )
        .map((r) => JSON.stringify(r))
        .sort();
    return { lastEventId: (await logPosition({ db: t.db })).lastEventId, tables };
  }

  beforeAll(async () => {
    old = await makePartner(t.db, "copy");
    await createPartner({ db: t.db, slug: "fresh", name: "Fresh" });
    op = await makeUser(t.db, { partnerId: old.partner.id, role: "operator", username: "op" });
    chef = await makeUser(t.db, { partnerId: old.partner.id, role: "kitchen", username: "chef" });
    const other = await createPartner({ db: t.db, slug: "elsewhere", name: "Elsewhere" });
    otherOp = await makeUser(t.db, { partnerId: other.id, role: "operator", username: "op2" });
  });

  it("import → export round-trips the demo menu exactly, with one food.created per dish", async () => {
    const { lastEventId } = await logPosition({ db: t.db });
    const summary = await importMenu(t.db, null, "fresh", demoMenu);
    expect(summary).toEqual({
      partner: "fresh",
      stations: { created: 4, updated: 0 },
      categories: 6,
      modifierGroups: demoMenu.modifierGroups.length,
      options: demoMenu.modifierGroups.reduce((n, g) => n + g.options.length, 0),
      foods: 15,
      archived: { categories: 0, modifierGroups: 0, foods: 0 },
    });
    const partner = (await t.db.selectFrom("partners").select("id").where("slug", "=", "fresh").executeTakeFirstOrThrow())!;
    expect(await exportMenu(t.db, partner.id)).toEqual(demoMenu);
    const events = await readEvents({ db: t.db, afterId: lastEventId, limit: 1000 });
    expect(events.filter((e) => e.type === "food.created").map((e) => (e.payload as any).food.name)).toEqual(
      demoMenu.foods.map((f) => f.name),
    );
    expect(events.filter((e) => e.type === "menu.changed").map((e) => `${(e.payload as any).entity} ${(e.payload as any).action}`)).toEqual(
      [
        ...demoMenu.stations.map(() => "station created"),
        ...demoMenu.categories.map(() => "category created"),
        ...demoMenu.modifierGroups.map(() => "group created"),
      ],
    );
    expect(new Set(events.map((e) => e.partnerId))).toEqual(new Set([partner.id]));
    // What was imported can be ordered: a Cheeseburger needs its Doneness.
    const catalog = await exportMenu(t.db, partner.id);
    expect(catalog.foods[1]!.modifierGroups[0]).toBe("doneness");
  });

  it("importing replaces a menu: the old dishes are archived (old orders still read them), stations kept", async () => {
    const { order } = await placeOrder(t.db, old, { items: [{ food: "Margherita", quantity: 1 }] });
    const { lastEventId } = await logPosition({ db: t.db });
    const summary = await importMenu(t.db, op.principal, "copy", demoMenu);
    expect(summary.archived).toEqual({ categories: 3, modifierGroups: 0, foods: 3 });
    // grill and cold are new; fryer and bar existed (TEST_MENU) and take the file's prep targets.
    expect(summary.stations).toEqual({ created: 2, updated: 2 });
    const exported = await exportMenu(t.db, old.partner.id);
    // The file's stations first, then the partner's own ("oven", which only old dishes use).
    expect(exported.stations.map((s) => s.key)).toEqual(["grill", "fryer", "bar", "cold", "oven"]);
    expect({ ...exported, stations: exported.stations.slice(0, 4) }).toEqual(demoMenu);
    const events = await readEvents({ db: t.db, afterId: lastEventId, limit: 1000 });
    expect(
      events
        .filter((e) => e.type === "food.archived")
        .map((e) => (e.payload as any).food.name)
        .sort(),
    ).toEqual(["Fries", "Lemonade", "Margherita"]);
    expect(events.filter((e) => e.type === "food.created")).toHaveLength(15);
    const again = await getOrder({ db: t.db, principal: op.principal, id: order.id });
    expect(again.orderItems[0]).toMatchObject({ name: "Margherita", foodId: old.food("Margherita").id });
    expect(await t.db.selectFrom("foods").select("archived").where("id", "=", old.food("Margherita").id).executeTakeFirstOrThrow()).toEqual(
      { archived: 1 },
    );
  });

  it("a malformed file reports every error with its JSON path and writes nothing", async () => {
    const bad = structuredClone(demoMenu) as any;
    bad.foods[3].modifierGroups = ["Sauce"];
    bad.foods[0].allergens = ["gluten", "nutz"];
    bad.foods[1].station = "wok";
    bad.foods[2].category = "Pasta";
    bad.foods[4].price = "4.555";
    bad.foods[5].name = "Fries";
    bad.modifierGroups[0].min = 3;
    bad.modifierGroups[1].options[0].priceDelta = "-1.001";
    bad.modifierGroups[2].options[0].station = "wok";
    bad.modifierGroups.push({ key: "coupon", name: "Coupon", min: 0, max: 1, options: [{ name: "Free", priceDelta: "-50" }] });
    bad.foods[6].modifierGroups = ["coupon"];
    bad.stations.push({ key: "grill", name: "Grill again", prepMinutes: null });
    bad.categories.push({ name: "burgers" });
    const before = await snapshot();
    const err = await importMenu(t.db, op.principal, "copy", bad).catch((e) => e);
    expect(err).toBeInstanceOf(MenuFileInvalid);
    expect(err.status).toBe(400);
    expect(err.errors).toEqual([
      { path: "stations[4].key", message: "station 'grill' is listed twice" },
      { path: "categories[6].name", message: "category 'burgers' is listed twice" },
      { path: "modifierGroups[0].min", message: "must not exceed max (1)" },
      { path: "modifierGroups[0].min", message: "the group has only 2 option(s)" },
      { path: "modifierGroups[1].options[0].priceDelta", message: expect.stringContaining("decimal") },
      { path: "modifierGroups[2].options[0].station", message: "unknown station 'wok' (list it under \"stations\")" },
      { path: "foods[0].allergens[1]", message: "unknown allergen 'nutz' (one of the EU 14)" },
      { path: "foods[1].station", message: "unknown station 'wok' (list it under \"stations\")" },
      { path: "foods[2].category", message: "unknown category 'Pasta' (list it under \"categories\")" },
      { path: "foods[3].modifierGroups[0]", message: "unknown group 'Sauce'" },
      { path: "foods[4].price", message: expect.stringContaining("decimal") },
      { path: "foods[5].name", message: "food 'Fries' is listed twice" },
      { path: "foods[6].modifierGroups", message: "the options can make 'Onion Rings' cost less than nothing (-45)" },
    ]);
    expect(err.details.field).toBe("stations[4].key");
    expect(err.message).toContain("13 error(s)");
    expect(await snapshot()).toEqual(before);
  });

  it("a file of the wrong shape: every zod error with its path, nothing written", async () => {
    const before = await snapshot();
    const wrong = {
      format: "other",
      version: 2,
      categories: "Burgers",
      foods: [
        { name: "", category: "x", station: "grill", price: 5, extra: 1 },
        { name: "a\u0000b", category: "x", station: "g", price: "1", prepMinutes: 1.5 },
      ],
    };
    const err = await importMenu(t.db, null, "copy", wrong).catch((e) => e);
    expect(err).toBeInstanceOf(MenuFileInvalid);
    const paths = err.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "format",
        "version",
        "categories",
        "foods[0].name",
        "foods[0].price",
        "foods[0]",
        "foods[1].name",
        "foods[1].prepMinutes",
      ]),
    );
    expect(err.errors.find((e: any) => e.path === "foods[0]").message).toContain("extra");
    for (const input of [null, 42, "menu", [], {}]) {
      const e = await importMenu(t.db, null, "copy", input).catch((x) => x);
      expect(e, JSON.stringify(input)).toBeInstanceOf(MenuFileInvalid);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("only the partner's operator or an admin imports: another partner 404, the kitchen 403, nothing written", async () => {
    const before = await snapshot();
    await expect(importMenu(t.db, otherOp.principal, "copy", demoMenu)).rejects.toMatchObject({
      status: 404,
      details: { field: "partner" },
    });
    await expect(importMenu(t.db, chef.principal, "copy", demoMenu)).rejects.toMatchObject({ status: 403 });
    await expect(importMenu(t.db, null, "nowhere", demoMenu)).rejects.toMatchObject({ status: 404, details: { field: "partner" } });
    expect(await snapshot()).toEqual(before);
  });

  it("group references by a unique name work; an ambiguous name is an error", async () => {
    const file = {
      format: "pass-menu",
      version: 1,
      stations: [{ key: "grill", name: "Grill" }],
      categories: [{ name: "Mains" }],
      modifierGroups: [
        { name: "Size", min: 0, max: 1, options: [{ name: "Large", priceDelta: "1" }] },
        { key: "size-pizza", name: "Size", min: 0, max: 1, options: [{ name: "Family", priceDelta: "5" }] },
        { name: "Sauce", min: 0, max: 1, options: [{ name: "Hot" }] },
      ],
      foods: [
        { name: "Steak", category: "mains", station: "grill", price: "20", modifierGroups: ["Sauce", "size-pizza"] },
        { name: "Chop", category: "Mains", station: "grill", price: "15", modifierGroups: ["Size"] },
      ],
    };
    expect(validateMenuFile(file).errors).toEqual([
      { path: "foods[1].modifierGroups[0]", message: "group name 'Size' is ambiguous (2 groups): use a key" },
    ]);
    file.foods[1]!.modifierGroups = ["Sauce"];
    expect(validateMenuFile(file).errors).toEqual([]);
  });
});
