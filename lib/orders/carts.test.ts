/**
 * A table's shared cart (issue "The guest's side", docs/contracts.md#carts) on SQLite and
 * PostgreSQL: two phones build one order; /v1/orders/live sends seeds/002's cart events field for
 * field with their ids; a reconnect in the middle replays exactly what was missed; eventTypes
 * filters; the phones' `view=cart` stream; the later of two changes to a line wins; an abandoned
 * cart expires exactly once and never reaches staff; another partner's or table's cart cannot be joined.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Principal } from "../auth";
import { describeEachDatabase } from "../testing/each-database";
import { makePartner, makeToken, makeUser, placeOrder, type TestPartner } from "../testing/fixtures";
import { startTestNode, type TestNode } from "../testing/node";
import { logEvents, openSse } from "../testing/sse-client";
import { createGroup, updateFood } from "../menu";
import { readEvents } from "../events/log";
import { renderFrame } from "../projections";
import {
  addCartItem,
  changeCartItem,
  confirmOrder,
  expireCarts,
  getCart,
  getOrder,
  getOrderByTrackingToken,
  listOrders,
  openCart,
  removeCartItem,
  stationAction,
  submitCart,
} from ".";

describeEachDatabase("table carts", (ctx) => {
  let node: TestNode;
  let demo: TestPartner;
  let other: TestPartner;
  let operator: Principal;
  let staffToken: string;

  beforeAll(async () => {
    demo = await makePartner(ctx.db, "demo");
    other = await makePartner(ctx.db, "other");
    operator = (await makeUser(ctx.db, { partnerId: demo.partner.id, role: "operator", username: "op" })).principal;
    staffToken = (await makeToken(ctx.db, { partnerId: demo.partner.id, role: "operator" })).token;
    node = await startTestNode({ db: ctx.db, keepaliveMs: 60_000 });
  });
  afterAll(async () => {
    await node?.close();
  });

  const live = (query: string, headers: Record<string, string> = {}) => openSse(`${node.url}/v1/orders/live${query}`, { headers });
  const seedsEvents = (events: Parameters<typeof logEvents>[0]) =>
    logEvents(events).map((e) => ({ id: Number(e.id), event: e.event, data: e.json }));

  it("two phones build one cart: the full seeds/002 sequence with ids, then the PENDING order staff see", async () => {
    const staff = await live("?eventTypes=order-created,order-item-added,order-item-removed,order-updated,order-submitted", {
      authorization: `Bearer ${staffToken}`,
    });
    await staff.waitFor((e) => e.some((x) => x.event === "connected"));

    const ana = await openCart({ db: ctx.db, input: { partner: "demo", table: "5", name: "Ana" } });
    expect(ana).toMatchObject({ joined: false, member: { name: "Ana", number: 1 } });
    const ben = await openCart({ db: ctx.db, input: { partner: "demo", table: "5" } });
    expect(ben).toMatchObject({ joined: true, member: { name: "Guest 2", number: 2 } });
    expect(ben.cart.id).toBe(ana.cart.id);
    expect(ben.cartToken).not.toBe(ana.cartToken);
    const id = ana.cart.id;

    const pizza = await addCartItem({ db: ctx.db, id, token: ana.cartToken, input: { foodId: demo.food("Margherita").id, quantity: 2 } });
    const fries = await addCartItem({ db: ctx.db, id, token: ben.cartToken, input: { foodId: demo.food("Fries").id, quantity: 1 } });
    const lemonade = await addCartItem({ db: ctx.db, id, token: ben.cartToken, input: { foodId: demo.food("Lemonade").id, quantity: 3 } });
    await removeCartItem({ db: ctx.db, id, itemId: lemonade.item.id, token: ana.cartToken });
    const seen = await getCart({ db: ctx.db, id, token: ben.cartToken });
    expect(seen.me).toMatchObject({ name: "Guest 2" });
    expect(seen.cart.items.map((i) => [i.name, i.quantity, i.addedBy?.name])).toEqual([
      ["Margherita", 2, "Ana"],
      ["Fries", 1, "Guest 2"],
    ]);

    // Staff never see the cart while it is built.
    expect((await listOrders({ db: ctx.db, principal: operator })).orders.map((o) => o.id)).not.toContain(id);
    await expect(getOrder({ db: ctx.db, principal: operator, id })).rejects.toMatchObject({ status: 404 });

    const { order, trackingToken } = await submitCart({
      db: ctx.db,
      id,
      token: ben.cartToken,
      input: { serviceType: "takeaway", allergies: { codes: ["milk"] } },
    });
    expect(order).toMatchObject({
      id,
      status: "PENDING",
      table: "5",
      source: "qr",
      serviceType: "takeaway",
      allergyAlert: true,
      total: 3050,
    });
    expect(order.displayCode).toMatch(/^A\d\d$/);
    expect(order.orderItems.map((i) => [i.id, i.name, i.quantity])).toEqual([
      [pizza.item.id, "Margherita", 2],
      [fries.item.id, "Fries", 1],
    ]);
    expect(order.parts.length).toBe(2);
    const listed = (await listOrders({ db: ctx.db, principal: operator, statuses: ["PENDING"] })).orders.find((o) => o.id === id);
    expect(listed?.orderItems.length).toBe(2);
    // Every phone follows the order: the submitter's tracking token and each cart token.
    for (const t of [trackingToken, ana.cartToken, ben.cartToken]) {
      expect((await getOrderByTrackingToken({ db: ctx.db, id, trackingToken: t })).status).toBe("PENDING");
    }

    await staff.waitFor((e) => logEvents(e).some((x) => x.event === "order-submitted"));
    const events = seedsEvents(staff.events).filter((e) => e.data.orderId === String(id));
    expect(events.map((e) => e.event)).toEqual([
      "order-created",
      "order-item-added",
      "order-updated",
      "order-item-added",
      "order-updated",
      "order-item-added",
      "order-updated",
      "order-item-removed",
      "order-updated",
      "order-submitted",
    ]);
    // Ids strictly increase, one per event.
    expect(events.map((e) => e.id)).toEqual([...events.map((e) => e.id)].sort((a, b) => a - b));
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    const o = String(id);
    expect(events.map((e) => e.data)).toEqual([
      { orderId: o, customerId: null, status: "CREATED", items: [], total: 0 },
      { orderId: o, itemId: pizza.item.id, name: "Margherita", quantity: 2, price: 13 },
      { orderId: o, total: 26, itemCount: 2 },
      { orderId: o, itemId: fries.item.id, name: "Fries", quantity: 1, price: 4.5 },
      { orderId: o, total: 30.5, itemCount: 3 },
      { orderId: o, itemId: lemonade.item.id, name: "Lemonade", quantity: 3, price: 3.5 },
      { orderId: o, total: 41, itemCount: 6 },
      { orderId: o, itemId: lemonade.item.id },
      { orderId: o, total: 30.5, itemCount: 3 },
      { orderId: o, status: "PENDING", submittedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) },
    ]);
    staff.cut();

    // The cashier's channels see one new order, from its submission, with every line.
    const log = await readEvents({ db: ctx.db, afterId: 0, orderId: id, limit: 100 });
    const partner = { id: demo.partner.id, slug: "demo", name: "Partner demo", imageUrl: null };
    const cashierFrames = log.map((e) => renderFrame("pass:cashier", e, { partner, now: new Date() })).filter(Boolean);
    expect(cashierFrames).toHaveLength(1);
    expect(cashierFrames[0]).toContain("event: order.created");
    expect(log.map((e) => renderFrame("cashier", e, { partner, now: new Date() })).filter(Boolean)).toHaveLength(1);
    expect(log.map((e) => renderFrame("kitchen", e, { partner, now: new Date() })).filter(Boolean)).toHaveLength(0);

    // Submitted once: the cart is closed for changes and the table is free for the next cart.
    await expect(submitCart({ db: ctx.db, id, token: ana.cartToken, input: {} })).rejects.toMatchObject({
      status: 409,
      details: { state: "SUBMITTED" },
    });
    const next = await openCart({ db: ctx.db, input: { partner: "demo", table: "5" } });
    expect(next.joined).toBe(false);
    expect(next.cart.id).not.toBe(id);
    await confirmOrder({ db: ctx.db, principal: operator, id, input: { paymentMethod: "CASH" } });
  });

  it("a phone that reconnects in the middle of building gets exactly what it missed, and filters by eventTypes", async () => {
    const a = await openCart({ db: ctx.db, input: { partner: "demo", table: "7" } });
    const id = a.cart.id;
    const first = await live(`?orderId=${id}`, { authorization: `Bearer ${a.cartToken}` });
    const fries = await addCartItem({ db: ctx.db, id, token: a.cartToken, input: { foodId: demo.food("Fries").id, quantity: 1 } });
    await first.waitFor((e) => logEvents(e).length >= 2);
    const lastId = logEvents(first.events).at(-1)!.id!;
    first.cut();

    const b = await openCart({ db: ctx.db, input: { partner: "demo", table: "7" } });
    await changeCartItem({ db: ctx.db, id, itemId: fries.item.id, token: b.cartToken, patch: { quantity: 4, notes: "extra salt" } });
    await addCartItem({ db: ctx.db, id, token: b.cartToken, input: { foodId: demo.food("Lemonade").id, quantity: 1 } });

    const again = await live(`?orderId=${id}&token=${a.cartToken}`, { "last-event-id": lastId });
    await again.waitFor((e) => e.some((x) => x.event === "replay-complete"));
    const replayed = seedsEvents(again.events);
    expect(again.events[1]).toMatchObject({ event: "replay-start", json: { missedEvents: 5, replayingFrom: lastId } });
    expect(replayed.map((e) => [e.event, e.data.itemId ?? null, e.data.quantity ?? e.data.total ?? null])).toEqual([
      ["order-item-removed", fries.item.id, null],
      ["order-item-added", fries.item.id, 4],
      ["order-updated", null, 18],
      ["order-item-added", expect.any(String), 1],
      ["order-updated", null, 21.5],
    ]);
    expect(replayed[0]!.id).toBeGreaterThan(Number(lastId));
    // Exactly once, under the same ids: what a reader from the start sees after lastId, event for event.
    const whole = await live(`?orderId=${id}&token=${a.cartToken}`, { "last-event-id": "0" });
    await whole.waitFor((e) => e.some((x) => x.event === "replay-complete"));
    const all = seedsEvents(whole.events);
    expect(all.slice(0, 3).map((e) => e.event)).toEqual(["order-created", "order-item-added", "order-updated"]);
    expect(all.at(2)!.id).toBe(Number(lastId));
    expect(replayed).toEqual(all.filter((e) => e.id > Number(lastId)));
    expect(again.events.at(-1)).toMatchObject({ event: "replay-complete", json: { replayedEvents: 5, resumingLiveStream: true } });
    whole.cut();
    again.cut();

    const filtered = await live(`?orderId=${id}&eventTypes=order-updated&token=${a.cartToken}`, { "last-event-id": "0" });
    await filtered.waitFor((e) => e.some((x) => x.event === "replay-complete"));
    expect(seedsEvents(filtered.events).map((e) => [e.event, e.data])).toEqual([
      ["order-updated", { orderId: String(id), total: 4.5, itemCount: 1 }],
      ["order-updated", { orderId: String(id), total: 18, itemCount: 4 }],
      ["order-updated", { orderId: String(id), total: 21.5, itemCount: 5 }],
    ]);
    filtered.cut();
  });

  it("the phones' view=cart stream: every change with the whole cart and who made it; submission once", async () => {
    const a = await openCart({ db: ctx.db, input: { partner: "demo", table: "9", name: "Ana" } });
    const id = a.cart.id;
    const phone = await live(`?orderId=${id}&view=cart&token=${a.cartToken}`);
    await phone.waitFor((e) => e.some((x) => x.event === "connected"));
    const b = await openCart({ db: ctx.db, input: { partner: "demo", table: "9", name: "Ben" } });
    const added = await addCartItem({ db: ctx.db, id, token: b.cartToken, input: { foodId: demo.food("Fries").id, quantity: 2 } });
    await submitCart({ db: ctx.db, id, token: b.cartToken, input: {} });
    await phone.waitFor((e) => e.some((x) => x.event === "submitted"));
    const frames = logEvents(phone.events);
    expect(frames.map((f) => [f.event, f.json.change?.kind ?? null, f.json.change?.by?.name ?? f.json.by?.name])).toEqual([
      ["cart", "joined", "Ben"],
      ["cart", "added", "Ben"],
      ["submitted", null, "Ben"],
    ]);
    const cart = frames[1]!.json.cart;
    expect(cart).toMatchObject({ id, table: "9", state: "OPEN", total: "9", itemCount: 2, members: [{ name: "Ana" }, { name: "Ben" }] });
    expect(cart.items).toEqual([
      expect.objectContaining({
        id: added.item.id,
        name: "Fries",
        quantity: 2,
        unitPrice: "4.5",
        addedBy: expect.objectContaining({ name: "Ben" }),
        version: 1,
      }),
    ]);
    expect(frames[1]!.json.cart.version).toBeGreaterThan(frames[0]!.json.cart.version);
    expect(frames[2]!.json).toMatchObject({ orderId: id, status: "PENDING", displayCode: expect.stringMatching(/^A\d\d$/) });
    phone.cut();
    // view=cart is one cart's, with no seeds filters.
    const bad = await live(`?view=cart&token=${a.cartToken}`);
    expect(bad.status).toBe(400);
    bad.cut();
  });

  it("two phones change one line at once: the later change wins and both end at the same version", async () => {
    const a = await openCart({ db: ctx.db, input: { partner: "demo", table: "11" } });
    const b = await openCart({ db: ctx.db, input: { partner: "demo", table: "11" } });
    const id = a.cart.id;
    const { item } = await addCartItem({ db: ctx.db, id, token: a.cartToken, input: { foodId: demo.food("Fries").id, quantity: 1 } });
    const results = await Promise.all([
      changeCartItem({ db: ctx.db, id, itemId: item.id, token: a.cartToken, patch: { quantity: 2 } }),
      changeCartItem({ db: ctx.db, id, itemId: item.id, token: b.cartToken, patch: { quantity: 5 } }),
    ]);
    const later = results.reduce((x, y) => (x.cart.version > y.cart.version ? x : y));
    const final = (await getCart({ db: ctx.db, id, token: a.cartToken })).cart;
    expect(final.version).toBe(later.cart.version);
    expect(final.items[0]!.quantity).toBe(later.item.quantity);
    expect(final.items[0]!.version).toBe(3);
    expect(results.map((r) => r.item.version).sort()).toEqual([2, 3]);
    // A line removed by one phone is gone for the other.
    await removeCartItem({ db: ctx.db, id, itemId: item.id, token: b.cartToken });
    await expect(changeCartItem({ db: ctx.db, id, itemId: item.id, token: a.cartToken, patch: { quantity: 3 } })).rejects.toMatchObject({
      status: 404,
    });
  });

  it("two phones opening a table's first cart at the same instant get one cart", async () => {
    const opened = await Promise.all([1, 2, 3].map(() => openCart({ db: ctx.db, input: { partner: "demo", table: "13" } })));
    expect(new Set(opened.map((o) => o.cart.id)).size).toBe(1);
    expect(opened.map((o) => o.member.number).sort()).toEqual([1, 2, 3]);
    expect(opened.filter((o) => !o.joined)).toHaveLength(1);
  });

  it("an abandoned cart expires exactly once and never appears to staff", async () => {
    const a = await openCart({ db: ctx.db, input: { partner: "demo", table: "21" } });
    const id = a.cart.id;
    await addCartItem({ db: ctx.db, id, token: a.cartToken, input: { foodId: demo.food("Margherita").id, quantity: 1 } });
    const later = new Date(Date.now() + 2 * 3_600_000 + 60_000);
    // Two nodes' sweeps at the same instant: one wins.
    const [x, y] = await Promise.all([expireCarts({ db: ctx.db, now: later }), expireCarts({ db: ctx.db, now: later })]);
    expect([...x, ...y].filter((e) => e === id)).toEqual([id]);
    expect(await expireCarts({ db: ctx.db, now: later })).not.toContain(id);
    const log = await readEvents({ db: ctx.db, afterId: 0, orderId: id, limit: 100 });
    expect(log.filter((e) => e.type === "cart.expired")).toHaveLength(1);

    const staffList = await listOrders({ db: ctx.db, principal: operator, since: new Date(0).toISOString() });
    expect(staffList.orders.map((o) => o.id)).not.toContain(id);
    const partner = { id: demo.partner.id, slug: "demo", name: "Partner demo", imageUrl: null };
    for (const channel of [
      "cashier",
      "pass:cashier",
      "kitchen",
      "pass:kitchen",
      "partner",
      "pass:partner",
      "display",
      "printer",
      "ws",
    ] as const) {
      expect(log.map((e) => renderFrame(channel, e, { partner, now: new Date() })).filter(Boolean), channel).toEqual([]);
    }
    // The cashier's own streams, replayed from the start of the log, never name it (and do show a real order).
    const real = await placeOrder(ctx.db, demo, { items: [{ food: "Fries" }] });
    for (const path of ["/api/events/cashier?view=pass", "/events/cashier"]) {
      const cashier = await openSse(`${node.url}${path}`, { headers: { authorization: `Bearer ${staffToken}`, "last-event-id": "0" } });
      expect(cashier.status).toBe(200);
      await cashier.waitFor((e) => e.some((x) => x.event === "replay-complete"));
      const named = logEvents(cashier.events).filter((e) => e.json?.order?.id === id || e.json?.id === id || e.json?.orderId === id);
      expect(named, path).toEqual([]);
      expect(
        logEvents(cashier.events).some((e) => e.json?.order?.id === real.order.id || e.json?.id === real.order.id),
        path,
      ).toBe(true);
      cashier.cut();
    }
    await expect(submitCart({ db: ctx.db, id, token: a.cartToken, input: {} })).rejects.toMatchObject({
      status: 409,
      details: { state: "EXPIRED" },
    });
    await expect(confirmOrder({ db: ctx.db, principal: operator, id, input: { paymentMethod: "CASH" } })).rejects.toMatchObject({
      status: 404,
    });
    await expect(stationAction({ db: ctx.db, principal: operator, id, station: "oven", action: "start" })).rejects.toMatchObject({
      status: 404,
    });
    // The customer stream says it was cancelled; the table gets a fresh cart.
    const conn = await live(`?orderId=${id}&token=${a.cartToken}`, { "last-event-id": "0" });
    await conn.waitFor((e) => e.some((x) => x.event === "replay-complete"));
    expect(seedsEvents(conn.events).at(-1)).toMatchObject({
      event: "order-cancelled",
      data: { orderId: String(id), status: "CANCELLED", reason: "cart expired" },
    });
    conn.cut();
    expect((await openCart({ db: ctx.db, input: { partner: "demo", table: "21" } })).cart.id).not.toBe(id);
  });

  it("a cart touched since the sweep read it is left alone", async () => {
    const a = await openCart({ db: ctx.db, input: { partner: "demo", table: "23" } });
    await addCartItem({ db: ctx.db, id: a.cart.id, token: a.cartToken, input: { foodId: demo.food("Fries").id, quantity: 1 } });
    // Not idle for 2 h yet.
    expect(await expireCarts({ db: ctx.db, now: new Date(Date.now() + 3_600_000) })).not.toContain(a.cart.id);
  });

  it("another partner's or another table's cart cannot be joined, and a cart token opens only its own cart", async () => {
    const a = await openCart({ db: ctx.db, input: { partner: "demo", table: "31" } });
    const elsewhere = await openCart({ db: ctx.db, input: { partner: "other", table: "31" } });
    expect(elsewhere.cart.id).not.toBe(a.cart.id);
    await expect(openCart({ db: ctx.db, input: { partner: "other", table: "31", cart: a.cart.id } })).rejects.toMatchObject({
      status: 404,
      details: { field: "cart" },
    });
    await expect(openCart({ db: ctx.db, input: { partner: "demo", table: "32", cart: a.cart.id } })).rejects.toMatchObject({ status: 404 });
    expect((await openCart({ db: ctx.db, input: { partner: "demo", table: "31", cart: a.cart.id } })).joined).toBe(true);
    await expect(getCart({ db: ctx.db, id: a.cart.id, token: elsewhere.cartToken })).rejects.toMatchObject({ status: 404 });
    await expect(
      addCartItem({ db: ctx.db, id: a.cart.id, token: elsewhere.cartToken, input: { foodId: demo.food("Fries").id, quantity: 1 } }),
    ).rejects.toMatchObject({ status: 404 });
    // Another partner's food is an unknown food, naming the field.
    await expect(
      addCartItem({ db: ctx.db, id: a.cart.id, token: a.cartToken, input: { foodId: other.food("Fries").id, quantity: 1 } }),
    ).rejects.toMatchObject({ status: 400, details: { field: "foodId" } });
    await expect(openCart({ db: ctx.db, input: { partner: "nobody", table: "1" } })).rejects.toMatchObject({
      status: 404,
      details: { field: "partner" },
    });
    const stream = await live(`?orderId=${a.cart.id}&view=cart&token=${elsewhere.cartToken}`);
    expect(stream.status).toBe(404);
    stream.cut();
  });

  it("the menu's rules: required options, 86'd dishes refused when added and again at submit, naming the line", async () => {
    const group = await createGroup({
      db: ctx.db,
      principal: operator,
      input: { partner: "demo", name: "Doneness", min: 1, max: 1, options: [{ name: "Rare" }, { name: "Well done", priceDelta: "0.5" }] },
    });
    await updateFood({ db: ctx.db, principal: operator, id: demo.food("Margherita").id, patch: { modifierGroupIds: [group.id] } });
    const a = await openCart({ db: ctx.db, input: { partner: "demo", table: "41" } });
    const id = a.cart.id;
    await expect(
      addCartItem({ db: ctx.db, id, token: a.cartToken, input: { foodId: demo.food("Margherita").id, quantity: 1 } }),
    ).rejects.toMatchObject({ status: 400, details: { field: "modifiers", groupId: group.id, min: 1 } });
    const ok = await addCartItem({
      db: ctx.db,
      id,
      token: a.cartToken,
      input: { foodId: demo.food("Margherita").id, quantity: 1, modifiers: [{ groupId: group.id, optionIds: [group.options[1]!.id] }] },
    });
    expect(ok.item).toMatchObject({ unitPrice: 1300, modifiers: [{ groupName: "Doneness", options: [{ name: "Well done" }] }] });
    await expect(
      changeCartItem({ db: ctx.db, id, itemId: ok.item.id, token: a.cartToken, patch: { modifiers: [] } }),
    ).rejects.toMatchObject({ status: 400, details: { field: "modifiers" } });

    await updateFood({ db: ctx.db, principal: operator, id: demo.food("Margherita").id, patch: { available: false } });
    await expect(
      addCartItem({
        db: ctx.db,
        id,
        token: a.cartToken,
        input: { foodId: demo.food("Margherita").id, quantity: 1, modifiers: [{ groupId: group.id, optionIds: [group.options[0]!.id] }] },
      }),
    ).rejects.toMatchObject({ status: 400, details: { field: "foodId" } });
    await expect(submitCart({ db: ctx.db, id, token: a.cartToken, input: {} })).rejects.toMatchObject({
      status: 400,
      details: { field: `items.${ok.item.id}.foodId` },
    });
    // Nothing was written by the refused submit: still an open cart.
    expect((await getCart({ db: ctx.db, id, token: a.cartToken })).cart.state).toBe("OPEN");
    await updateFood({ db: ctx.db, principal: operator, id: demo.food("Margherita").id, patch: { available: true, modifierGroupIds: [] } });
    await expect(submitCart({ db: ctx.db, id, token: a.cartToken, input: {} })).rejects.toMatchObject({ status: 400 });
    await removeCartItem({ db: ctx.db, id, itemId: ok.item.id, token: a.cartToken });
    await expect(submitCart({ db: ctx.db, id, token: a.cartToken, input: {} })).rejects.toMatchObject({
      status: 400,
      details: { field: "items" },
    });
  });
});
