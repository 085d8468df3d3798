/**
 * The HTTP API through its real route handlers (Web Request in, Response out) on a real
 * database, SQLite and PostgreSQL. Every bad input gets a 4xx naming the field and writes nothing.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { HEAD } from "@/lib/testing/contract-fields";
import { describeEachDatabase } from "@/lib/testing/each-database";
import { makePartner, makeToken, makeUser, type TestPartner } from "@/lib/testing/fixtures";
import { revokeDeviceToken, createDeviceToken } from "@/lib/auth";
import { logPosition } from "@/lib/events/log";
import { type Config, getConfig, setConfig } from "@/lib/config";
import * as loginRoute from "./auth/login/route";
import * as logoutRoute from "./auth/logout/route";
import * as meRoute from "./me/route";
import * as menuRoute from "./menu/route";
import * as healthRoute from "./health/route";
import * as ordersRoute from "./orders/route";
import * as orderRoute from "./orders/[id]/route";
import * as confirmRoute from "./orders/[id]/confirm/route";
import * as statusRoute from "./orders/[id]/status/route";
import * as reprintRoute from "./orders/[id]/reprint/route";
import * as foodRoute from "./foods/[id]/route";

const ORIGIN = "http://pass.test";

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

async function call(
  handler: Handler,
  {
    method = "GET",
    path = "/",
    body,
    rawBody,
    headers = {},
    params = {},
  }: {
    method?: string;
    path?: string;
    body?: unknown;
    rawBody?: string;
    headers?: Record<string, string>;
    params?: Record<string, string>;
  },
) {
  const req = new Request(`${ORIGIN}${path}`, {
    method,
    headers: {
      host: "pass.test",
      ...(body !== undefined || rawBody !== undefined ? { "content-type": "application/json" } : {}),
      ...headers,
    },
    body: rawBody ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const res = await handler(req, { params: Promise.resolve(params) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : null };
}

describeEachDatabase("HTTP API", (t) => {
  let demo: TestPartner;
  let other: TestPartner;
  let operatorCookie: string;
  let kitchenCookie: string;
  let otherCookie: string;
  let adminCookie: string;

  const cookieOf = (res: { headers: Headers }) => res.headers.get("set-cookie")!.split(";")[0]!;
  const sameOrigin = (cookie: string) => ({ cookie, origin: ORIGIN });

  async function loginAs(username: string, password = "fixture-pass-4821") {
    const res = await call(loginRoute.POST as Handler, { method: "POST", body: { username, password } });
    expect(res.status).toBe(200);
    return cookieOf(res);
  }

  beforeAll(async () => {
    demo = await makePartner(t.db, "demo");
    other = await makePartner(t.db, "other");
    await makeUser(t.db, { partnerId: demo.partner.id, role: "operator", username: "op" });
    await makeUser(t.db, { partnerId: demo.partner.id, role: "kitchen", username: "chef" });
    await makeUser(t.db, { partnerId: other.partner.id, role: "operator", username: "op2" });
    await makeUser(t.db, { partnerId: null, role: "admin", username: "boss" });
    [operatorCookie, kitchenCookie, otherCookie, adminCookie] = await Promise.all([
      loginAs("op"),
      loginAs("chef"),
      loginAs("op2"),
      loginAs("boss"),
    ]);
  });

  const item = (name = "Margherita", quantity = 2, extra: Record<string, unknown> = {}) => ({
    foodId: demo.food(name).id,
    quantity,
    ...extra,
  });

  async function placeOrder(body: Record<string, unknown> = { partner: "demo", table: "3", items: [item()] }) {
    const res = await call(ordersRoute.POST as Handler, { method: "POST", body });
    expect(res.status).toBe(201);
    return res.json as { id: number; trackingToken: string; orderItems: { id: string }[] } & Record<string, unknown>;
  }

  async function snapshot() {
    const orders = await t.db
      .selectFrom("orders")
      .select((eb) => eb.fn.countAll().as("n"))
      .executeTakeFirstOrThrow();
    return { events: (await logPosition({ db: t.db })).lastEventId, orders: Number(orders.n) };
  }

  /** Runs a request that must fail with `status`, naming `field`, and change nothing. */
  async function expectRefused(run: () => Promise<{ status: number; json: any }>, status: number, field?: string) {
    const before = await snapshot();
    const res = await run();
    expect(res.status).toBe(status);
    expect(res.json.error).toEqual(expect.objectContaining({ code: expect.any(String), message: expect.any(String) }));
    if (field) expect(res.json.error.details?.field).toBe(field);
    expect(await snapshot()).toEqual(before);
    return res;
  }

  describe("creating orders", () => {
    it("201 with the full order, prices from the menu, and a tracking token", async () => {
      const res = await call(ordersRoute.POST as Handler, {
        method: "POST",
        body: { partner: "demo", table: "3", customer: "John Doe", items: [item("Margherita", 2, { notes: "No onions" })] },
      });
      expect(res.status).toBe(201);
      expect(res.headers.get("location")).toBe(`/api/orders/${res.json.id}`);
      expect(res.json).toMatchObject({
        displayCode: expect.stringMatching(/^[A-Z]+\d\d$/),
        table: "3",
        customer: "John Doe",
        status: "PENDING",
        ticketNumber: null,
        paymentMethod: null,
        subTotal: "25",
        discount: "0",
        surcharge: "1",
        total: "26",
        trackingToken: expect.stringMatching(/^trk_/),
      });
      expect(res.json.orderItems[0]).toMatchObject({
        quantity: 2,
        unitPrice: "12.5",
        unitSurcharge: "0.5",
        total: "26",
        notes: "No onions",
      });
    });

    const bad: [string, () => Record<string, unknown> | string, number, string][] = [
      ["malformed JSON", () => '{"partner": "demo", items: [', 400, "body"],
      ["an empty body", () => "", 400, "body"],
      ["wrong types", () => ({ partner: "demo", items: [item("Margherita", "2" as unknown as number)] }), 400, "items.0.quantity"],
      ["items not an array", () => ({ partner: "demo", items: {} }), 400, "items"],
      ["an unknown partner slug", () => ({ partner: "nowhere", items: [item()] }), 404, "partner"],
      ["empty items", () => ({ partner: "demo", items: [] }), 400, "items"],
      ["quantity 0", () => ({ partner: "demo", items: [item("Fries", 0)] }), 400, "items.0.quantity"],
      ["quantity 100", () => ({ partner: "demo", items: [item("Fries", 100)] }), 400, "items.0.quantity"],
      ["quantity 1.5", () => ({ partner: "demo", items: [item("Fries"), item("Fries", 1.5)] }), 400, "items.1.quantity"],
      ["an unknown foodId", () => ({ partner: "demo", items: [{ foodId: "nope", quantity: 1 }] }), 400, "items.0.foodId"],
      [
        "a food of another partner",
        () => ({ partner: "demo", items: [{ foodId: other.food("Fries").id, quantity: 1 }] }),
        400,
        "items.0.foodId",
      ],
      [
        "notes over 500 characters",
        () => ({ partner: "demo", items: [item("Fries", 1, { notes: "x".repeat(501) })] }),
        400,
        "items.0.notes",
      ],
      [
        "a client setting an item price",
        () => ({ partner: "demo", items: [item("Fries", 1, { unitPrice: "0.01" })] }),
        400,
        "items.0.unitPrice",
      ],
      ["a client setting the total", () => ({ partner: "demo", total: "1", items: [item()] }), 400, "total"],
      ["a customer claiming RUSH", () => ({ partner: "demo", priority: "HIGH", items: [item()] }), 400, "priority"],
      ["an unknown source", () => ({ partner: "demo", source: "fax", items: [item()] }), 400, "source"],
    ];
    it.each(bad)("refuses %s", async (_name, body, status, field) => {
      const b = body();
      await expectRefused(
        () => call(ordersRoute.POST as Handler, { method: "POST", ...(typeof b === "string" ? { rawBody: b } : { body: b }) }),
        status,
        field,
      );
    });

    it("refuses an unavailable food", async () => {
      const fries = demo.food("Fries");
      const off = await call(foodRoute.POST as Handler, {
        method: "POST",
        params: { id: fries.id },
        body: { available: false },
        headers: sameOrigin(operatorCookie),
      });
      expect(off.status).toBe(200);
      await expectRefused(
        () => call(ordersRoute.POST as Handler, { method: "POST", body: { partner: "demo", items: [item("Fries", 1)] } }),
        400,
        "items.0.foodId",
      );
      await call(foodRoute.POST as Handler, {
        method: "POST",
        params: { id: fries.id },
        body: { available: true },
        headers: sameOrigin(operatorCookie),
      });
    });
  });

  describe("confirming and the lifecycle", () => {
    it("confirm → CONFIRMED with a ticket number, discount applied", async () => {
      const order = await placeOrder();
      const res = await call(confirmRoute.POST as Handler, {
        method: "POST",
        params: { id: String(order.id) },
        body: { paymentMethod: "CASH", discount: "2", cashRegisterId: "till-1" },
        headers: sameOrigin(operatorCookie),
      });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({
        status: "CONFIRMED",
        ticketNumber: expect.any(Number),
        discount: "2",
        total: "24",
        cashRegisterId: "till-1",
      });
    });

    it("refuses bad confirmations and changes nothing", async () => {
      const order = await placeOrder();
      const confirm = (body: unknown, headers = sameOrigin(operatorCookie)) =>
        call(confirmRoute.POST as Handler, { method: "POST", params: { id: String(order.id) }, body, headers });
      await expectRefused(() => confirm({ paymentMethod: "CASH", discount: "-1" }), 400, "discount");
      await expectRefused(() => confirm({ paymentMethod: "CASH", discount: "26.01" }), 400, "discount");
      await expectRefused(() => confirm({ paymentMethod: "CASH", discount: 2 }), 400, "discount");
      await expectRefused(() => confirm({ paymentMethod: "BITCOIN" }), 400, "paymentMethod");
      await expectRefused(() => confirm({ paymentMethod: "CASH", total: "1" }), 400, "total");
      // A cookie mutation from another origin, or with no origin at all.
      await expectRefused(() => confirm({ paymentMethod: "CASH" }, { cookie: operatorCookie, origin: "https://evil.example" }), 403);
      await expectRefused(() => confirm({ paymentMethod: "CASH" }, { cookie: operatorCookie } as never), 403);
      // No credentials; the kitchen may not confirm; another partner sees nothing.
      await expectRefused(() => confirm({ paymentMethod: "CASH" }, {} as never), 401);
      await expectRefused(() => confirm({ paymentMethod: "CASH" }, sameOrigin(kitchenCookie)), 403);
      await expectRefused(() => confirm({ paymentMethod: "CASH" }, sameOrigin(otherCookie)), 404);

      expect((await confirm({ paymentMethod: "CARD" })).status).toBe(200);
      const twice = await expectRefused(() => confirm({ paymentMethod: "CARD" }), 409);
      expect(twice.json.error.details).toEqual({ status: "CONFIRMED", requested: "CONFIRMED" });
    });

    it("confirming a cancelled order is a 409 with the current status", async () => {
      const order = await placeOrder();
      const cancel = await call(statusRoute.POST as Handler, {
        method: "POST",
        params: { id: String(order.id) },
        body: { status: "CANCELLED", reason: "guest left" },
        headers: sameOrigin(operatorCookie),
      });
      expect(cancel.json).toMatchObject({ status: "CANCELLED", cancelReason: "guest left" });
      const res = await expectRefused(
        () =>
          call(confirmRoute.POST as Handler, {
            method: "POST",
            params: { id: String(order.id) },
            body: { paymentMethod: "CASH" },
            headers: sameOrigin(operatorCookie),
          }),
        409,
      );
      expect(res.json.error.details.status).toBe("CANCELLED");
    });

    it("status changes by the kitchen; unknown ids are 404", async () => {
      const order = await placeOrder();
      await call(confirmRoute.POST as Handler, {
        method: "POST",
        params: { id: String(order.id) },
        body: { paymentMethod: "CASH" },
        headers: sameOrigin(operatorCookie),
      });
      const step = (status: string, cookie = kitchenCookie) =>
        call(statusRoute.POST as Handler, {
          method: "POST",
          params: { id: String(order.id) },
          body: { status },
          headers: sameOrigin(cookie),
        });
      expect((await step("PREPARING")).json.status).toBe("PREPARING");
      expect((await step("READY")).json.status).toBe("READY");
      await expectRefused(() => step("DELIVERED"), 403);
      await expectRefused(() => step("SERVED"), 400, "status");
      await expectRefused(
        () =>
          call(statusRoute.POST as Handler, {
            method: "POST",
            params: { id: "999999" },
            body: { status: "READY" },
            headers: sameOrigin(kitchenCookie),
          }),
        404,
      );
      await expectRefused(
        () =>
          call(statusRoute.POST as Handler, {
            method: "POST",
            params: { id: "abc" },
            body: { status: "READY" },
            headers: sameOrigin(kitchenCookie),
          }),
        404,
      );
    });

    it("reprint returns the seeds/003 reprint-order payload", async () => {
      const order = await placeOrder({ partner: "demo", items: [item("Margherita", 1), item("Lemonade", 2)] });
      await call(confirmRoute.POST as Handler, {
        method: "POST",
        params: { id: String(order.id) },
        body: { paymentMethod: "CASH" },
        headers: sameOrigin(operatorCookie),
      });
      const res = await call(reprintRoute.POST as Handler, {
        method: "POST",
        params: { id: String(order.id) },
        body: { orderItemIds: [order.orderItems[1]!.id], receipt: false },
        headers: sameOrigin(operatorCookie),
      });
      expect(res.status).toBe(200);
      expect(Object.keys(res.json)).toEqual([...HEAD, "reprintReceipt", "reprintOrderItems", "orderItems"]);
      expect(res.json.reprintOrderItems).toHaveLength(1);
      expect(res.json.reprintOrderItems[0]).toMatchObject({
        foodId: demo.food("Lemonade").id,
        quantity: 2,
        food: { name: "Lemonade", printerId: "bar" },
      });
      await expectRefused(
        () =>
          call(reprintRoute.POST as Handler, {
            method: "POST",
            params: { id: String(order.id) },
            body: { orderItemIds: [], receipt: false },
            headers: sameOrigin(operatorCookie),
          }),
        400,
        "orderItemIds",
      );
    });
  });

  describe("reading orders", () => {
    it("lists the caller's partner's orders with Last-Event-ID = the log position", async () => {
      await placeOrder();
      const res = await call(ordersRoute.GET as Handler, {
        path: "/api/orders?status=pending,confirmed",
        headers: { cookie: operatorCookie },
      });
      expect(res.status).toBe(200);
      const position = await logPosition({ db: t.db });
      expect(res.headers.get("last-event-id")).toBe(String(position.lastEventId));
      expect(res.json.lastEventId).toBe(position.lastEventId);
      expect(res.json.epoch).toBe(position.epoch);
      expect(res.json.orders.length).toBeGreaterThan(0);
      expect(
        res.json.orders.every(
          (o: { partnerId: string; status: string }) => o.partnerId === demo.partner.id && ["PENDING", "CONFIRMED"].includes(o.status),
        ),
      ).toBe(true);

      const theirs = await call(ordersRoute.GET as Handler, { path: "/api/orders", headers: { cookie: otherCookie } });
      expect(theirs.json.orders.every((o: { partnerId: string }) => o.partnerId === other.partner.id)).toBe(true);
      const all = await call(ordersRoute.GET as Handler, { path: "/api/orders?partner=other", headers: { cookie: adminCookie } });
      expect(all.json.orders.every((o: { partnerId: string }) => o.partnerId === other.partner.id)).toBe(true);

      expect((await call(ordersRoute.GET as Handler, { path: "/api/orders" })).status).toBe(401);
      expect(
        (await call(ordersRoute.GET as Handler, { path: "/api/orders?status=LOST", headers: { cookie: operatorCookie } })).json.error
          .details.field,
      ).toBe("status");
      expect(
        (await call(ordersRoute.GET as Handler, { path: "/api/orders?since=yesterday", headers: { cookie: operatorCookie } })).json.error
          .details.field,
      ).toBe("since");
    });

    it("one order: staff of its partner, the customer with the tracking token; 404 for everyone else", async () => {
      const order = await placeOrder();
      const get = (headers: Record<string, string>, path = `/api/orders/${order.id}`) =>
        call(orderRoute.GET as Handler, { path, params: { id: String(order.id) }, headers });
      expect((await get({ cookie: operatorCookie })).json.id).toBe(order.id);
      expect((await get({ cookie: adminCookie })).json.id).toBe(order.id);
      expect((await get({ cookie: otherCookie })).status).toBe(404);
      expect((await get({ "x-tracking-token": order.trackingToken })).json.status).toBe("PENDING");
      expect((await get({}, `/api/orders/${order.id}?token=${order.trackingToken}`)).status).toBe(200);
      expect((await get({ "x-tracking-token": "trk_wrong" })).status).toBe(404);
      expect((await get({})).status).toBe(401);
    });

    it("a cancelled order: the staff read the reason, the guest with the tracking token never does", async () => {
      const order = await placeOrder();
      const cancel = await call(statusRoute.POST as Handler, {
        method: "POST",
        path: `/api/orders/${order.id}/status`,
        params: { id: String(order.id) },
        body: { status: "CANCELLED", reason: "guest at table 4 was rude" },
        headers: sameOrigin(operatorCookie),
      });
      expect(cancel.status).toBe(200);
      const get = (headers: Record<string, string>) =>
        call(orderRoute.GET as Handler, { path: `/api/orders/${order.id}`, params: { id: String(order.id) }, headers });
      expect((await get({ cookie: operatorCookie })).json).toMatchObject({
        status: "CANCELLED",
        cancelReason: "guest at table 4 was rude",
      });
      const guest = await get({ "x-tracking-token": order.trackingToken });
      expect(guest.json).toMatchObject({ status: "CANCELLED", cancelReason: null });
      expect(JSON.stringify(guest.json)).not.toContain("rude");
    });

    it("menu lists available foods with decimal prices; unknown partner is 404", async () => {
      const res = await call(menuRoute.GET as Handler, { path: "/api/menu?partner=demo" });
      expect(res.json.partner).toEqual({ slug: "demo", name: "Partner demo", imageUrl: null, currency: "USD", locale: "en-US" });
      expect(res.json.foods).toContainEqual(
        expect.objectContaining({ name: "Margherita", price: "12.5", surcharge: "0.5", station: "oven", available: true }),
      );
      expect((await call(menuRoute.GET as Handler, { path: "/api/menu?partner=nope" })).status).toBe(404);
      expect((await call(menuRoute.GET as Handler, { path: "/api/menu" })).json.error.details.field).toBe("partner");
    });

    it("menu with ?soldOut=1 keeps a sold-out dish, greyed (available: false); without it the dish is left out", async () => {
      const fries = demo.food("Fries");
      const off = await call(foodRoute.POST as Handler, {
        method: "POST",
        params: { id: fries.id },
        body: { available: false },
        headers: sameOrigin(operatorCookie),
      });
      expect(off.status).toBe(200);
      try {
        const names = (r: { json: { foods: { name: string; available: boolean }[] } }) =>
          r.json.foods.map((f) => `${f.name}:${f.available}`);
        const plain = await call(menuRoute.GET as Handler, { path: "/api/menu?partner=demo" });
        expect(names(plain)).not.toContain("Fries:false");
        expect(names(plain)).toContain("Margherita:true");
        const all = await call(menuRoute.GET as Handler, { path: "/api/menu?partner=demo&soldOut=1" });
        expect(names(all)).toContain("Fries:false");
        expect(names(all)).toContain("Margherita:true");
      } finally {
        await call(foodRoute.POST as Handler, {
          method: "POST",
          params: { id: fries.id },
          body: { available: true },
          headers: sameOrigin(operatorCookie),
        });
      }
    });

    it("health tells anyone only ok; staff and a HEALTH_TOKEN bearer see the database and the log position", async () => {
      const health = (headers: Record<string, string> = {}) => call(healthRoute.GET as unknown as Handler, { headers });
      const anon = await health();
      expect(anon.status).toBe(200);
      expect(anon.json).toEqual({ status: "ok" });
      // A device token is not staff here; neither is a wrong health token.
      const printer = await makeToken(t.db, { partnerId: demo.partner.id, role: "printer" });
      expect((await health({ authorization: `Bearer ${printer.token}` })).json).toEqual({ status: "ok" });
      const details = { status: "ok", database: t.dialect, lastEventId: expect.any(Number), epoch: expect.any(String) };
      expect((await health({ cookie: operatorCookie })).json).toMatchObject(details);
      const saved = getConfig();
      setConfig({ ...saved, healthToken: "monitoring-token-0123456789" });
      try {
        expect((await health({ authorization: "Bearer monitoring-token-0123456789" })).json).toMatchObject(details);
        expect((await health({ authorization: "Bearer monitoring-token-wrong" })).json).toEqual({ status: "ok" });
      } finally {
        setConfig(saved);
      }
    });
  });

  describe("auth", () => {
    it("login sets an httpOnly SameSite cookie; logout ends the session", async () => {
      const res = await call(loginRoute.POST as Handler, { method: "POST", body: { username: "op", password: "fixture-pass-4821" } });
      const cookie = res.headers.get("set-cookie")!;
      expect(cookie).toMatch(/^pass_session=[\w-]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+$/);
      expect(res.json.user).toMatchObject({ username: "op", role: "operator", partnerId: demo.partner.id });
      const session = cookie.split(";")[0]!;
      expect((await call(meRoute.GET as Handler, { headers: { cookie: session } })).json.principal.username).toBe("op");
      // The session is stored hashed: the cookie value appears nowhere in the database.
      const rows = await t.db.selectFrom("sessions").select("id").execute();
      expect(rows.some((r) => r.id === session.split("=")[1])).toBe(false);
      const out = await call(logoutRoute.POST as Handler, { method: "POST", headers: sameOrigin(session) });
      expect(out.headers.get("set-cookie")).toMatch(/Max-Age=0/);
      expect((await call(meRoute.GET as Handler, { headers: { cookie: session } })).status).toBe(401);
    });

    it("wrong password and unknown user: same answer, similar time", async () => {
      const time = async (body: unknown) => {
        const started = performance.now();
        const res = await call(loginRoute.POST as Handler, { method: "POST", body });
        return { res, ms: performance.now() - started };
      };
      await time({ username: "nobody", password: "x" }); // warm the dummy hash
      const wrong = await time({ username: "op", password: "wrong-password" });
      const unknown = await time({ username: "nobody", password: "wrong-password" });
      expect(wrong.res.status).toBe(401);
      expect(unknown.res.status).toBe(401);
      expect(unknown.res.json).toEqual(wrong.res.json);
      // Both pay for one memory-hard hash; an unknown user must not answer in a fraction of the time.
      expect(unknown.ms).toBeGreaterThan(wrong.ms * 0.4);
      expect(wrong.ms).toBeGreaterThan(unknown.ms * 0.4);
    });

    it("a login from another origin is refused", async () => {
      const res = await call(loginRoute.POST as Handler, {
        method: "POST",
        body: { username: "op", password: "fixture-pass-4821" },
        headers: { origin: "https://evil.example" },
      });
      expect(res.status).toBe(403);
      expect(res.headers.get("set-cookie")).toBeNull();
    });

    describe("behind a proxy (PUBLIC_URL, TRUST_PROXY)", () => {
      /** Runs `fn` with these settings in the process configuration, then restores it. */
      async function withConfig(patch: Partial<Config>, fn: () => Promise<void>) {
        const saved = getConfig();
        setConfig({ ...saved, ...patch });
        try {
          await fn();
        } finally {
          setConfig(saved);
        }
      }
      // nginx's usual `proxy_set_header Host $host` drops the public port; the browser's Origin keeps it.
      const viaNginx = { host: "pass.example.com", origin: "https://pass.example.com:8443" };
      const loginVia = (headers: Record<string, string>) =>
        call(loginRoute.POST as Handler, { method: "POST", body: { username: "op", password: "fixture-pass-4821" }, headers });

      it("a cookie login through it is refused without PUBLIC_URL and accepted with it, Secure; the session then works", async () => {
        const refused = await loginVia(viaNginx);
        expect(refused.status).toBe(403);
        expect(refused.headers.get("set-cookie")).toBeNull();

        await withConfig({ publicUrl: "https://pass.example.com:8443" }, async () => {
          const res = await loginVia(viaNginx);
          expect(res.status).toBe(200);
          expect(res.headers.get("set-cookie")).toMatch(/; Secure$/);
          const cookie = cookieOf(res);
          const order = await placeOrder();
          const confirmed = await call(confirmRoute.POST as Handler, {
            method: "POST",
            params: { id: String(order.id) },
            body: { paymentMethod: "CASH" },
            headers: { ...viaNginx, cookie },
          });
          expect(confirmed.status).toBe(200);
          // Another site is still another site.
          const evil = await loginVia({ host: "pass.example.com", origin: "https://evil.example" });
          expect(evil.status).toBe(403);
          // A tablet on the LAN talking to the node directly over plain http keeps a cookie it can store.
          const lan = await loginVia({ host: "192.168.1.10:3000", origin: "http://192.168.1.10:3000" });
          expect(lan.status).toBe(200);
          expect(lan.headers.get("set-cookie")).not.toContain("Secure");
        });
      });

      it("X-Forwarded-Host and X-Forwarded-Proto are believed only with TRUST_PROXY", async () => {
        const forwarded = { host: "127.0.0.1:3000", "x-forwarded-host": "pass.example.com:8443", origin: "https://pass.example.com:8443" };
        expect((await loginVia(forwarded)).status).toBe(403);
        await withConfig({ trustProxy: 1 }, async () => {
          expect((await loginVia(forwarded)).status).toBe(200);
        });
        // A login without Origin (a script): Secure from the proxy's word only when it is trusted.
        const script = { host: "127.0.0.1:3000", "x-forwarded-proto": "https" };
        expect((await loginVia(script)).headers.get("set-cookie")).not.toContain("Secure");
        await withConfig({ trustProxy: 1 }, async () => {
          expect((await loginVia(script)).headers.get("set-cookie")).toMatch(/; Secure$/);
        });
      });

      it("ALLOWED_ORIGINS lets a listed origin's page use the cookie, no other", async () => {
        await withConfig({ allowedOrigins: ["https://kiosk.example.com"] }, async () => {
          expect((await loginVia({ host: "pass.test", origin: "https://kiosk.example.com" })).status).toBe(200);
          expect((await loginVia({ host: "pass.test", origin: "https://other.example.com" })).status).toBe(403);
        });
      });
    });

    it("bearer tokens: valid works, unknown / revoked / expired are 401 and write nothing", async () => {
      const token = await makeToken(t.db, { partnerId: demo.partner.id, role: "integration" });
      const create = (bearer: string) =>
        call(ordersRoute.POST as Handler, {
          method: "POST",
          body: { partner: "demo", items: [item()] },
          headers: { authorization: `Bearer ${bearer}` },
        });
      const ok = await create(token.token);
      expect(ok.status).toBe(201);
      expect(ok.json.source).toBe("api");

      // Bearer requests skip the CSRF check: browsers never attach them on their own.
      const rows = await t.db.selectFrom("deviceTokens").select("tokenHash").execute();
      expect(rows.some((r) => r.tokenHash === token.token)).toBe(false);

      await expectRefused(() => create("pass_unknown"), 401);
      await revokeDeviceToken({ db: t.db, id: token.id });
      const revoked = await expectRefused(() => create(token.token), 401);
      expect(revoked.json.error.message).toBe("token revoked");
      const expired = await createDeviceToken({
        db: t.db,
        partnerId: demo.partner.id,
        role: "integration",
        expiresAt: new Date(Date.now() - 1000).toISOString(),
      });
      const res = await expectRefused(() => create(expired.token), 401);
      expect(res.json.error.message).toBe("token expired");
      await expectRefused(() => call(ordersRoute.GET as Handler, { path: "/api/orders", headers: { authorization: "Basic abc" } }), 401);
    });

    it("a printer-only token may not read or change orders", async () => {
      const printer = await makeToken(t.db, { partnerId: demo.partner.id, role: "printer" });
      const res = await call(ordersRoute.GET as Handler, { path: "/api/orders", headers: { authorization: `Bearer ${printer.token}` } });
      expect(res.status).toBe(403);
    });
  });

  describe("concurrency", () => {
    it("parallel creates and confirms never share a display code or a ticket number", async () => {
      const N = 40;
      const created = await Promise.all(
        Array.from({ length: N }, () =>
          call(ordersRoute.POST as Handler, {
            method: "POST",
            body: { partner: "other", items: [{ foodId: other.food("Fries").id, quantity: 1 }] },
          }),
        ),
      );
      expect(created.every((r) => r.status === 201)).toBe(true);
      const codes = created.map((r) => r.json.displayCode as string);
      expect(new Set(codes).size).toBe(N);

      const confirmed = await Promise.all(
        created.map((r) =>
          call(confirmRoute.POST as Handler, {
            method: "POST",
            params: { id: String(r.json.id) },
            body: { paymentMethod: "CASH" },
            headers: sameOrigin(otherCookie),
          }),
        ),
      );
      expect(confirmed.map((r) => r.status)).toEqual(Array(N).fill(200));
      const tickets = confirmed.map((r) => r.json.ticketNumber as number).sort((a, b) => a - b);
      expect(new Set(tickets).size).toBe(N);

      // The same order confirmed by many requests at once: exactly one wins, the rest get 409.
      const fresh = await placeOrder();
      const racing = await Promise.all(
        Array.from({ length: 8 }, () =>
          call(confirmRoute.POST as Handler, {
            method: "POST",
            params: { id: String(fresh.id) },
            body: { paymentMethod: "CARD" },
            headers: sameOrigin(operatorCookie),
          }),
        ),
      );
      expect(racing.filter((r) => r.status === 200)).toHaveLength(1);
      expect(racing.filter((r) => r.status === 409)).toHaveLength(7);
    });
  });
});
