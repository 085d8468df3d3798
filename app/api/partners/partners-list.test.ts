/**
 * GET /api/partners through its real handler, on SQLite and PostgreSQL: each restaurant the caller
 * may see with its time zone, so a cashier or printer screen in another zone shows a scheduled
 * order's "for 19:30" on the restaurant's clock (issue "Station workflow" item 6); an operator sees
 * only their own restaurant.
 */
import { beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "@/lib/testing/each-database";
import { makePartner, makeUser } from "@/lib/testing/fixtures";
import * as loginRoute from "../auth/login/route";
import * as partnersRoute from "./route";

const ORIGIN = "http://pass.test";
type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

describeEachDatabase("GET /api/partners", (t) => {
  let cookie: string;

  beforeAll(async () => {
    const paris = await makePartner(t.db, "paris", { timezone: "Europe/Paris" });
    await makePartner(t.db, "tokyo", { timezone: "Asia/Tokyo" });
    await makeUser(t.db, { partnerId: paris.partner.id, role: "operator", username: "op-paris" });
    const res = await (loginRoute.POST as Handler)(
      new Request(`${ORIGIN}/api/auth/login`, {
        method: "POST",
        body: JSON.stringify({ username: "op-paris", password: "fixture-pass-4821" }),
      }),
      { params: Promise.resolve({}) },
    );
    expect(res.status).toBe(200);
    cookie = res.headers.get("set-cookie")!.split(";")[0]!;
  });

  it("carries each visible restaurant's time zone, and only the caller's restaurant", async () => {
    const res = await (partnersRoute.GET as Handler)(new Request(`${ORIGIN}/api/partners`, { headers: { host: "pass.test", cookie } }), {
      params: Promise.resolve({}),
    });
    expect(res.status).toBe(200);
    const { partners } = (await res.json()) as { partners: { slug: string; timezone: string }[] };
    expect(partners.map((p) => [p.slug, p.timezone])).toEqual([["paris", "Europe/Paris"]]);
    expect(Object.keys(partners[0]!).sort()).toEqual(
      ["currency", "defaultPaymentMethod", "id", "imageUrl", "locale", "name", "slug", "timezone"].sort(),
    );
  });
});
