/**
 * The cart routes (docs/contracts.md#carts) on SQLite and PostgreSQL: the phones' happy path over
 * HTTP, and bad input — unknown food, quantity 0 / 100 / past int4, NUL in notes, a missing
 * required option, unknown fields, tokens — answered 4xx naming the field with nothing written.
 */
import { beforeAll, expect, it } from "vitest";
import { logPosition } from "@/lib/events/log";
import { createGroup, updateFood } from "@/lib/menu";
import { fromAddress } from "@/lib/testing/db";
import { describeEachDatabase } from "@/lib/testing/each-database";
import { makePartner, makeUser, type TestPartner } from "@/lib/testing/fixtures";
import * as itemRoute from "./[id]/items/[itemId]/route";
import * as itemsRoute from "./[id]/items/route";
import * as meRoute from "./[id]/me/route";
import * as cartRoute from "./[id]/route";
import * as submitRoute from "./[id]/submit/route";
import * as cartsRoute from "./route";

const ORIGIN = "http://pass.test";
type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

async function call(
  handler: unknown,
  {
    method,
    path,
    body,
    params = {},
    headers = {},
  }: { method: string; path: string; body?: unknown; params?: Record<string, string>; headers?: Record<string, string> },
) {
  const res = await (handler as Handler)(
    new Request(`${ORIGIN}${path}`, {
      method,
      headers: { host: "pass.test", "content-type": "application/json", ...fromAddress("198.18.0.7"), ...headers },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    }),
    { params: Promise.resolve(params) },
  );
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null, headers: res.headers };
}

describeEachDatabase("/api/carts", (ctx) => {
  let demo: TestPartner;
  let groupId: string;
  let rareId: string;
  let cart: { id: number; token: string };

  beforeAll(async () => {
    demo = await makePartner(ctx.db, "demo");
    const { principal } = await makeUser(ctx.db, { partnerId: demo.partner.id, role: "operator", username: "op" });
    const group = await createGroup({
      db: ctx.db,
      principal,
      input: { partner: "demo", name: "Doneness", min: 1, max: 1, options: [{ name: "Rare" }, { name: "Medium" }] },
    });
    groupId = group.id;
    rareId = group.options[0]!.id;
    await updateFood({ db: ctx.db, principal, id: demo.food("Margherita").id, patch: { modifierGroupIds: [groupId] } });
    const opened = await call(cartsRoute.POST, { method: "POST", path: "/api/carts", body: { partner: "demo", table: "5" } });
    expect(opened.status).toBe(201);
    cart = { id: opened.json.id, token: opened.json.cartToken };
  });

  const items = (body: unknown, token = cart.token) =>
    call(itemsRoute.POST, {
      method: "POST",
      path: `/api/carts/${cart.id}/items`,
      params: { id: String(cart.id) },
      headers: { authorization: `Bearer ${token}` },
      body,
    });

  async function written() {
    const items = await ctx.db
      .selectFrom("orderItems")
      .select((eb) => eb.fn.countAll().as("n"))
      .executeTakeFirstOrThrow();
    return { events: (await logPosition({ db: ctx.db })).lastEventId, items: Number(items.n) };
  }
  async function expectRefused(run: () => Promise<{ status: number; json: any }>, field: string | null, status = 400) {
    const before = await written();
    const res = await run();
    expect(res.status, JSON.stringify(res.json)).toBe(status);
    if (field !== null) expect(res.json.error.details?.field, JSON.stringify(res.json)).toBe(field);
    expect(await written()).toEqual(before);
  }

  it("a phone's path over HTTP: open (201), join (200), add, change, remove, rename, read, submit", async () => {
    const second = await call(cartsRoute.POST, { method: "POST", path: "/api/carts", body: { partner: "demo", table: "5", name: "Ben" } });
    expect(second.status).toBe(200);
    expect(second.json).toMatchObject({ id: cart.id, joined: true, me: { name: "Ben", number: 2 }, state: "OPEN", table: "5" });
    expect(second.json.cartToken).toMatch(/^cart_/);
    const added = await items({ foodId: demo.food("Fries").id, quantity: 2, notes: "crispy" });
    expect(added.status).toBe(201);
    expect(added.json).toMatchObject({
      total: "9",
      itemCount: 2,
      items: [{ id: added.json.itemId, name: "Fries", notes: "crispy", version: 1 }],
    });
    const itemPath = `/api/carts/${cart.id}/items/${added.json.itemId}?token=${second.json.cartToken}`;
    const params = { id: String(cart.id), itemId: added.json.itemId };
    const changed = await call(itemRoute.PATCH, { method: "PATCH", path: itemPath, params, body: { quantity: 3, notes: null } });
    expect(changed.status).toBe(200);
    expect(changed.json.items[0]).toMatchObject({ quantity: 3, notes: null, version: 2, addedBy: { number: 1 } });
    const renamed = await call(meRoute.PATCH, {
      method: "PATCH",
      path: `/api/carts/${cart.id}/me?token=${cart.token}`,
      params: { id: String(cart.id) },
      body: { name: "Ana" },
    });
    expect(renamed.json.me).toMatchObject({ name: "Ana", number: 1 });
    const read = await call(cartRoute.GET, {
      method: "GET",
      path: `/api/carts/${cart.id}?token=${cart.token}`,
      params: { id: String(cart.id) },
    });
    expect(read.json.items[0].addedBy).toMatchObject({ name: "Ana" });
    const removed = await call(itemRoute.DELETE, { method: "DELETE", path: itemPath, params });
    expect(removed.json).toMatchObject({ items: [], total: "0", itemCount: 0 });
    await items({ foodId: demo.food("Lemonade").id, quantity: 1 });
    const submitted = await call(submitRoute.POST, {
      method: "POST",
      path: `/api/carts/${cart.id}/submit`,
      params: { id: String(cart.id) },
      headers: { authorization: `Bearer ${cart.token}` },
      body: { serviceType: "dine-in", customer: "Ana", allergies: { codes: ["nuts"], note: "severe" } },
    });
    expect(submitted.status).toBe(201);
    expect(submitted.json).toMatchObject({ id: cart.id, status: "PENDING", table: "5", customer: "Ana", allergyAlert: true });
    expect(submitted.json.trackingToken).toMatch(/^trk_/);
    // Open a fresh cart for the bad-input cases.
    const fresh = await call(cartsRoute.POST, { method: "POST", path: "/api/carts", body: { partner: "demo", table: "5" } });
    cart = { id: fresh.json.id, token: fresh.json.cartToken };
  });

  it("bad lines are refused naming the field, nothing written", async () => {
    await expectRefused(() => items({ foodId: "no-such-food", quantity: 1 }), "foodId");
    for (const quantity of [0, 100, -1, 1.5, 2147483648, "2", null]) {
      await expectRefused(() => items({ foodId: demo.food("Fries").id, quantity }), "quantity");
    }
    await expectRefused(() => items({ foodId: demo.food("Fries").id, quantity: 1, notes: "a\u0000b" }), "notes");
    await expectRefused(() => items({ foodId: demo.food("Fries").id, quantity: 1, notes: "x".repeat(501) }), "notes");
    await expectRefused(() => items({ foodId: "a\u0000b", quantity: 1 }), "foodId");
    await expectRefused(() => items({ foodId: demo.food("Margherita").id, quantity: 1 }), "modifiers");
    await expectRefused(
      () => items({ foodId: demo.food("Margherita").id, quantity: 1, modifiers: [{ groupId, optionIds: ["nope"] }] }),
      "modifiers.0.optionIds.0",
    );
    await expectRefused(() => items({ foodId: demo.food("Fries").id, quantity: 1, price: "0.01" }), "price");
    await expectRefused(() => items("{"), "body");
    const ok = await items({ foodId: demo.food("Margherita").id, quantity: 1, modifiers: [{ groupId, optionIds: [rareId] }] });
    expect(ok.status).toBe(201);
    const itemPath = `/api/carts/${cart.id}/items/${ok.json.itemId}?token=${cart.token}`;
    const params = { id: String(cart.id), itemId: ok.json.itemId };
    for (const quantity of [0, 100, 2147483648]) {
      await expectRefused(() => call(itemRoute.PATCH, { method: "PATCH", path: itemPath, params, body: { quantity } }), "quantity");
    }
    await expectRefused(() => call(itemRoute.PATCH, { method: "PATCH", path: itemPath, params, body: {} }), "body");
    await expectRefused(() => call(itemRoute.PATCH, { method: "PATCH", path: itemPath, params, body: { modifiers: [] } }), "modifiers");
    await expectRefused(() => call(itemRoute.PATCH, { method: "PATCH", path: itemPath, params, body: { notes: "\u0000" } }), "notes");
    // Unknown or unreadable ids are not found.
    for (const itemId of ["no-such-item", "\u0000", "x".repeat(65)]) {
      await expectRefused(
        () =>
          call(itemRoute.DELETE, {
            method: "DELETE",
            path: `/api/carts/${cart.id}/items/x?token=${cart.token}`,
            params: { id: String(cart.id), itemId },
          }),
        null,
        404,
      );
    }
  });

  it("opening: partner, table, name and cart are checked; tokens: none is 401, another cart's or a bad id 404", async () => {
    const open = (body: unknown) => call(cartsRoute.POST, { method: "POST", path: "/api/carts", body });
    await expectRefused(() => open({ partner: "demo" }), "table");
    await expectRefused(() => open({ partner: "demo", table: "   " }), "table");
    await expectRefused(() => open({ partner: "demo", table: "5\u0000" }), "table");
    await expectRefused(() => open({ partner: "demo", table: "x".repeat(33) }), "table");
    await expectRefused(() => open({ partner: "demo", table: "5", name: "a\nb" }), "name");
    await expectRefused(() => open({ partner: "demo", table: "5", cart: 2147483648 }), "cart");
    await expectRefused(() => open({ partner: "nobody", table: "5" }), "partner", 404);
    await expectRefused(() => open({ partner: "demo", table: "6", cart: cart.id }), "cart", 404);

    await expectRefused(
      () => call(itemsRoute.POST, { method: "POST", path: `/api/carts/${cart.id}/items`, params: { id: String(cart.id) }, body: {} }),
      null,
      401,
    );
    const other = await open({ partner: "demo", table: "66" });
    await expectRefused(() => items({ foodId: demo.food("Fries").id, quantity: 1 }, other.json.cartToken), null, 404);
    for (const id of ["2147483648", "0", "abc"]) {
      const res = await call(cartRoute.GET, { method: "GET", path: `/api/carts/${id}?token=${cart.token}`, params: { id } });
      expect(res.status).toBe(404);
    }
    await expectRefused(
      () =>
        call(submitRoute.POST, {
          method: "POST",
          path: `/api/carts/${cart.id}/submit?token=${cart.token}`,
          params: { id: String(cart.id) },
          body: { serviceType: "drive-thru" },
        }),
      "serviceType",
    );
    await expectRefused(
      () =>
        call(submitRoute.POST, {
          method: "POST",
          path: `/api/carts/${cart.id}/submit?token=${cart.token}`,
          params: { id: String(cart.id) },
          body: { allergies: { codes: ["nutz"] } },
        }),
      "allergies.codes.0",
    );
    const submit = (body: unknown) =>
      call(submitRoute.POST, {
        method: "POST",
        path: `/api/carts/${cart.id}/submit?token=${cart.token}`,
        params: { id: String(cart.id) },
        body,
      });
    await expectRefused(() => submit({ promisedAt: "tomorrow" }), "promisedAt");
    await expectRefused(() => submit({ customer: "x".repeat(101) }), "customer");
    await expectRefused(() => submit({ customer: "a\u0000b" }), "customer");
    await expectRefused(() => submit({ total: "0.01" }), "total");
    await expectRefused(() => submit({ allergies: { note: "x".repeat(201) } }), "allergies.note");
    await expectRefused(() => open({ partner: "demo", table: "5", price: "1" }), "price");
    const rename = (body: unknown) =>
      call(meRoute.PATCH, {
        method: "PATCH",
        path: `/api/carts/${cart.id}/me?token=${cart.token}`,
        params: { id: String(cart.id) },
        body,
      });
    for (const name of ["", "   ", "a\u0000b", "x".repeat(41), 5]) await expectRefused(() => rename({ name }), "name");
    await expectRefused(() => rename({}), "name");
    // The cart is still open and unchanged: refused bodies changed nothing, on either database.
    const read = await call(cartRoute.GET, {
      method: "GET",
      path: `/api/carts/${cart.id}?token=${cart.token}`,
      params: { id: String(cart.id) },
    });
    expect(read.json).toMatchObject({ state: "OPEN", me: { name: "Guest 1" } });
  });
});
