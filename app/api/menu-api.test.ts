/**
 * The menu API (issue "The menu" item 2) through its real route handlers on SQLite and
 * PostgreSQL: every create / update / archive / reorder of stations, categories, foods, modifier
 * groups and options answers as documented and appends its event (food.created|updated|archived,
 * menu.changed) with the change; operators reach only their own partner, the kitchen may 86 but
 * not edit, printer and display tokens nothing; every bad input is a 4xx naming the field with
 * nothing written; orders priced from options follow the seeds/003 formulas field by field.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { readEvents, logPosition } from "@/lib/events/log";
import type { DomainEvent } from "@/lib/orders/events";
import { cashier, printer } from "@/lib/projections/staff";
import { HEAD, NEW_ORDER_ITEM, PRINTER_ITEM } from "@/lib/testing/contract-fields";
import { describeEachDatabase } from "@/lib/testing/each-database";
import { makePartner, makeToken, makeUser, type TestPartner } from "@/lib/testing/fixtures";
import * as loginRoute from "./auth/login/route";
import * as categoriesRoute from "./categories/route";
import * as categoryRoute from "./categories/[id]/route";
import * as categoriesReorderRoute from "./categories/reorder/route";
import * as foodsRoute from "./foods/route";
import * as foodRoute from "./foods/[id]/route";
import * as foodAvailabilityRoute from "./foods/[id]/availability/route";
import * as foodsReorderRoute from "./foods/reorder/route";
import * as manageRoute from "./menu/manage/route";
import * as menuRoute from "./menu/route";
import * as groupsRoute from "./modifier-groups/route";
import * as groupRoute from "./modifier-groups/[id]/route";
import * as groupsReorderRoute from "./modifier-groups/reorder/route";
import * as optionsRoute from "./modifier-groups/[id]/options/route";
import * as optionRoute from "./modifier-groups/[id]/options/[optionId]/route";
import * as optionAvailabilityRoute from "./modifier-groups/[id]/options/[optionId]/availability/route";
import * as optionsReorderRoute from "./modifier-groups/[id]/options/reorder/route";
import * as confirmRoute from "./orders/[id]/confirm/route";
import * as ordersRoute from "./orders/route";
import * as stationsRoute from "./stations/route";
import * as stationRoute from "./stations/[id]/route";
import * as stationsReorderRoute from "./stations/reorder/route";

const ORIGIN = "http://pass.test";
type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
type As = { cookie: string } | { bearer: string } | null;
type Res = { status: number; json: any };

async function call(
  handler: unknown,
  {
    as = null,
    method = "POST",
    body,
    params = {},
    query = "",
  }: { as?: As; method?: string; body?: unknown; params?: Record<string, string>; query?: string },
): Promise<Res> {
  const headers: Record<string, string> = { host: "pass.test" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (as && "cookie" in as) Object.assign(headers, { cookie: as.cookie, origin: ORIGIN });
  if (as && "bearer" in as) headers.authorization = `Bearer ${as.bearer}`;
  const req = new Request(`${ORIGIN}/x${query}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const res = await (handler as Handler)(req, { params: Promise.resolve(params) });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

const MENU_TABLES = [
  "stations",
  "categories",
  "foods",
  "modifierGroups",
  "modifierOptions",
  "foodModifierGroups",
  "orders",
  "orderItems",
] as const;

describeEachDatabase("menu API", (t) => {
  let demo: TestPartner;
  let other: TestPartner;
  let op: As;
  let chef: As;
  let op2: As;
  let boss: As;
  let printerToken: As;
  let displayToken: As;

  async function login(username: string): Promise<As> {
    const res = await (loginRoute.POST as Handler)(
      new Request(`${ORIGIN}/api/auth/login`, { method: "POST", body: JSON.stringify({ username, password: "fixture-pass-4821" }) }),
      { params: Promise.resolve({}) },
    );
    expect(res.status).toBe(200);
    return { cookie: res.headers.get("set-cookie")!.split(";")[0]! };
  }

  /** Every menu row and order row, and the log's position: "nothing written" compares two of these. */
  async function snapshot() {
    const tables: Record<string, unknown[]> = {};
    for (const table of MENU_TABLES) {
      const rows = await t.db
        .selectFrom(table as "foods")
        .selectAll()
        .execute();
      tables[table] = rows.map((r) => JSON.stringify(r)).sort();
    }
    return { lastEventId: (await logPosition({ db: t.db })).lastEventId, tables };
  }

  async function expectRefused(run: () => Promise<Res>, status: number, field: string | null) {
    const before = await snapshot();
    const res = await run();
    expect(res.status, JSON.stringify(res.json)).toBe(status);
    expect(res.json.error.code).toEqual(expect.any(String));
    if (field !== null) expect(res.json.error.details?.field, JSON.stringify(res.json)).toBe(field);
    expect(await snapshot()).toEqual(before);
    return res;
  }

  /** Runs a change and returns its answer with the events it appended. */
  async function withEvents(run: () => Promise<Res>) {
    const { lastEventId } = await logPosition({ db: t.db });
    const res = await run();
    const events = (await readEvents({ db: t.db, afterId: lastEventId, limit: 1000 })) as unknown as (DomainEvent & { payload: any })[];
    return { res, events };
  }

  beforeAll(async () => {
    demo = await makePartner(t.db, "demo");
    other = await makePartner(t.db, "other");
    await makeUser(t.db, { partnerId: demo.partner.id, role: "operator", username: "op" });
    await makeUser(t.db, { partnerId: demo.partner.id, role: "kitchen", username: "chef" });
    await makeUser(t.db, { partnerId: other.partner.id, role: "operator", username: "op2" });
    await makeUser(t.db, { partnerId: null, role: "admin", username: "boss" });
    [op, chef, op2, boss] = [await login("op"), await login("chef"), await login("op2"), await login("boss")];
    printerToken = { bearer: (await makeToken(t.db, { partnerId: demo.partner.id, role: "printer" })).token };
    displayToken = { bearer: (await makeToken(t.db, { partnerId: demo.partner.id, role: "display" })).token };
  });

  // --- building a menu, with its events ------------------------------------------------------

  describe("create / update / archive / reorder with their events", () => {
    let station: any;
    let category: any;
    let group: any;
    let food: any;

    it("stations: create (201), rename, reorder; each a menu.changed", async () => {
      const created = await withEvents(() =>
        call(stationsRoute.POST, { as: op, body: { partner: "demo", key: "grill", name: "Grill", prepMinutes: 12 } }),
      );
      expect(created.res.status).toBe(201);
      station = created.res.json;
      expect(station).toEqual({ id: expect.any(String), key: "grill", name: "Grill", position: expect.any(Number), prepMinutes: 12 });
      expect(created.events.map((e) => [e.type, e.partnerId, e.payload])).toEqual([
        ["menu.changed", demo.partner.id, { entity: "station", action: "created", id: station.id }],
      ]);

      const renamed = await withEvents(() =>
        call(stationRoute.PATCH, { as: op, method: "PATCH", params: { id: station.id }, body: { name: "Flat grill" } }),
      );
      expect(renamed.res.status).toBe(200);
      expect(renamed.res.json).toMatchObject({ id: station.id, name: "Flat grill", prepMinutes: 12 });
      expect(renamed.events.map((e) => e.payload)).toEqual([{ entity: "station", action: "updated", id: station.id }]);

      const reordered = await withEvents(() => call(stationsReorderRoute.POST, { as: op, body: { partner: "demo", ids: [station.id] } }));
      expect(reordered.res.status).toBe(200);
      expect(reordered.res.json.ids[0]).toBe(station.id);
      expect(reordered.events.map((e) => e.payload)).toEqual([{ entity: "station", action: "reordered", id: null }]);
    });

    it("categories: create, rename (foods keep the name), reorder, archive only when empty", async () => {
      const created = await withEvents(() => call(categoriesRoute.POST, { as: op, body: { partner: "demo", name: "Burgers" } }));
      expect(created.res.status).toBe(201);
      category = created.res.json;
      expect(category).toEqual({ id: expect.any(String), name: "Burgers", position: expect.any(Number), archived: false });
      expect(created.events.map((e) => e.payload)).toEqual([{ entity: "category", action: "created", id: category.id }]);

      const renamed = await withEvents(() =>
        call(categoryRoute.PATCH, { as: op, method: "PATCH", params: { id: category.id }, body: { name: "Burgers & more" } }),
      );
      expect(renamed.res.json.name).toBe("Burgers & more");
      expect(renamed.events.map((e) => e.payload)).toEqual([{ entity: "category", action: "updated", id: category.id }]);

      const reordered = await withEvents(() =>
        call(categoriesReorderRoute.POST, { as: op, body: { partner: "demo", ids: [category.id] } }),
      );
      expect(reordered.res.json.ids[0]).toBe(category.id);
      expect(reordered.events.map((e) => e.payload)).toEqual([{ entity: "category", action: "reordered", id: null }]);

      const spare = await call(categoriesRoute.POST, { as: op, body: { partner: "demo", name: "Spare" } });
      const archived = await withEvents(() => call(categoryRoute.DELETE, { as: op, method: "DELETE", params: { id: spare.json.id } }));
      expect(archived.res).toEqual({ status: 200, json: { id: spare.json.id, archived: true } });
      expect(archived.events.map((e) => e.payload)).toEqual([{ entity: "category", action: "archived", id: spare.json.id }]);
      await expectRefused(() => call(categoryRoute.DELETE, { as: op, method: "DELETE", params: { id: spare.json.id } }), 409, "id");
      // Pizza still holds Margherita.
      const pizza = (await t.db
        .selectFrom("categories")
        .select("id")
        .where("partnerId", "=", demo.partner.id)
        .where("name", "=", "Pizza")
        .executeTakeFirstOrThrow())!;
      await expectRefused(() => call(categoryRoute.DELETE, { as: op, method: "DELETE", params: { id: pizza.id } }), 409, "id");
    });

    it("modifier groups and options: create with options, update, add / update / reorder / archive an option", async () => {
      const created = await withEvents(() =>
        call(groupsRoute.POST, {
          as: op,
          body: {
            partner: "demo",
            name: "Extras",
            min: 0,
            max: 2,
            options: [
              { name: "Extra cheese", priceDelta: "1", allergens: ["milk"] },
              { name: "No onions", priceDelta: "0" },
            ],
          },
        }),
      );
      expect(created.res.status).toBe(201);
      group = created.res.json;
      expect(group).toMatchObject({ name: "Extras", min: 0, max: 2, required: false, archived: false });
      expect(group.options.map((o: any) => [o.name, o.priceDelta, o.allergens, o.station, o.available])).toEqual([
        ["Extra cheese", "1", ["milk"], null, true],
        ["No onions", "0", [], null, true],
      ]);
      expect(created.events.map((e) => e.payload)).toEqual([{ entity: "group", action: "created", id: group.id }]);

      const updated = await withEvents(() =>
        call(groupRoute.PATCH, { as: op, method: "PATCH", params: { id: group.id }, body: { max: 3 } }),
      );
      expect(updated.res.json).toMatchObject({ id: group.id, min: 0, max: 3 });
      expect(updated.events.map((e) => e.payload)).toEqual([{ entity: "group", action: "updated", id: group.id }]);

      const added = await withEvents(() =>
        call(optionsRoute.POST, { as: op, params: { id: group.id }, body: { name: "Side of fries", priceDelta: "2.5", station: "fryer" } }),
      );
      expect(added.res.status).toBe(201);
      const fries = added.res.json.options.find((o: any) => o.name === "Side of fries");
      expect(fries).toMatchObject({ priceDelta: "2.5", station: "fryer" });
      expect(added.events.map((e) => e.payload)).toEqual([{ entity: "option", action: "created", id: fries.id }]);

      const changed = await withEvents(() =>
        call(optionRoute.PATCH, { as: op, method: "PATCH", params: { id: group.id, optionId: fries.id }, body: { priceDelta: "2" } }),
      );
      expect(changed.res.json.options.find((o: any) => o.id === fries.id).priceDelta).toBe("2");
      expect(changed.events.map((e) => e.payload)).toEqual([{ entity: "option", action: "updated", id: fries.id }]);

      const ids = [...group.options.map((o: any) => o.id)].reverse();
      const reordered = await withEvents(() => call(optionsReorderRoute.POST, { as: op, params: { id: group.id }, body: { ids } }));
      expect(reordered.res.json.options.slice(0, 2).map((o: any) => o.id)).toEqual(ids);
      expect(reordered.events.map((e) => e.payload)).toEqual([{ entity: "option", action: "reordered", id: group.id }]);

      const archived = await withEvents(() =>
        call(optionRoute.DELETE, { as: op, method: "DELETE", params: { id: group.id, optionId: fries.id } }),
      );
      expect(archived.res.json.options.map((o: any) => o.id)).not.toContain(fries.id);
      expect(archived.events.map((e) => e.payload)).toEqual([{ entity: "option", action: "archived", id: fries.id }]);
      await expectRefused(
        () => call(optionRoute.DELETE, { as: op, method: "DELETE", params: { id: group.id, optionId: fries.id } }),
        409,
        "id",
      );

      const g2 = await call(groupsRoute.POST, {
        as: op,
        body: { partner: "demo", name: "Spare", min: 0, max: 1, options: [{ name: "x" }] },
      });
      const reorderGroups = await withEvents(() =>
        call(groupsReorderRoute.POST, { as: op, body: { partner: "demo", ids: [g2.json.id, group.id] } }),
      );
      expect(reorderGroups.res.json.ids.slice(0, 2)).toEqual([g2.json.id, group.id]);
      expect(reorderGroups.events.map((e) => e.payload)).toEqual([{ entity: "group", action: "reordered", id: null }]);
      const gone = await withEvents(() => call(groupRoute.DELETE, { as: op, method: "DELETE", params: { id: g2.json.id } }));
      expect(gone.res.json).toEqual({ id: g2.json.id, archived: true });
      expect(gone.events.map((e) => e.payload)).toEqual([{ entity: "group", action: "archived", id: g2.json.id }]);
    });

    it("foods: food.created with the whole food, food.updated naming only what changed, food.archived once", async () => {
      const created = await withEvents(() =>
        call(foodsRoute.POST, {
          as: op,
          body: {
            partner: "demo",
            name: "Smash Burger",
            description: "Two thin patties",
            price: "11.5",
            categoryId: category.id,
            station: "grill",
            prepMinutes: 9,
            allergens: ["sesame", "gluten", "milk"],
            modifierGroupIds: [group.id],
          },
        }),
      );
      expect(created.res.status).toBe(201);
      food = created.res.json;
      expect(food).toEqual({
        id: expect.any(String),
        name: "Smash Burger",
        price: "11.5",
        surcharge: "0",
        category: "Burgers & more",
        station: "grill",
        available: true,
        categoryId: category.id,
        description: "Two thin patties",
        imageUrl: null,
        prepMinutes: 9,
        allergens: ["gluten", "milk", "sesame"],
        availableAgainAt: null,
        position: expect.any(Number),
        archived: false,
        modifierGroupIds: [group.id],
      });
      expect(created.events).toHaveLength(1);
      expect(created.events[0]).toMatchObject({
        type: "food.created",
        partnerId: demo.partner.id,
        orderId: null,
        payload: { food, changed: {} },
      });

      const updated = await withEvents(() =>
        call(foodRoute.PATCH, { as: op, method: "PATCH", params: { id: food.id }, body: { price: "12", name: "Smash Burger" } }),
      );
      expect(updated.res.json).toEqual({ ...food, price: "12" });
      expect(updated.events.map((e) => [e.type, e.payload])).toEqual([
        ["food.updated", { food: { ...food, price: "12" }, changed: { price: "12" } }],
      ]);

      // The pre-menu-model POST /api/foods/{id} with a category by name keeps working.
      const legacy = await withEvents(() =>
        call(foodRoute.POST, { as: op, params: { id: food.id }, body: { category: "pizza", surcharge: "0.5" } }),
      );
      expect(legacy.res.status).toBe(200);
      expect(legacy.events[0]!.payload).toMatchObject({ changed: { surcharge: "0.5", category: "Pizza", categoryId: expect.any(String) } });

      const reordered = await withEvents(() => call(foodsReorderRoute.POST, { as: op, body: { partner: "demo", ids: [food.id] } }));
      expect(reordered.res.json.ids[0]).toBe(food.id);
      expect(reordered.events.map((e) => e.payload)).toEqual([{ entity: "food", action: "reordered", id: null }]);

      const archived = await withEvents(() => call(foodRoute.DELETE, { as: op, method: "DELETE", params: { id: food.id } }));
      expect(archived.res.json).toMatchObject({ id: food.id, archived: true });
      expect(archived.events.map((e) => [e.type, e.payload.changed])).toEqual([["food.archived", { archived: true }]]);
      // Archiving a food twice: 409 naming the id, nothing written.
      await expectRefused(() => call(foodRoute.DELETE, { as: op, method: "DELETE", params: { id: food.id } }), 409, "id");
      await expectRefused(
        () => call(foodRoute.PATCH, { as: op, method: "PATCH", params: { id: food.id }, body: { price: "1" } }),
        409,
        "id",
      );
      // Off the public menu, still in the database for the orders that have it.
      const menu = await call(menuRoute.GET, { method: "GET", query: "?partner=demo" });
      expect(menu.json.foods.map((f: any) => f.id)).not.toContain(food.id);
      expect(await t.db.selectFrom("foods").select("archived").where("id", "=", food.id).executeTakeFirstOrThrow()).toEqual({
        archived: 1,
      });
    });

    it("GET /api/menu/manage shows the operator their menu, unavailable included", async () => {
      const res = await call(manageRoute.GET, { as: op, method: "GET", query: "?partner=demo" });
      expect(res.status).toBe(200);
      expect(res.json.partner.slug).toBe("demo");
      expect(res.json.stations.map((s: any) => s.key)).toEqual(expect.arrayContaining(["grill", "oven", "fryer", "bar"]));
      await expectRefused(() => call(manageRoute.GET, { as: op2, method: "GET", query: "?partner=demo" }), 404, "partner");
      // The kitchen reads it too: it 86s from its screen.
      expect((await call(manageRoute.GET, { as: chef, method: "GET", query: "?partner=demo" })).status).toBe(200);
      await expectRefused(() => call(manageRoute.GET, { method: "GET", query: "?partner=demo" }), 401, null);
    });
  });

  // --- who may do what ---------------------------------------------------------------------------

  describe("permissions", () => {
    let group: any;
    beforeAll(async () => {
      group = (
        await call(groupsRoute.POST, {
          as: op,
          body: { partner: "demo", name: "Size", min: 0, max: 1, options: [{ name: "Large", priceDelta: "1" }] },
        })
      ).json;
    });

    it("another partner's operator: its ids are 404, its slug 404 naming partner", async () => {
      const fries = demo.food("Fries").id;
      await expectRefused(
        () => call(foodRoute.PATCH, { as: op2, method: "PATCH", params: { id: fries }, body: { price: "1" } }),
        404,
        null,
      );
      await expectRefused(() => call(foodRoute.DELETE, { as: op2, method: "DELETE", params: { id: fries } }), 404, null);
      await expectRefused(
        () => call(foodAvailabilityRoute.POST, { as: op2, params: { id: fries }, body: { available: false } }),
        404,
        null,
      );
      await expectRefused(
        () => call(groupRoute.PATCH, { as: op2, method: "PATCH", params: { id: group.id }, body: { name: "x" } }),
        404,
        null,
      );
      await expectRefused(() => call(optionsRoute.POST, { as: op2, params: { id: group.id }, body: { name: "x" } }), 404, null);
      await expectRefused(
        () =>
          call(optionRoute.PATCH, {
            as: op2,
            method: "PATCH",
            params: { id: group.id, optionId: group.options[0].id },
            body: { name: "x" },
          }),
        404,
        null,
      );
      const cat = demo.food("Fries").categoryId!;
      await expectRefused(
        () => call(categoryRoute.PATCH, { as: op2, method: "PATCH", params: { id: cat }, body: { name: "x" } }),
        404,
        null,
      );
      await expectRefused(() => call(categoriesRoute.POST, { as: op2, body: { partner: "demo", name: "Mine now" } }), 404, "partner");
      await expectRefused(() => call(stationsRoute.POST, { as: op2, body: { partner: "demo", key: "wok", name: "Wok" } }), 404, "partner");
      await expectRefused(
        () => call(foodsRoute.POST, { as: op2, body: { partner: "demo", name: "x", price: "1", categoryId: cat, station: "fryer" } }),
        404,
        "partner",
      );
      await expectRefused(() => call(foodsReorderRoute.POST, { as: op2, body: { partner: "demo", ids: [fries] } }), 404, "partner");
    });

    it("reordering with another partner's ids: 400 naming ids.N", async () => {
      const own = demo.foods.map((f) => f.id);
      await expectRefused(
        () => call(foodsReorderRoute.POST, { as: op, body: { partner: "demo", ids: [own[0], other.food("Fries").id] } }),
        400,
        "ids.1",
      );
      const otherCat = other.food("Fries").categoryId!;
      await expectRefused(() => call(categoriesReorderRoute.POST, { as: op, body: { partner: "demo", ids: [otherCat] } }), 400, "ids.0");
      const otherGroup = (
        await call(groupsRoute.POST, { as: op2, body: { partner: "other", name: "Theirs", min: 0, max: 1, options: [{ name: "a" }] } })
      ).json;
      await expectRefused(
        () => call(groupsReorderRoute.POST, { as: op, body: { partner: "demo", ids: [group.id, otherGroup.id] } }),
        400,
        "ids.1",
      );
      await expectRefused(
        () => call(optionsReorderRoute.POST, { as: op, params: { id: group.id }, body: { ids: [otherGroup.options[0].id] } }),
        400,
        "ids.0",
      );
      const otherStation = (await t.db
        .selectFrom("stations")
        .select("id")
        .where("partnerId", "=", other.partner.id)
        .executeTakeFirstOrThrow())!.id;
      await expectRefused(() => call(stationsReorderRoute.POST, { as: op, body: { partner: "demo", ids: [otherStation] } }), 400, "ids.0");
      await expectRefused(() => call(foodsReorderRoute.POST, { as: op, body: { partner: "demo", ids: [own[0], own[0]] } }), 400, "ids.1");
    });

    it("the kitchen may 86 a dish and an option, not edit the menu (403)", async () => {
      const fries = demo.food("Fries").id;
      const cat = demo.food("Fries").categoryId!;
      for (const [handler, opts] of [
        [foodsRoute.POST, { body: { partner: "demo", name: "x", price: "1", categoryId: cat, station: "fryer" } }],
        [foodRoute.PATCH, { method: "PATCH", params: { id: fries }, body: { price: "1" } }],
        [foodRoute.POST, { params: { id: fries }, body: { price: "1" } }],
        [foodRoute.DELETE, { method: "DELETE", params: { id: fries } }],
        [categoriesRoute.POST, { body: { partner: "demo", name: "x" } }],
        [stationsRoute.POST, { body: { partner: "demo", key: "wok", name: "Wok" } }],
        [groupsRoute.POST, { body: { partner: "demo", name: "x", min: 0, max: 1 } }],
        [optionsRoute.POST, { params: { id: group.id }, body: { name: "x" } }],
        [foodsReorderRoute.POST, { body: { partner: "demo", ids: [fries] } }],
      ] as const) {
        await expectRefused(() => call(handler, { as: chef, ...(opts as object) }), 403, null);
      }
      const off = await withEvents(() => call(foodAvailabilityRoute.POST, { as: chef, params: { id: fries }, body: { available: false } }));
      expect(off.res).toEqual({ status: 200, json: { kind: "food", id: fries, available: false, availableAgainAt: null } });
      expect(off.events.map((e) => [e.type, e.payload.changed])).toEqual([["food.updated", { available: false, availableAgainAt: null }]]);
      const on = await call(foodAvailabilityRoute.POST, { as: chef, params: { id: fries }, body: { available: true } });
      expect(on.json.available).toBe(true);
      const option = group.options[0].id;
      const optOff = await withEvents(() =>
        call(optionAvailabilityRoute.POST, { as: chef, params: { id: group.id, optionId: option }, body: { available: false } }),
      );
      expect(optOff.res.status).toBe(200);
      expect(optOff.events.map((e) => [e.type, e.payload])).toEqual([
        ["menu.changed", { entity: "option", action: "sold-out", id: option }],
      ]);
      await call(optionAvailabilityRoute.POST, { as: chef, params: { id: group.id, optionId: option }, body: { available: true } });
    });

    it("printer and display tokens may do nothing to the menu; anonymous is 401", async () => {
      const fries = demo.food("Fries").id;
      for (const as of [printerToken, displayToken]) {
        await expectRefused(() => call(foodAvailabilityRoute.POST, { as, params: { id: fries }, body: { available: false } }), 403, null);
        await expectRefused(() => call(foodRoute.PATCH, { as, method: "PATCH", params: { id: fries }, body: { price: "1" } }), 403, null);
        await expectRefused(() => call(categoriesRoute.POST, { as, body: { partner: "demo", name: "x" } }), 403, null);
        await expectRefused(
          () =>
            call(optionAvailabilityRoute.POST, { as, params: { id: group.id, optionId: group.options[0].id }, body: { available: false } }),
          403,
          null,
        );
      }
      await expectRefused(() => call(foodRoute.PATCH, { method: "PATCH", params: { id: fries }, body: { price: "1" } }), 401, null);
    });

    it("an admin builds any partner's menu", async () => {
      const res = await call(categoriesRoute.POST, { as: boss, body: { partner: "other", name: "Admin's" } });
      expect(res.status).toBe(201);
    });
  });

  // --- bad input ---------------------------------------------------------------------------------

  describe("bad input: 4xx naming the field, nothing written", () => {
    let burger: string;
    let doneness: any;
    let extras: any;
    let discount: any;
    let foreignGroup: any;
    let pizza: string;

    beforeAll(async () => {
      pizza = demo.food("Margherita").categoryId!;
      doneness = (
        await call(groupsRoute.POST, {
          as: op,
          body: { partner: "demo", name: "Doneness", min: 1, max: 1, options: [{ name: "Medium" }, { name: "Well done" }] },
        })
      ).json;
      extras = (
        await call(groupsRoute.POST, {
          as: op,
          body: {
            partner: "demo",
            name: "Toppings",
            min: 0,
            max: 2,
            options: [
              { name: "Extra cheese", priceDelta: "1", allergens: ["milk"] },
              { name: "No onions" },
              { name: "Truffle", priceDelta: "5" },
            ],
          },
        })
      ).json;
      discount = (
        await call(groupsRoute.POST, {
          as: op,
          body: { partner: "demo", name: "Voucher", min: 0, max: 1, options: [{ name: "Staff meal", priceDelta: "-20" }] },
        })
      ).json;
      foreignGroup = (
        await call(groupsRoute.POST, { as: op2, body: { partner: "other", name: "Foreign", min: 0, max: 1, options: [{ name: "a" }] } })
      ).json;
      const created = await call(foodsRoute.POST, {
        as: op,
        body: {
          partner: "demo",
          name: "Test Burger",
          price: "10",
          categoryId: pizza,
          station: "oven",
          modifierGroupIds: [doneness.id, extras.id, discount.id],
        },
      });
      expect(created.status).toBe(201);
      burger = created.json.id;
    });

    const order = (modifiers?: unknown, extra: Record<string, unknown> = {}) => ({
      partner: "demo",
      items: [{ foodId: burger, quantity: 1, ...(modifiers !== undefined ? { modifiers } : {}), ...extra }],
    });
    const place = (body: unknown) => call(ordersRoute.POST, { body });

    it("a required group missing → 400 naming items.0.modifiers", async () => {
      const res = await expectRefused(() => place(order()), 400, "items.0.modifiers");
      expect(res.json.error.message).toContain("Doneness");
      await expectRefused(() => place(order([{ groupId: extras.id, optionIds: [extras.options[0].id] }])), 400, "items.0.modifiers");
    });
    it("too few options in a group", () =>
      expectRefused(() => place(order([{ groupId: doneness.id, optionIds: [] }])), 400, "items.0.modifiers.0.optionIds"));
    it("too many options in a group", () =>
      expectRefused(
        () => place(order([{ groupId: doneness.id, optionIds: doneness.options.map((o: any) => o.id) }])),
        400,
        "items.0.modifiers.0.optionIds",
      ));
    it("an option of another group", () =>
      expectRefused(
        () => place(order([{ groupId: doneness.id, optionIds: [extras.options[0].id] }])),
        400,
        "items.0.modifiers.0.optionIds.0",
      ));
    it("a group (and so its options) of another food", async () => {
      const lonely = (
        await call(groupsRoute.POST, { as: op, body: { partner: "demo", name: "Unlinked", min: 0, max: 1, options: [{ name: "a" }] } })
      ).json;
      await expectRefused(
        () =>
          place(
            order([
              { groupId: doneness.id, optionIds: [doneness.options[0].id] },
              { groupId: lonely.id, optionIds: [lonely.options[0].id] },
            ]),
          ),
        400,
        "items.0.modifiers.1.groupId",
      );
    });
    it("a modifier group of another partner (on an order and linked to a food)", async () => {
      await expectRefused(
        () => place(order([{ groupId: foreignGroup.id, optionIds: [foreignGroup.options[0].id] }])),
        400,
        "items.0.modifiers.0.groupId",
      );
      await expectRefused(
        () =>
          call(foodRoute.PATCH, {
            as: op,
            method: "PATCH",
            params: { id: burger },
            body: { modifierGroupIds: [doneness.id, foreignGroup.id] },
          }),
        400,
        "modifierGroupIds.1",
      );
      await expectRefused(
        () =>
          call(foodsRoute.POST, {
            as: op,
            body: { partner: "demo", name: "x", price: "1", categoryId: pizza, station: "oven", modifierGroupIds: [foreignGroup.id] },
          }),
        400,
        "modifierGroupIds.0",
      );
    });
    it("an unavailable food or option", async () => {
      const medium = doneness.options[0].id;
      await call(optionAvailabilityRoute.POST, { as: op, params: { id: doneness.id, optionId: medium }, body: { available: false } });
      await expectRefused(() => place(order([{ groupId: doneness.id, optionIds: [medium] }])), 400, "items.0.modifiers.0.optionIds.0");
      await call(optionAvailabilityRoute.POST, { as: op, params: { id: doneness.id, optionId: medium }, body: { available: true } });
      await call(foodAvailabilityRoute.POST, { as: op, params: { id: burger }, body: { available: false, until: "manual" } });
      await expectRefused(() => place(order([{ groupId: doneness.id, optionIds: [medium] }])), 400, "items.0.foodId");
      await call(foodAvailabilityRoute.POST, { as: op, params: { id: burger }, body: { available: true } });
    });
    it("deltas that make a line negative", () =>
      expectRefused(
        () =>
          place(
            order([
              { groupId: doneness.id, optionIds: [doneness.options[0].id] },
              { groupId: discount.id, optionIds: [discount.options[0].id] },
            ]),
          ),
        400,
        "items.0.modifiers",
      ));
    it("an unknown allergen code (food, group option, option)", async () => {
      await expectRefused(
        () =>
          call(foodsRoute.POST, {
            as: op,
            body: { partner: "demo", name: "x", price: "1", categoryId: pizza, station: "oven", allergens: ["milk", "nutz"] },
          }),
        400,
        "allergens.1",
      );
      await expectRefused(
        () => call(foodRoute.PATCH, { as: op, method: "PATCH", params: { id: burger }, body: { allergens: ["gluten", "shellfish"] } }),
        400,
        "allergens.1",
      );
      await expectRefused(
        () =>
          call(groupsRoute.POST, {
            as: op,
            body: { partner: "demo", name: "x", min: 0, max: 1, options: [{ name: "a", allergens: ["wheat"] }] },
          }),
        400,
        "options.0.allergens.0",
      );
      await expectRefused(
        () => call(optionsRoute.POST, { as: op, params: { id: extras.id }, body: { name: "b", allergens: ["wheat"] } }),
        400,
        "allergens.0",
      );
    });
    it("a food (or option) with a station the partner lacks", async () => {
      await expectRefused(
        () => call(foodsRoute.POST, { as: op, body: { partner: "demo", name: "x", price: "1", categoryId: pizza, station: "wok" } }),
        400,
        "station",
      );
      await expectRefused(
        () => call(foodRoute.PATCH, { as: op, method: "PATCH", params: { id: burger }, body: { station: "wok" } }),
        400,
        "station",
      );
      // Another partner's station key is not this partner's.
      await call(stationsRoute.POST, { as: op2, body: { partner: "other", key: "tandoor", name: "Tandoor" } });
      await expectRefused(
        () => call(foodRoute.PATCH, { as: op, method: "PATCH", params: { id: burger }, body: { station: "tandoor" } }),
        400,
        "station",
      );
      await expectRefused(
        () => call(optionsRoute.POST, { as: op, params: { id: extras.id }, body: { name: "c", station: "wok" } }),
        400,
        "station",
      );
    });
    it("a category of another partner, group bounds, money", async () => {
      await expectRefused(
        () =>
          call(foodsRoute.POST, {
            as: op,
            body: { partner: "demo", name: "x", price: "1", categoryId: other.food("Fries").categoryId, station: "oven" },
          }),
        400,
        "categoryId",
      );
      await expectRefused(() => call(groupsRoute.POST, { as: op, body: { partner: "demo", name: "x", min: 2, max: 1 } }), 400, "min");
      await expectRefused(
        () => call(groupsRoute.POST, { as: op, body: { partner: "demo", name: "x", min: 2, max: 3, options: [{ name: "a" }] } }),
        400,
        "min",
      );
      await expectRefused(
        () => call(groupRoute.PATCH, { as: op, method: "PATCH", params: { id: doneness.id }, body: { min: 3, max: 3 } }),
        400,
        "min",
      );
      await expectRefused(
        () => call(optionsRoute.POST, { as: op, params: { id: extras.id }, body: { name: "d", priceDelta: "-1.234" } }),
        400,
        "priceDelta",
      );
      await expectRefused(
        () => call(foodRoute.PATCH, { as: op, method: "PATCH", params: { id: burger }, body: { price: "-1" } }),
        400,
        "price",
      );
      await expectRefused(() => call(stationsRoute.POST, { as: op, body: { partner: "demo", key: "Grill Two", name: "x" } }), 400, "key");
      await expectRefused(() => call(stationsRoute.POST, { as: op, body: { partner: "demo", key: "oven", name: "x" } }), 400, "key");
      await expectRefused(() => call(categoriesRoute.POST, { as: op, body: { partner: "demo", name: "pizza" } }), 400, "name");
    });

    // --- totals ----------------------------------------------------------------------------------

    it("totals with option deltas follow the seeds/003 formulas on cashier new-order and printer confirmed-order, field by field", async () => {
      const { lastEventId } = await logPosition({ db: t.db });
      const medium = doneness.options.find((o: any) => o.name === "Medium");
      const [cheese, noOnions] = [extras.options[0], extras.options[1]];
      const placed = await place({
        partner: "demo",
        table: "7",
        customer: "Ann",
        allergies: { codes: ["peanuts"] },
        items: [
          {
            foodId: burger,
            quantity: 2,
            notes: "well done edges",
            modifiers: [
              { groupId: doneness.id, optionIds: [medium.id] },
              { groupId: extras.id, optionIds: [cheese.id, noOnions.id] },
            ],
          },
          { foodId: demo.food("Margherita").id, quantity: 1 },
        ],
      });
      expect(placed.status, JSON.stringify(placed.json)).toBe(201);
      const confirmed = await call(confirmRoute.POST, {
        as: op,
        params: { id: String(placed.json.id) },
        body: { paymentMethod: "CASH", discount: "1" },
      });
      expect(confirmed.status, JSON.stringify(confirmed.json)).toBe(200);

      const events = (await readEvents({ db: t.db, afterId: lastEventId, limit: 10 })) as unknown as DomainEvent[];
      const created = cashier(events.find((e) => e.type === "order.created")!)!;
      const printed = printer(events.find((e) => e.type === "order.confirmed")!)!;
      expect(created.event).toBe("new-order");
      expect(printed.event).toBe("confirmed-order");
      const newOrder = created.data as any;
      const slip = printed.data as any;

      // burger: unitPrice = 10 + 0 (Medium) + 1 (Extra cheese) + 0 (No onions) = 11; surcharge 0; ×2 → 22.
      // Margherita: 12.5 + surcharge 0.5, ×1 → 13. subTotal = 22 + 12.5 = 34.5, surcharge 0.5.
      expect(Object.keys(newOrder)).toEqual([...HEAD, "orderItems"]);
      expect(newOrder).toMatchObject({
        subTotal: "34.5",
        discount: "0",
        surcharge: "0.5",
        total: "35",
        status: "PENDING",
        table: "7",
        customer: "Ann",
      });
      expect(newOrder.orderItems.map((i: any) => Object.keys(i))).toEqual([NEW_ORDER_ITEM, NEW_ORDER_ITEM]);
      expect(newOrder.orderItems).toEqual([
        {
          id: expect.any(String),
          quantity: 2,
          orderId: placed.json.id,
          foodId: burger,
          unitPrice: "11",
          unitSurcharge: "0",
          total: "22",
          notes: "+ Medium · + Extra cheese · NO onions · ALLERGY: peanuts · well done edges",
        },
        {
          id: expect.any(String),
          quantity: 1,
          orderId: placed.json.id,
          foodId: demo.food("Margherita").id,
          unitPrice: "12.5",
          unitSurcharge: "0.5",
          total: "13",
          notes: "ALLERGY: peanuts",
        },
      ]);

      // Confirmed with a discount of 1: total = subTotal − discount + surcharge = 34.5 − 1 + 0.5.
      expect(Object.keys(slip)).toEqual([...HEAD, "orderItems"]);
      expect(slip).toMatchObject({
        subTotal: "34.5",
        discount: "1",
        surcharge: "0.5",
        total: "34",
        status: "CONFIRMED",
        paymentMethod: "CASH",
      });
      expect(slip.orderItems.map((i: any) => Object.keys(i))).toEqual([PRINTER_ITEM, PRINTER_ITEM]);
      expect(slip.orderItems.map((i: any) => [i.quantity, i.unitPrice, i.unitSurcharge, i.total, i.notes])).toEqual([
        [2, "11", "0", "22", "+ Medium · + Extra cheese · NO onions · ALLERGY: peanuts · well done edges"],
        [1, "12.5", "0.5", "13", "ALLERGY: peanuts"],
      ]);
      for (const i of slip.orderItems) {
        expect(Number(i.total)).toBeCloseTo((Number(i.unitPrice) + Number(i.unitSurcharge)) * i.quantity, 10);
      }
      const sum = (f: (i: any) => number) => slip.orderItems.reduce((s: number, i: any) => s + f(i), 0);
      expect(Number(slip.subTotal)).toBeCloseTo(
        sum((i) => Number(i.unitPrice) * i.quantity),
        10,
      );
      expect(Number(slip.surcharge)).toBeCloseTo(
        sum((i) => Number(i.unitSurcharge) * i.quantity),
        10,
      );
      expect(Number(slip.total)).toBeCloseTo(Number(slip.subTotal) - Number(slip.discount) + Number(slip.surcharge), 10);
      // Pass's own order DTO keeps the structure: options with their deltas, allergens food ∪ options.
      const line = placed.json.orderItems[0];
      expect(line.modifiers.map((m: any) => [m.groupName, m.options.map((o: any) => [o.name, o.priceDelta])])).toEqual([
        ["Doneness", [["Medium", "0"]]],
        [
          "Toppings",
          [
            ["Extra cheese", "1"],
            ["No onions", "0"],
          ],
        ],
      ]);
      expect(line.allergens).toEqual(["milk"]);
    });
  });
});
