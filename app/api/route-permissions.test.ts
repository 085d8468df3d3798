/**
 * Every real REST route file under app/api, walked for every kind of caller (issue "Security
 * hardening", item 2): the route files and their exported methods are found on disk, each one
 * is called as anonymous, an admin, an operator, a kitchen user and each device-token role, and
 * the answer must agree with the permission table (lib/auth/access.ts): allowed → 2xx, denied →
 * 401 for anonymous and 403/404 for everyone else. A new route file, or a new method in one,
 * fails here until it has a row in RULES. On SQLite and PostgreSQL.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { CHANNELS, can, canReadChannel, canSetStatus, type Principal, type TokenRole } from "@/lib/auth";
import type { Db } from "@/lib/db";
import { createCategory, createFood, createGroup, createStation } from "@/lib/menu";
import { startPairing } from "@/lib/auth/pairing";
import { createLimits, scaledRules, setLimits } from "@/lib/limits";
import { addCartItem, assignCourier, changeStatus, createCourier, issueCourierToken, openCart } from "@/lib/orders";
import { createWebhook } from "@/lib/notifications";
import { processSlot } from "@/lib/process";
import { reportPartner, writeZReport } from "@/lib/reports";
import { createPrinter, planFromLog } from "@/lib/printing";
import { DemoRunner, demoRunner, setDemoRunner } from "@/lib/demo/runner";
import { fromAddress } from "@/lib/testing/db";
import { describeEachDatabase } from "@/lib/testing/each-database";
import { makePartner, makeToken, makeUser, placeConfirmedOrder, placeOrder, type TestPartner } from "@/lib/testing/fixtures";
import { startTestNode, type TestNode } from "@/lib/testing/node";

const ORIGIN = "http://pass.test";
const API_DIR = import.meta.dirname;
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"] as const;
type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** app/api/orders/[id]/route.ts → /api/orders/[id] */
function routeFiles(dir = API_DIR): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return routeFiles(full);
    return e.name === "route.ts" ? [full] : [];
  });
}
const routePath = (file: string) => `/api/${path.relative(API_DIR, path.dirname(file)).split(path.sep).join("/")}`;

type Caller = { who: string; principal: Principal | null; headers: Record<string, string> };
type Fixtures = {
  db: Db;
  demo: TestPartner;
  admin: Principal;
  signIn: (username: string) => Promise<string>;
  stationIds: string[];
  /** The walk's courier (lib/orders/couriers.ts): a caller too, signed in with its token. */
  courierId: string;
};
type Call = { path?: string; params?: Record<string, string>; body?: unknown; headers?: Record<string, string> };
type Rule = {
  /** What the permission table says about this caller. */
  allows: (principal: Principal | null) => boolean;
  /** A request this route accepts from an allowed caller (fresh rows where it changes them). */
  call: (fx: Fixtures, caller: Caller) => Promise<Call> | Call;
  /** Several requests per caller (one per stream channel). */
  each?: readonly string[];
};

let counter = 0;
const seq = () => ++counter;
const newCategory = (db: Db, admin: Principal) =>
  createCategory({ db, principal: admin, input: { partner: "demo", name: `Cat ${seq()}` } });
const newGroup = (db: Db, admin: Principal) =>
  createGroup({ db, principal: admin, input: { partner: "demo", name: `Group ${seq()}`, min: 0, max: 1, options: [{ name: "One" }] } });
const newFood = async (db: Db, admin: Principal, demo: TestPartner) =>
  createFood({
    db,
    principal: admin,
    input: { partner: "demo", name: `Food ${seq()}`, price: "2", categoryId: demo.food("Fries").categoryId!, station: "fryer" },
  });

const newPrinter = (db: Db, admin: Principal) =>
  createPrinter({ db, principal: admin, input: { partner: "demo", name: `P ${seq()}`, host: "127.0.0.1", stations: ["oven"] } });
// A partner keeps at most 10 webhooks: the walk makes one per caller, so it clears them first.
const newWebhook = async (db: Db, admin: Principal) => {
  await db.deleteFrom("webhooks").execute();
  return createWebhook({
    db,
    principal: admin,
    partner: "demo",
    input: { url: `https://hooks.example.com/${seq()}` },
    allowPrivate: false,
  });
};

/** A courier of demo (a UK drama-range number per call, all different). */
const newCourier = (db: Db, admin: Principal) =>
  createCourier({ db, principal: admin, partner: "demo", input: { name: `Rider ${seq()}`, phone: `+44207946${String(5000 + seq())}` } });

const anyone = () => true;
const signedIn = (p: Principal | null) => p !== null;
const action = (a: Parameters<typeof can>[1]) => (p: Principal | null) => p !== null && can(p, a);

const RULES: Record<string, Rule> = {
  "POST /api/auth/login": { allows: anyone, call: () => ({ body: { username: "walker", password: "fixture-pass-4821" } }) },
  // A session of its own: logging the caller's out would end the walk.
  "POST /api/auth/logout": {
    allows: anyone,
    call: async (fx, c) =>
      c.principal?.kind === "user" ? { headers: { cookie: await fx.signIn(c.principal.username), origin: ORIGIN } } : {},
  },
  "GET /api/auth/lockouts": { allows: action("lockouts:read"), call: () => ({}) },
  "GET /api/health": { allows: anyone, call: () => ({}) },
  "GET /api/me": { allows: signedIn, call: () => ({}) },
  "GET /api/menu": { allows: anyone, call: () => ({ path: "/api/menu?partner=demo" }) },
  "GET /api/partners": { allows: signedIn, call: () => ({}) },
  "GET /api/orders": { allows: action("orders:read"), call: () => ({}) },
  // Guests order with a partner slug; a principal needs orders:create.
  "POST /api/orders": {
    allows: (p) => p === null || can(p, "orders:create"),
    call: ({ demo }) => ({ body: { partner: "demo", source: "kiosk", items: [{ foodId: demo.food("Fries").id, quantity: 1 }] } }),
  },
  // A table's shared cart: guests with the cart token (in ?token= here: a caller's own bearer is not one), whoever else is signed in.
  "POST /api/carts": { allows: anyone, call: () => ({ body: { partner: "demo", table: `perm-${seq()}` } }) },
  "GET /api/carts/[id]": {
    allows: anyone,
    call: async ({ db }) => {
      const c = await openCart({ db, input: { partner: "demo", table: `perm-${seq()}` } });
      return { path: `/api/carts/${c.cart.id}?token=${c.cartToken}`, params: { id: String(c.cart.id) } };
    },
  },
  "PATCH /api/carts/[id]/me": {
    allows: anyone,
    call: async ({ db }) => {
      const c = await openCart({ db, input: { partner: "demo", table: `perm-${seq()}` } });
      return { path: `/api/carts/${c.cart.id}/me?token=${c.cartToken}`, params: { id: String(c.cart.id) }, body: { name: "Ana" } };
    },
  },
  "POST /api/carts/[id]/items": {
    allows: anyone,
    call: async ({ db, demo }) => {
      const c = await openCart({ db, input: { partner: "demo", table: `perm-${seq()}` } });
      return {
        path: `/api/carts/${c.cart.id}/items?token=${c.cartToken}`,
        params: { id: String(c.cart.id) },
        body: { foodId: demo.food("Fries").id, quantity: 1 },
      };
    },
  },
  "PATCH /api/carts/[id]/items/[itemId]": {
    allows: anyone,
    call: async ({ db, demo }) => {
      const c = await openCart({ db, input: { partner: "demo", table: `perm-${seq()}` } });
      const { item } = await addCartItem({ db, id: c.cart.id, token: c.cartToken, input: { foodId: demo.food("Fries").id, quantity: 1 } });
      return {
        path: `/api/carts/${c.cart.id}/items/${item.id}?token=${c.cartToken}`,
        params: { id: String(c.cart.id), itemId: item.id },
        body: { quantity: 2 },
      };
    },
  },
  "DELETE /api/carts/[id]/items/[itemId]": {
    allows: anyone,
    call: async ({ db, demo }) => {
      const c = await openCart({ db, input: { partner: "demo", table: `perm-${seq()}` } });
      const { item } = await addCartItem({ db, id: c.cart.id, token: c.cartToken, input: { foodId: demo.food("Fries").id, quantity: 1 } });
      return { path: `/api/carts/${c.cart.id}/items/${item.id}?token=${c.cartToken}`, params: { id: String(c.cart.id), itemId: item.id } };
    },
  },
  "POST /api/carts/[id]/submit": {
    allows: anyone,
    call: async ({ db, demo }) => {
      const c = await openCart({ db, input: { partner: "demo", table: `perm-${seq()}` } });
      await addCartItem({ db, id: c.cart.id, token: c.cartToken, input: { foodId: demo.food("Fries").id, quantity: 1 } });
      return { path: `/api/carts/${c.cart.id}/submit?token=${c.cartToken}`, params: { id: String(c.cart.id) }, body: {} };
    },
  },
  "GET /api/orders/[id]": {
    allows: action("orders:read"),
    call: async ({ db, demo }) => ({ params: { id: String((await placeOrder(db, demo)).order.id) } }),
  },
  // The order view and the invoice (issue 17): staff who read orders; the guest's invoice by token is tested in lib/orders/invoice.test.ts.
  "GET /api/orders/[id]/history": {
    allows: action("orders:read"),
    call: async ({ db, demo }) => ({ params: { id: String((await placeOrder(db, demo)).order.id) } }),
  },
  "GET /api/orders/[id]/invoice.pdf": {
    allows: action("orders:read"),
    call: async ({ db, demo, admin }) => ({ params: { id: String((await placeConfirmedOrder(db, demo, admin)).id) } }),
  },
  "POST /api/orders/[id]/confirm": {
    allows: action("orders:confirm"),
    call: async ({ db, demo }) => ({ params: { id: String((await placeOrder(db, demo)).order.id) }, body: { paymentMethod: "CASH" } }),
  },
  "POST /api/orders/[id]/status": {
    allows: (p) => p !== null && canSetStatus(p, "PREPARING"),
    call: async ({ db, demo, admin }) => ({
      params: { id: String((await placeConfirmedOrder(db, demo, admin)).id) },
      body: { status: "PREPARING" },
    }),
  },
  "POST /api/orders/[id]/reprint": {
    allows: action("orders:reprint"),
    call: async ({ db, demo, admin }) => ({
      params: { id: String((await placeConfirmedOrder(db, demo, admin)).id) },
      body: { orderItemIds: [], receipt: true },
    }),
  },
  "POST /api/orders/[id]/courier": {
    allows: action("orders:confirm"),
    call: async ({ db, demo, admin }) => ({
      params: { id: String((await placeConfirmedOrder(db, demo, admin, { source: "delivery", principal: admin })).id) },
      body: { courierName: "Dana" },
    }),
  },
  "POST /api/foods/[id]": {
    allows: action("foods:write"),
    call: ({ demo }) => ({ params: { id: demo.food("Lemonade").id }, body: { available: true } }),
  },
  "PATCH /api/foods/[id]": {
    allows: action("foods:write"),
    call: ({ demo }) => ({ params: { id: demo.food("Lemonade").id }, body: { available: true } }),
  },
  "POST /api/screens/heartbeat": {
    allows: signedIn,
    call: (_fx, c) => ({
      body: { screenId: `walk-${c.who.replace(/\W/g, "-")}`, screen: "walk", lastEventId: null, soundUnlocked: true, awake: true },
    }),
  },
  "GET /api/screens": { allows: action("orders:read"), call: () => ({}) },
  // --- the menu (issue "The menu"): fresh rows per call where the call changes them ---
  "GET /api/menu/allergens": { allows: anyone, call: () => ({}) },
  "GET /api/menu/manage": { allows: action("menu:86"), call: () => ({ path: "/api/menu/manage?partner=demo" }) },
  "POST /api/stations": { allows: action("menu:write"), call: () => ({ body: { partner: "demo", key: `walk-${seq()}`, name: "Walk" } }) },
  "PATCH /api/stations/[id]": {
    allows: action("menu:write"),
    call: async ({ db, admin }) => ({
      params: { id: (await createStation({ db, principal: admin, input: { partner: "demo", key: `st-${seq()}`, name: "S" } })).id },
      body: { name: "Renamed" },
    }),
  },
  "POST /api/stations/reorder": { allows: action("menu:write"), call: (fx) => ({ body: { partner: "demo", ids: [fx.stationIds[0]!] } }) },
  "POST /api/categories": { allows: action("menu:write"), call: () => ({ body: { partner: "demo", name: `Walk ${seq()}` } }) },
  "PATCH /api/categories/[id]": {
    allows: action("menu:write"),
    call: async ({ db, admin }) => ({ params: { id: (await newCategory(db, admin)).id }, body: { name: `Renamed ${seq()}` } }),
  },
  "DELETE /api/categories/[id]": {
    allows: action("menu:write"),
    call: async ({ db, admin }) => ({ params: { id: (await newCategory(db, admin)).id } }),
  },
  "POST /api/categories/reorder": {
    allows: action("menu:write"),
    call: (fx) => ({ body: { partner: "demo", ids: [fx.demo.food("Fries").categoryId!] } }),
  },
  "POST /api/foods": {
    allows: action("menu:write"),
    call: ({ demo }) => ({
      body: { partner: "demo", name: `Dish ${seq()}`, price: "3", categoryId: demo.food("Fries").categoryId!, station: "fryer" },
    }),
  },
  "DELETE /api/foods/[id]": {
    allows: action("menu:write"),
    call: async ({ db, admin, demo }) => ({ params: { id: (await newFood(db, admin, demo)).id } }),
  },
  "POST /api/foods/[id]/availability": {
    allows: action("menu:86"),
    call: ({ demo }) => ({ params: { id: demo.food("Lemonade").id }, body: { available: true } }),
  },
  "POST /api/foods/reorder": {
    allows: action("menu:write"),
    call: ({ demo }) => ({ body: { partner: "demo", ids: [demo.food("Fries").id] } }),
  },
  "POST /api/modifier-groups": {
    allows: action("menu:write"),
    call: () => ({ body: { partner: "demo", name: `G ${seq()}`, min: 0, max: 1 } }),
  },
  "PATCH /api/modifier-groups/[id]": {
    allows: action("menu:write"),
    call: async ({ db, admin }) => ({ params: { id: (await newGroup(db, admin)).id }, body: { name: "Renamed" } }),
  },
  "DELETE /api/modifier-groups/[id]": {
    allows: action("menu:write"),
    call: async ({ db, admin }) => ({ params: { id: (await newGroup(db, admin)).id } }),
  },
  "POST /api/modifier-groups/reorder": {
    allows: action("menu:write"),
    call: async ({ db, admin }) => ({ body: { partner: "demo", ids: [(await newGroup(db, admin)).id] } }),
  },
  "POST /api/modifier-groups/[id]/options": {
    allows: action("menu:write"),
    call: async ({ db, admin }) => ({ params: { id: (await newGroup(db, admin)).id }, body: { name: "Extra" } }),
  },
  "PATCH /api/modifier-groups/[id]/options/[optionId]": {
    allows: action("menu:write"),
    call: async ({ db, admin }) => {
      const g = await newGroup(db, admin);
      return { params: { id: g.id, optionId: g.options[0]!.id }, body: { name: "Renamed" } };
    },
  },
  "DELETE /api/modifier-groups/[id]/options/[optionId]": {
    allows: action("menu:write"),
    call: async ({ db, admin }) => {
      const g = await newGroup(db, admin);
      return { params: { id: g.id, optionId: g.options[0]!.id } };
    },
  },
  "POST /api/modifier-groups/[id]/options/[optionId]/availability": {
    allows: action("menu:86"),
    call: async ({ db, admin }) => {
      const g = await newGroup(db, admin);
      return { params: { id: g.id, optionId: g.options[0]!.id }, body: { available: false, until: "end-of-day" } };
    },
  },
  "POST /api/modifier-groups/[id]/options/reorder": {
    allows: action("menu:write"),
    call: async ({ db, admin }) => {
      const g = await newGroup(db, admin);
      return { params: { id: g.id }, body: { ids: [g.options[0]!.id] } };
    },
  },
  // --- allergies and the station workflow ---
  "POST /api/orders/[id]/allergy-ack": {
    allows: action("orders:allergy-ack"),
    call: async ({ db, demo, admin }) => ({
      params: { id: String((await placeConfirmedOrder(db, demo, admin, { allergies: { codes: ["peanuts"] } })).id) },
    }),
  },
  "POST /api/orders/[id]/stations/[station]/[action]": {
    allows: action("orders:status"),
    call: async ({ db, demo, admin }) => ({
      params: {
        id: String((await placeConfirmedOrder(db, demo, admin, { items: [{ food: "Fries" }] })).id),
        station: "fryer",
        action: "start",
      },
    }),
  },
  "POST /api/orders/[id]/expo": {
    allows: action("orders:status"),
    call: async ({ db, demo, admin }) => ({
      params: { id: String((await placeConfirmedOrder(db, demo, admin)).id) },
      body: { force: true },
    }),
  },
  "POST /api/orders/[id]/fire": {
    allows: action("orders:status"),
    call: async ({ db, demo, admin }) => ({
      params: {
        id: String((await placeConfirmedOrder(db, demo, admin, { items: [{ food: "Fries" }, { food: "Lemonade", course: 2 }] })).id),
      },
      body: { course: 2 },
    }),
  },
  "GET /api/partners/[slug]/kitchen-settings": { allows: action("orders:read"), call: () => ({ params: { slug: "demo" } }) },
  "PATCH /api/partners/[slug]/kitchen-settings": {
    allows: action("menu:write"),
    call: () => ({ params: { slug: "demo" }, body: { warnPercent: 100 } }),
  },
  // --- network printers ---
  "GET /api/printers": { allows: action("printers:read"), call: () => ({}) },
  "POST /api/printers": {
    allows: action("printers:write"),
    call: () => ({ body: { partner: "demo", name: `walk-${seq()}`, host: "127.0.0.1", port: 9100, stations: ["oven"] } }),
  },
  "PATCH /api/printers/[id]": {
    allows: action("printers:write"),
    call: async ({ db, admin }) => ({ params: { id: (await newPrinter(db, admin)).id }, body: { port: 9101 } }),
  },
  "DELETE /api/printers/[id]": {
    allows: action("printers:write"),
    call: async ({ db, admin }) => ({ params: { id: (await newPrinter(db, admin)).id } }),
  },
  "GET /api/printers/[id]/jobs": {
    allows: action("printers:read"),
    call: async ({ db, admin }) => ({ params: { id: (await newPrinter(db, admin)).id } }),
  },
  "POST /api/printers/[id]/test": {
    allows: action("printers:operate"),
    call: async ({ db, admin }) => ({ params: { id: (await newPrinter(db, admin)).id } }),
  },
  "POST /api/print-jobs/[id]/reprint": {
    allows: action("printers:operate"),
    call: async ({ db, demo, admin }) => {
      const printer = await newPrinter(db, admin);
      await placeConfirmedOrder(db, demo, admin, { items: [{ food: "Margherita" }] });
      await planFromLog({ db });
      const job = await db.selectFrom("printJobs").select("id").where("printerId", "=", printer.id).executeTakeFirstOrThrow();
      return { params: { id: job.id } };
    },
  },
  // The demo service: admins only. Its runner here orders into a server that answers 503, so a run ends by itself.
  "GET /api/demo": { allows: action("demo:run"), call: () => ({}) },
  "POST /api/demo": { allows: action("demo:run"), call: () => ({ body: { minutes: 1 } }) },
  "DELETE /api/demo": { allows: action("demo:run"), call: () => ({}) },
  // --- the back office (issue "Cashier and back office" item 2) ---
  "GET /api/partners/[slug]": { allows: signedIn, call: () => ({ params: { slug: "demo" } }) },
  "PATCH /api/partners/[slug]": {
    allows: action("partner:write"),
    call: () => ({ params: { slug: "demo" }, body: { currency: "USD", locale: "en-US" } }),
  },
  "GET /api/partners/[slug]/users": { allows: action("users:manage"), call: () => ({ params: { slug: "demo" } }) },
  "POST /api/partners/[slug]/users": {
    allows: action("users:manage"),
    call: () => ({ params: { slug: "demo" }, body: { username: `walk-${seq()}`, role: "kitchen", password: "fixture-pass-4821" } }),
  },
  // A fresh row per call, written directly: hashing a password per caller would cost the walk seconds.
  "PATCH /api/users/[id]": {
    allows: action("users:manage"),
    call: async ({ db, demo }) => {
      const id = `walked-${seq()}`;
      await db
        .insertInto("users")
        .values({
          id,
          partnerId: demo.partner.id,
          role: "kitchen",
          username: id,
          passwordHash: "-",
          createdAt: new Date().toISOString(),
          disabledAt: null,
        })
        .execute();
      return { params: { id }, body: { disabled: true } };
    },
  },
  "GET /api/partners/[slug]/devices": { allows: action("devices:manage"), call: () => ({ params: { slug: "demo" } }) },
  "POST /api/partners/[slug]/devices": {
    allows: action("devices:manage"),
    call: () => ({ params: { slug: "demo" }, body: { name: `Walk ${seq()}`, role: "printer" } }),
  },
  "PATCH /api/devices/[id]": {
    allows: action("devices:manage"),
    call: async ({ db, demo }) => ({
      params: { id: (await makeToken(db, { partnerId: demo.partner.id, role: "kitchen" })).id },
      body: { name: `Renamed ${seq()}` },
    }),
  },
  "DELETE /api/devices/[id]": {
    allows: action("devices:manage"),
    call: async ({ db, demo }) => ({ params: { id: (await makeToken(db, { partnerId: demo.partner.id, role: "printer" })).id } }),
  },
  "GET /api/partners/[slug]/couriers": { allows: action("couriers:manage"), call: () => ({ params: { slug: "demo" } }) },
  "POST /api/partners/[slug]/couriers": {
    allows: action("couriers:manage"),
    call: () => ({ params: { slug: "demo" }, body: { name: `Walk ${seq()}`, phone: `+44207946${String(6000 + seq())}` } }),
  },
  "PATCH /api/couriers/[id]": {
    allows: action("couriers:manage"),
    call: async ({ db, admin }) => ({ params: { id: (await newCourier(db, admin)).id }, body: { name: `Renamed ${seq()}` } }),
  },
  "POST /api/couriers/[id]/token": {
    allows: action("couriers:manage"),
    call: async ({ db, admin }) => ({ params: { id: (await newCourier(db, admin)).id } }),
  },
  // The courier's phone signs in with its link's token: whoever sends a live one.
  "POST /api/courier/session": {
    allows: anyone,
    call: async ({ db, admin }) => ({
      headers: { origin: ORIGIN },
      body: { token: (await issueCourierToken({ db, principal: admin, id: (await newCourier(db, admin)).id })).token },
    }),
  },
  "GET /api/courier/me": { allows: action("courier:deliver"), call: () => ({}) },
  "PATCH /api/courier/me": { allows: action("courier:deliver"), call: () => ({ body: { available: false } }) },
  "POST /api/courier/deliveries/[id]": {
    allows: action("courier:deliver"),
    call: async ({ db, demo, admin, courierId }) => {
      // Given its courier before READY, so the READY transition enqueues no rider:auto_assign (no job queue in this test).
      const order = await placeConfirmedOrder(db, demo, admin, { source: "delivery", principal: admin });
      await assignCourier({ db, principal: admin, id: order.id, courierId });
      await changeStatus({ db, principal: admin, id: order.id, status: "PREPARING" });
      await changeStatus({ db, principal: admin, id: order.id, status: "READY" });
      return { params: { id: String(order.id) }, body: { status: "PICKED_UP" } };
    },
  },
  "POST /api/partners/[slug]/pairings": {
    allows: action("devices:manage"),
    call: async ({ db }) => ({
      params: { slug: "demo" },
      body: { code: (await startPairing({ db })).code, role: "kitchen", name: "Walk TV" },
    }),
  },
  // A screen starts pairing and polls with its own pairing cookie: nobody signed in.
  "POST /api/pair": { allows: anyone, call: () => ({ headers: { origin: ORIGIN } }) },
  "GET /api/pair": {
    allows: anyone,
    call: async ({ db }) => ({ headers: { cookie: `pass_pairing=${(await startPairing({ db })).secret}` } }),
  },
  // --- jobs and notifications (issue "Jobs and notifications") ---
  "GET /api/jobs/failed": { allows: action("jobs:read"), call: () => ({}) },
  "GET /api/push/public-key": { allows: anyone, call: () => ({}) },
  // The guest's own order, by its tracking token: whoever else the caller is does not matter.
  "POST /api/orders/[id]/push-subscription": {
    allows: anyone,
    call: async ({ db, demo }) => {
      const { order, trackingToken } = await placeOrder(db, demo);
      const keys = {
        p256dh: Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 7)]).toString("base64url"),
        auth: Buffer.alloc(16, 1).toString("base64url"),
      };
      return {
        params: { id: String(order.id) },
        headers: { "x-tracking-token": trackingToken },
        body: { subscription: { endpoint: `https://push.example.com/${seq()}`, keys } },
      };
    },
  },
  "POST /api/orders/[id]/sms-subscription": {
    allows: anyone,
    call: async ({ db, demo }) => {
      const { order, trackingToken } = await placeOrder(db, demo);
      return { params: { id: String(order.id) }, headers: { "x-tracking-token": trackingToken }, body: { phone: "+44 20 7946 0958" } };
    },
  },
  "GET /api/partners/[slug]/webhooks": { allows: action("webhooks:manage"), call: () => ({ params: { slug: "demo" } }) },
  "POST /api/partners/[slug]/webhooks": {
    allows: action("webhooks:manage"),
    call: async ({ db }) => {
      await db.deleteFrom("webhooks").execute();
      return { params: { slug: "demo" }, body: { url: `https://hooks.example.com/${seq()}` } };
    },
  },
  "DELETE /api/partners/[slug]/webhooks/[id]": {
    allows: action("webhooks:manage"),
    call: async ({ db, admin }) => ({ params: { slug: "demo", id: (await newWebhook(db, admin)).id } }),
  },
  "GET /api/partners/[slug]/webhooks/[id]/deliveries": {
    allows: action("webhooks:manage"),
    call: async ({ db, admin }) => ({ params: { slug: "demo", id: (await newWebhook(db, admin)).id } }),
  },
  // Reports are people's (operators of the partner, admins), never a device's.
  "GET /api/reports/summary": {
    allows: action("reports:read"),
    call: () => ({ path: "/api/reports/summary?partner=demo&from=2026-01-01&to=2026-01-31" }),
  },
  "GET /api/reports/z": { allows: action("reports:read"), call: () => ({ path: "/api/reports/z?partner=demo" }) },
  "GET /api/reports/z/[file]": {
    allows: action("reports:read"),
    call: async ({ db, admin }) => {
      // No webhook to notify (its delivery job would need this walk's job queue).
      await db.deleteFrom("webhooks").execute();
      await writeZReport({ db, partner: await reportPartner({ db, principal: admin, slug: "demo" }), day: "2026-01-05" });
      return { path: "/api/reports/z/2026-01-05.pdf?partner=demo", params: { file: "2026-01-05.pdf" } };
    },
  },
  // One request per channel: the channel's readers get the stream, everyone else is refused.
  "GET /api/events/[channel]": { allows: signedIn, call: () => ({}), each: CHANNELS },
  "HEAD /api/events/[channel]": { allows: signedIn, call: () => ({}), each: CHANNELS },
};

describeEachDatabase("every REST route file against the permission table", (ctx) => {
  const callers: Caller[] = [];
  const handlers = new Map<string, Handler>();
  let fx: Fixtures;
  let node: TestNode;

  beforeAll(async () => {
    setLimits(createLimits({ rules: scaledRules(1000) }));
    for (const file of routeFiles()) {
      const mod = (await import(file)) as Record<string, unknown>;
      for (const method of METHODS)
        if (typeof mod[method] === "function") handlers.set(`${method} ${routePath(file)}`, mod[method] as Handler);
    }
    // The stream routes under plain `next start` await the process runtime: this test's node.
    node = await startTestNode({ db: ctx.db });
    processSlot().runtime = Promise.resolve({ realtime: node.realtime });
    setDemoRunner(
      new DemoRunner({ db: ctx.db, baseUrl: "http://demo.invalid", fetch: async () => new Response("{}", { status: 503 }), log: () => {} }),
    );

    const demo = await makePartner(ctx.db, "demo");
    await makeUser(ctx.db, { partnerId: null, role: "admin", username: "walker" });
    const signIn = async (username: string) => {
      const { POST } = await import("./auth/login/route");
      const res = await POST(
        new Request(`${ORIGIN}/api/auth/login`, {
          method: "POST",
          headers: { host: "pass.test", "content-type": "application/json" },
          body: JSON.stringify({ username, password: "fixture-pass-4821" }),
        }),
        { params: Promise.resolve({}) },
      );
      expect(res.status).toBe(200);
      return res.headers.get("set-cookie")!.split(";")[0]!;
    };
    callers.push({ who: "anonymous", principal: null, headers: {} });
    for (const role of ["admin", "operator", "kitchen"] as const) {
      const { principal } = await makeUser(ctx.db, {
        partnerId: role === "admin" ? null : demo.partner.id,
        role,
        username: `${role}-user`,
      });
      callers.push({
        who: `${role} user`,
        principal,
        headers: { cookie: await signIn(principal.kind === "user" ? principal.username : ""), origin: ORIGIN },
      });
    }
    for (const role of ["operator", "kitchen", "printer", "display", "integration"] as TokenRole[]) {
      const t = await makeToken(ctx.db, { partnerId: demo.partner.id, role });
      const principal: Principal = { kind: "token", tokenId: t.id, name: t.name, role, partnerId: demo.partner.id, channels: t.channels };
      callers.push({ who: `${role} token`, principal, headers: { authorization: `Bearer ${t.token}` } });
    }
    // A courier's phone: its token belongs to a courier row (lib/orders/couriers.ts).
    const admin = callers.find((c) => c.who === "admin user")!.principal!;
    const walker = await newCourier(ctx.db, admin);
    const courierToken = await issueCourierToken({ db: ctx.db, principal: admin, id: walker.id });
    callers.push({
      who: "courier token",
      principal: {
        kind: "token",
        tokenId: courierToken.tokenId,
        name: "courier",
        role: "courier",
        partnerId: demo.partner.id,
        channels: [],
      },
      headers: { authorization: `Bearer ${courierToken.token}` },
    });
    const stationIds = (await ctx.db.selectFrom("stations").select("id").where("partnerId", "=", demo.partner.id).execute()).map(
      (r) => r.id,
    );
    fx = { db: ctx.db, demo, admin, signIn, stationIds, courierId: walker.id };
  });

  afterAll(async () => {
    delete processSlot().runtime;
    await demoRunner().stopAll();
    setDemoRunner(undefined);
    setLimits(createLimits({ rules: scaledRules(1000) }));
    await node?.close();
  });

  it("every route file and method has a rule, and every rule a route", () => {
    expect([...handlers.keys()].sort()).toEqual(Object.keys(RULES).sort());
    expect(handlers.size).toBeGreaterThan(15);
  });

  // Every route × every caller, sign-ins hashing passwords: ~20 s alone, more on a busy machine;
  // the walk grows with every route, so it gets more than the default 30 s.
  it("no route lets a caller do what the table denies, and none refuses what it allows", async () => {
    const verdicts: string[] = [];
    const wrong: string[] = [];
    for (const [key, rule] of Object.entries(RULES)) {
      const handler = handlers.get(key);
      if (!handler) continue;
      const [method, template] = key.split(" ") as [string, string];
      for (const caller of callers) {
        for (const value of rule.each ?? [null]) {
          const allowed =
            value === null ? rule.allows(caller.principal) : caller.principal !== null && canReadChannel(caller.principal, value);
          const spec = await rule.call(fx, caller);
          const urlPath = spec.path ?? template.replace("[id]", spec.params?.id ?? "").replace("[channel]", value ?? "");
          const res = await handler(
            new Request(`${ORIGIN}${urlPath}`, {
              method,
              headers: {
                host: "pass.test",
                ...fromAddress("198.18.0.1"),
                ...(spec.body !== undefined ? { "content-type": "application/json" } : {}),
                ...caller.headers,
                ...spec.headers,
              },
              body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
            }),
            { params: Promise.resolve({ ...spec.params, ...(value !== null ? { channel: value } : {}) }) },
          );
          const status = res.status;
          await res.body?.cancel().catch(() => {});
          const label = `${key}${value !== null ? ` (${value})` : ""} as ${caller.who}: ${status}`;
          verdicts.push(label);
          const ok = allowed
            ? status >= 200 && status < 300
            : caller.principal === null
              ? status === 401
              : status === 403 || status === 404;
          if (!ok) wrong.push(`${label}, the table ${allowed ? "allows" : "denies"} it`);
        }
      }
    }
    expect(wrong).toEqual([]);
    // Sanity: the walk covered every caller on every route.
    expect(verdicts.length).toBeGreaterThan(callers.length * Object.keys(RULES).length);
  }, 120_000);
});
