/**
 * seeds/001 `product_changes` on /ws (docs/contracts.md "/ws topics") for the menu API's changes:
 * `product:created` when a dish is created (API or import), `product:updated` with
 * `changed_fields` naming only what changed (price as a number, availability as status), and
 * `product:deleted` when it is archived — field by field, only to the dish's own partner.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import WebSocket from "ws";
import { login, type Principal } from "../auth";
import { archiveFood, createFood, importMenu, setAvailability, updateFood } from "../menu";
import { describeEachDatabase } from "../testing/each-database";
import { makePartner, makeUser, type TestPartner } from "../testing/fixtures";
import { startTestNode, type TestNode } from "../testing/node";

type Msg = Record<string, any>;

function connect(url: string, cookie: string) {
  const ws = new WebSocket(url, { headers: { cookie } });
  const messages: Msg[] = [];
  ws.on("message", (data) => messages.push(JSON.parse(data.toString())));
  const opened = new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  const waitFor = async (predicate: (m: Msg[]) => boolean, timeoutMs = 5_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(messages)) {
      if (Date.now() > deadline) throw new Error(`timed out; got ${JSON.stringify(messages)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return messages;
  };
  return { ws, messages, opened, waitFor, send: (m: unknown) => ws.send(JSON.stringify(m)) };
}

describeEachDatabase("/ws product_changes for the menu", (ctx) => {
  let node: TestNode;
  let demo: TestPartner;
  let operator: Principal;
  let wsUrl: string;
  let cookie: string;
  let otherCookie: string;

  beforeAll(async () => {
    demo = await makePartner(ctx.db, "demo");
    const other = await makePartner(ctx.db, "other");
    operator = (await makeUser(ctx.db, { partnerId: demo.partner.id, role: "operator", username: "op" })).principal;
    await makeUser(ctx.db, { partnerId: other.partner.id, role: "operator", username: "op2" });
    cookie = `pass_session=${(await login({ db: ctx.db, username: "op", password: "fixture-pass-4821" })).sessionToken}`;
    otherCookie = `pass_session=${(await login({ db: ctx.db, username: "op2", password: "fixture-pass-4821" })).sessionToken}`;
    node = await startTestNode({ db: ctx.db });
    wsUrl = `${node.url.replace("http", "ws")}/ws`;
  });
  afterAll(async () => {
    await node?.close();
  });

  it("product:created, product:updated with changed_fields, product:deleted — field by field, own partner only", async () => {
    const c = connect(wsUrl, cookie);
    const stranger = connect(wsUrl, otherCookie);
    await Promise.all([c.opened, stranger.opened]);
    c.send({ type: "subscribe", channel: "product_changes" });
    stranger.send({ type: "subscribe", channel: "product_changes" });
    await c.waitFor((m) => m.some((x) => x.type === "subscribed"));
    await stranger.waitFor((m) => m.some((x) => x.type === "subscribed"));

    const food = await createFood({
      db: ctx.db,
      principal: operator,
      input: {
        partner: "demo",
        name: "Calzone",
        price: "13.9",
        categoryId: demo.food("Margherita").categoryId!,
        station: "oven",
        allergens: ["gluten"],
      },
    });
    await updateFood({ db: ctx.db, principal: operator, id: food.id, patch: { price: "14.5", name: "Calzone XL" } });
    await updateFood({ db: ctx.db, principal: operator, id: food.id, patch: { surcharge: "0.5" } });
    await setAvailability({ db: ctx.db, principal: operator, target: { kind: "food", id: food.id }, available: false });
    await setAvailability({ db: ctx.db, principal: operator, target: { kind: "food", id: food.id }, available: true });
    await archiveFood({ db: ctx.db, principal: operator, id: food.id });

    await c.waitFor((m) => m.filter((x) => x.event).length >= 6);
    const events = c.messages.filter((x) => x.event);
    expect(events.map((e) => e.event)).toEqual([
      "product:created",
      "product:updated",
      "product:updated",
      "product:updated",
      "product:updated",
      "product:deleted",
    ]);
    for (const e of events) {
      expect(Object.keys(e)).toEqual(["id", "event", "data", "timestamp"]);
      expect(e.id).toEqual(expect.any(Number));
      expect(e.timestamp).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
    }
    expect(events.map((e) => e.data)).toEqual([
      { id: food.id, name: "Calzone", sku: food.id, status: "published", price: 13.9, stock: null },
      {
        id: food.id,
        name: "Calzone XL",
        sku: food.id,
        status: "published",
        price: 14.5,
        stock: null,
        changed_fields: { name: "Calzone XL", price: 14.5 },
      },
      {
        id: food.id,
        name: "Calzone XL",
        sku: food.id,
        status: "published",
        price: 14.5,
        stock: null,
        changed_fields: { surcharge: "0.5" },
      },
      {
        id: food.id,
        name: "Calzone XL",
        sku: food.id,
        status: "unavailable",
        price: 14.5,
        stock: null,
        changed_fields: { status: "unavailable", availableAgainAt: null },
      },
      {
        id: food.id,
        name: "Calzone XL",
        sku: food.id,
        status: "published",
        price: 14.5,
        stock: null,
        changed_fields: { status: "published", availableAgainAt: null },
      },
      { id: food.id, name: "Calzone XL", sku: food.id, status: "deleted", price: 14.5, stock: null },
    ]);
    // Ids increase: they are the log's.
    expect(events.map((e) => e.id)).toEqual([...events.map((e) => e.id)].sort((a, b) => a - b));
    await new Promise((r) => setTimeout(r, 200));
    expect(stranger.messages.filter((x) => x.event)).toEqual([]);
    c.ws.close();
    stranger.ws.close();
  });

  it("an import announces product:deleted for the old dishes and product:created for the new", async () => {
    const c = connect(wsUrl, cookie);
    await c.opened;
    c.send({ type: "subscribe", channel: "product_changes" });
    await c.waitFor((m) => m.some((x) => x.type === "subscribed"));
    await importMenu(ctx.db, operator, "demo", {
      format: "pass-menu",
      version: 1,
      categories: [{ name: "Soup" }],
      foods: [{ name: "Borscht", category: "Soup", station: "oven", price: "6.5" }],
    });
    await c.waitFor((m) => m.filter((x) => x.event).length >= 4);
    const events = c.messages.filter((x) => x.event);
    expect(events.map((e) => [e.event, e.data.name, e.data.status])).toEqual([
      ["product:deleted", "Margherita", "deleted"],
      ["product:deleted", "Fries", "deleted"],
      ["product:deleted", "Lemonade", "deleted"],
      ["product:created", "Borscht", "published"],
    ]);
    expect(events[3]!.data).toEqual({
      id: expect.any(String),
      name: "Borscht",
      sku: events[3]!.data.id,
      status: "published",
      price: 6.5,
      stock: null,
    });
    c.ws.close();
  });
});
