/**
 * The demo service (issue "Cashier and back office" item 4): the orders it invents are valid
 * POST /api/orders bodies for the demo menu, and a run orders through the real route handlers,
 * confirms some as the cashier, ends by itself, and is for admins on the demo restaurant only.
 * On SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as demoRoute from "@/app/api/demo/route";
import * as menuRoute from "@/app/api/menu/route";
import * as ordersRoute from "@/app/api/orders/route";
import * as confirmRoute from "@/app/api/orders/[id]/confirm/route";
import { createOrderBody } from "@/app/api/orders/schema";
import { DEMO_MENU_FILE } from "@/lib/bootstrap";
import { createLimits, scaledRules, setLimits } from "@/lib/limits";
import { createPartner, getMenu, importMenu } from "@/lib/menu";
import { describeEachDatabase } from "@/lib/testing/each-database";
import { makeUser } from "@/lib/testing/fixtures";
import type { Principal } from "@/lib/auth";
import { DemoRunner, demoRunner, ownBaseUrl, setDemoRunner } from "./runner";
import { type DemoMenu, demoOrder } from "./orders";
import { runDemo } from "./service";

const ORIGIN = "http://pass.test";
type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** fetch → the real route handlers: the demo's HTTP calls go through their schemas and permissions. */
const routeFetch: typeof fetch = async (input, init) => {
  const req = new Request(input as string, { ...init, headers: { host: "pass.test", ...(init?.headers as Record<string, string>) } });
  const url = new URL(req.url);
  const confirm = /^\/api\/orders\/(\d+)\/confirm$/.exec(url.pathname);
  const params = Promise.resolve<Record<string, string>>(confirm ? { id: confirm[1]! } : {});
  if (url.pathname === "/api/menu" && req.method === "GET") return (menuRoute.GET as Handler)(req, { params });
  if (url.pathname === "/api/orders" && req.method === "POST") return (ordersRoute.POST as Handler)(req, { params });
  if (confirm && req.method === "POST") return (confirmRoute.POST as Handler)(req, { params });
  return new Response("{}", { status: 404 });
};

function seeded(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

describeEachDatabase("demo service", (ctx) => {
  let admin: Principal;
  let operator: Principal;
  let menu: DemoMenu;

  beforeAll(async () => {
    setLimits(createLimits({ rules: scaledRules(1000) }));
    await createPartner({ db: ctx.db, slug: "demo", name: "Demo Diner" });
    await importMenu(ctx.db, null, "demo", DEMO_MENU_FILE);
    await createPartner({
      db: ctx.db,
      slug: "real",
      name: "A real place",
      foods: [{ name: "Soup", price: 500, category: "Mains", station: "cold" }],
    });
    admin = (await makeUser(ctx.db, { partnerId: null, role: "admin", username: "demo-admin" })).principal;
    const real = await ctx.db.selectFrom("partners").select("id").where("slug", "=", "demo").executeTakeFirstOrThrow();
    operator = (await makeUser(ctx.db, { partnerId: real.id, role: "operator", username: "demo-op" })).principal;
    menu = (await getMenu({ db: ctx.db, slug: "demo" })) as unknown as DemoMenu;
  });

  it("invents orders the API accepts: every burger with its Doneness, a realistic mix of sources, notes and allergies", () => {
    const random = seeded(7);
    const bodies = Array.from({ length: 400 }, () => demoOrder({ menu, partner: "demo", random }));
    const doneness = menu.modifierGroups!.find((g) => g.min > 0)!;
    for (const body of bodies) {
      expect(createOrderBody.safeParse(body).success, JSON.stringify(body)).toBe(true);
      for (const item of body.items) {
        const food = menu.foods.find((f) => f.id === item.foodId)!;
        if (food.modifierGroupIds?.includes(doneness.id)) {
          expect(item.modifiers?.find((m) => m.groupId === doneness.id)?.optionIds).toHaveLength(doneness.min);
        }
      }
      if (body.source === "qr") expect(body.table).toBeTruthy();
      if (body.source === "delivery") expect(body.serviceType).toBe("delivery");
    }
    const share = (p: (b: (typeof bodies)[number]) => boolean) => bodies.filter(p).length / bodies.length;
    expect(new Set(bodies.map((b) => b.source))).toEqual(new Set(["counter", "kiosk", "qr", "delivery"]));
    expect(new Set(bodies.map((b) => b.serviceType))).toEqual(new Set(["dine-in", "takeaway", "delivery", "pickup"]));
    expect(share((b) => !!b.allergies)).toBeGreaterThan(0.03);
    expect(share((b) => !!b.allergies)).toBeLessThan(0.2);
    expect(share((b) => b.priority === "HIGH")).toBeGreaterThan(0.01);
    expect(share((b) => b.items.some((i) => i.notes))).toBeGreaterThan(0.05);
    expect(share((b) => !!b.promisedAt)).toBeGreaterThan(0.01);
    expect(share((b) => !!b.promisedAt)).toBeLessThan(0.15);
    expect(share((b) => b.items.length > 1)).toBeGreaterThan(0.4);
  });

  describe("a run through the route handlers", () => {
    let runner: DemoRunner;
    beforeAll(() => {
      // A "minute" of 1.2 s, an order every 60 ms on average, the cashier confirming within 10–40 ms.
      runner = new DemoRunner({
        db: ctx.db,
        baseUrl: ORIGIN,
        fetch: routeFetch,
        log: () => {},
        minuteMs: 1_200,
        meanGapMs: 60,
        confirmDelayMs: [10, 40],
      });
      setDemoRunner(runner);
    });
    afterAll(async () => {
      await runner.stopAll();
      setDemoRunner(undefined);
    });

    it("places orders, confirms most as the cashier, leaves the kitchen alone and stops by itself", async () => {
      const before = await ctx.db.selectFrom("orders").select("id").execute();
      const started = await runner.start({ principal: admin, partner: "demo", minutes: 1 });
      expect(started.running).toBe(true);
      await expect(runner.start({ principal: admin, partner: "demo", minutes: 1 })).rejects.toMatchObject({ status: 409 });
      const token = await ctx.db.selectFrom("deviceTokens").selectAll().where("name", "=", "demo service").executeTakeFirstOrThrow();
      expect(token.revokedAt).toBeNull();

      const t0 = Date.now();
      await (async () => {
        for (;;) {
          const s = runner.status({ principal: admin, partner: "demo" })!;
          if (!s.running) return s;
          await new Promise((r) => setTimeout(r, 50));
        }
      })();
      // Its token ends with it, once the order in flight at the end (if any) is placed: only then
      // are the run's figures final (`running` turns false at the deadline, before that).
      await expect
        .poll(
          async () =>
            (await ctx.db.selectFrom("deviceTokens").select("revokedAt").where("id", "=", token.id).executeTakeFirst())?.revokedAt,
        )
        .not.toBeNull();
      const final = runner.status({ principal: admin, partner: "demo" })!;
      // 1.2 s of run; generous for a loaded CI machine, far below a real minute.
      expect(Date.now() - t0).toBeLessThan(10_000);
      expect(final).toMatchObject({ running: false, ended: "time", failed: 0 });
      expect(final.placed).toBeGreaterThanOrEqual(3);
      expect(final.confirmed).toBeGreaterThan(0);
      expect(final.confirmed).toBeLessThanOrEqual(final.placed);

      const known = new Set(before.map((r) => r.id));
      const orders = (await ctx.db.selectFrom("orders").selectAll().execute()).filter((o) => !known.has(o.id));
      expect(orders).toHaveLength(final.placed);
      // The cashier confirmed some; nobody played the kitchen: nothing was started or bumped.
      expect(orders.filter((o) => o.status === "CONFIRMED")).toHaveLength(final.confirmed);
      expect(orders.every((o) => o.status === "PENDING" || o.status === "CONFIRMED")).toBe(true);
      expect(new Set(orders.map((o) => o.source)).size).toBeGreaterThan(1);
      const items = await ctx.db.selectFrom("orderItems").select(["orderId"]).execute();
      for (const o of orders) expect(items.some((i) => i.orderId === o.id)).toBe(true);
      // Nothing is ordered after the end.
      await new Promise((r) => setTimeout(r, 200));
      expect((await ctx.db.selectFrom("orders").select("id").execute()).length).toBe(before.length + final.placed);
    });

    it("stops when told, and orders nothing afterwards", async () => {
      await runner.start({ principal: admin, partner: "demo", minutes: 1 });
      await new Promise((r) => setTimeout(r, 150));
      const stopped = await runner.stop({ principal: admin, partner: "demo" });
      expect(stopped).toMatchObject({ running: false, ended: "stopped" });
      const count = (await ctx.db.selectFrom("orders").select("id").execute()).length;
      await new Promise((r) => setTimeout(r, 250));
      expect((await ctx.db.selectFrom("orders").select("id").execute()).length).toBe(count);
    });

    it("is for admins, on the demo restaurant only, for 1–60 minutes", async () => {
      await expect(runner.start({ principal: operator, partner: "demo", minutes: 1 })).rejects.toMatchObject({ status: 403 });
      await expect(runner.start({ principal: admin, partner: "real", minutes: 1 })).rejects.toMatchObject({
        status: 400,
        details: { field: "partner" },
      });
      await expect(runner.start({ principal: admin, partner: "demo", minutes: 0 })).rejects.toMatchObject({
        details: { field: "minutes" },
      });
      await expect(runner.start({ principal: admin, partner: "demo", minutes: 61 })).rejects.toMatchObject({
        details: { field: "minutes" },
      });
      expect(() => runner.status({ principal: operator, partner: "demo" })).toThrow(/may not demo run/);
    });

    it("POST /api/demo: 4xx naming the field, nothing started", async () => {
      const login = await import("@/app/api/auth/login/route");
      const res = await (login.POST as Handler)(
        new Request(`${ORIGIN}/api/auth/login`, {
          method: "POST",
          headers: { host: "pass.test", "content-type": "application/json" },
          body: JSON.stringify({ username: "demo-admin", password: "fixture-pass-4821" }),
        }),
        { params: Promise.resolve({}) },
      );
      const cookie = res.headers.get("set-cookie")!.split(";")[0]!;
      const post = (body: unknown) =>
        (demoRoute.POST as Handler)(
          new Request(`${ORIGIN}/api/demo`, {
            method: "POST",
            headers: { host: "pass.test", origin: ORIGIN, cookie, "content-type": "application/json" },
            body: JSON.stringify(body),
          }),
          { params: Promise.resolve({}) },
        );
      for (const [body, field] of [
        [{ minutes: 100 }, "minutes"],
        [{ minutes: "ten" }, "minutes"],
        [{ minutes: 1.5 }, "minutes"],
        [{ partner: "real" }, "partner"],
        [{ speed: 2 }, "speed"],
      ] as const) {
        const r = await post(body);
        expect(r.status, JSON.stringify(body)).toBe(400);
        expect(JSON.stringify(await r.json())).toContain(field);
        expect(demoRunner().status({ principal: admin, partner: "demo" })?.running ?? false).toBe(false);
      }
      const ok = await post({ minutes: 1 });
      expect(ok.status).toBe(201);
      expect((await ok.json()).demo).toMatchObject({ partner: "demo", running: true });
      await demoRunner().stopAll();
    });
  });

  it("a run whose server is gone gives up by itself", async () => {
    const run = runDemo({
      api: { menu: () => Promise.reject(new Error("ECONNREFUSED")), place: () => Promise.reject(new Error("x")), confirm: async () => {} },
      partner: "demo",
      durationMs: 60_000,
      meanGapMs: 8,
    });
    const final = await run.done;
    expect(final).toMatchObject({ ended: "failing", placed: 0, failed: 5 });
    expect(final.lastError).toContain("ECONNREFUSED");
  });

  it("orders this server over loopback unless it listens on one address", () => {
    expect(ownBaseUrl({ host: null, port: 3000 })).toBe("http://127.0.0.1:3000");
    expect(ownBaseUrl({ host: "0.0.0.0", port: 80 })).toBe("http://127.0.0.1:80");
    expect(ownBaseUrl({ host: "192.168.1.5", port: 3000 })).toBe("http://192.168.1.5:3000");
    expect(ownBaseUrl({ host: "::1", port: 3000 })).toBe("http://[::1]:3000");
  });
});
