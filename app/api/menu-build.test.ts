/**
 * Issue "The menu", done when: "a menu built entirely through the API reproduces the demo menu".
 * A new restaurant's menu is built from nothing with the menu API's route handlers (stations,
 * categories, modifier groups with options, dishes linked to their groups), then exported; it
 * equals the export of the shipped demo JSON imported into another restaurant, ids aside (the
 * file shape has none), on SQLite and PostgreSQL.
 */
import { beforeAll, expect, it } from "vitest";
import demoMenu from "@/lib/menu/demo-menu.json";
import { createPartner, exportMenu, importMenu } from "@/lib/menu";
import { describeEachDatabase } from "@/lib/testing/each-database";
import { makeUser } from "@/lib/testing/fixtures";
import * as loginRoute from "./auth/login/route";
import * as categoriesRoute from "./categories/route";
import * as foodsRoute from "./foods/route";
import * as menuRoute from "./menu/route";
import * as groupsRoute from "./modifier-groups/route";
import * as stationsRoute from "./stations/route";

const ORIGIN = "http://pass.test";
type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

describeEachDatabase("a menu built through the API", (t) => {
  let cookie: string;
  let built: { id: string };
  let imported: { id: string };

  async function post(handler: unknown, body: unknown) {
    const res = await (handler as Handler)(
      new Request(`${ORIGIN}/x`, {
        method: "POST",
        headers: { host: "pass.test", "content-type": "application/json", cookie, origin: ORIGIN },
        body: JSON.stringify(body),
      }),
      { params: Promise.resolve({}) },
    );
    const json = await res.json();
    expect(res.status, JSON.stringify(json)).toBe(201);
    return json;
  }

  beforeAll(async () => {
    built = await createPartner({ db: t.db, slug: "built", name: "Built by hand" });
    imported = await createPartner({ db: t.db, slug: "imported", name: "Imported" });
    await makeUser(t.db, { partnerId: built.id, role: "operator", username: "op" });
    const login = await (loginRoute.POST as Handler)(
      new Request(`${ORIGIN}/api/auth/login`, { method: "POST", body: JSON.stringify({ username: "op", password: "fixture-pass-4821" }) }),
      { params: Promise.resolve({}) },
    );
    cookie = login.headers.get("set-cookie")!.split(";")[0]!;
  });

  it("reproduces the demo menu: export of the API-built menu == export of the imported demo JSON", async () => {
    for (const s of demoMenu.stations) await post(stationsRoute.POST, { partner: "built", ...s });
    const categoryId = new Map<string, string>();
    for (const c of demoMenu.categories) categoryId.set(c.name, (await post(categoriesRoute.POST, { partner: "built", name: c.name })).id);
    const groupId = new Map<string, string>();
    for (const g of demoMenu.modifierGroups) {
      const created = await post(groupsRoute.POST, {
        partner: "built",
        name: g.name,
        min: g.min,
        max: g.max,
        options: g.options.map((o) => ({ name: o.name, priceDelta: o.priceDelta, allergens: o.allergens, station: o.station })),
      });
      groupId.set(g.key, created.id);
    }
    for (const f of demoMenu.foods) {
      await post(foodsRoute.POST, {
        partner: "built",
        name: f.name,
        description: f.description,
        imageUrl: f.imageUrl,
        price: f.price,
        surcharge: f.surcharge,
        categoryId: categoryId.get(f.category),
        station: f.station,
        prepMinutes: f.prepMinutes,
        allergens: f.allergens,
        modifierGroupIds: f.modifierGroups.map((k) => groupId.get(k)),
      });
    }
    await importMenu(t.db, null, "imported", demoMenu);

    const fromApi = await exportMenu(t.db, built.id);
    const fromFile = await exportMenu(t.db, imported.id);
    expect(fromApi).toEqual(fromFile);
    expect(fromApi).toEqual(demoMenu);

    // And the public menus match dish by dish, ids aside.
    const publicMenu = async (slug: string) => {
      const res = await (menuRoute.GET as Handler)(new Request(`${ORIGIN}/api/menu?partner=${slug}`, { headers: { host: "pass.test" } }), {
        params: Promise.resolve({}),
      });
      const menu = await res.json();
      const groupName = new Map(menu.modifierGroups.map((g: any) => [g.id, g.name]));
      return menu.foods.map(({ id: _id, categoryId: _c, modifierGroupIds, position, ...rest }: any) => ({
        ...rest,
        groups: modifierGroupIds.map((id: string) => groupName.get(id)),
      }));
    };
    expect(await publicMenu("built")).toEqual(await publicMenu("imported"));
  });
});
