import { beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "../testing/each-database";
import { makePartner, makeToken, makeUser, placeOrder, type TestPartner } from "../testing/fixtures";
import { readEvents, logPosition } from "../events/log";
import { committedEvents } from "../events/notify";
import type { Principal } from "../auth";
import { changeStatus, confirmOrder, getOrder, listOrders, reprintOrder } from "./service";
import { updateFood } from "../menu";
import { EVENT_PAYLOAD_VERSION } from "./events";

describeEachDatabase("orders domain", (t) => {
  let demo: TestPartner;
  let other: TestPartner;
  let operator: Principal;
  let kitchen: Principal;
  let admin: Principal;
  let otherOperator: Principal;

  beforeAll(async () => {
    demo = await makePartner(t.db, "demo");
    other = await makePartner(t.db, "other");
    operator = (await makeUser(t.db, { partnerId: demo.partner.id, role: "operator", username: "op" })).principal;
    kitchen = (await makeUser(t.db, { partnerId: demo.partner.id, role: "kitchen", username: "chef" })).principal;
    admin = (await makeUser(t.db, { partnerId: null, role: "admin", username: "boss" })).principal;
    otherOperator = (await makeUser(t.db, { partnerId: other.partner.id, role: "operator", username: "op2" })).principal;
  });

  const place = (partner: "demo" | "other" = "demo", now?: Date) =>
    placeOrder(t.db, partner === "demo" ? demo : other, {
      table: "3",
      items: [{ food: "Margherita", quantity: 2, notes: "Extra spicy" }],
      now,
    });

  it("creates a PENDING order with menu prices, a display code and an order.created event in one go", async () => {
    const before = await logPosition({ db: t.db });
    const { order, trackingToken } = await place();
    expect(order).toMatchObject({
      status: "PENDING",
      displayCode: expect.stringMatching(/^A\d\d$/),
      ticketNumber: null,
      subTotal: 2500,
      surcharge: 100,
      discount: 0,
      total: 2600,
      table: "3",
      source: "qr",
    });
    expect(order.orderItems).toEqual([
      expect.objectContaining({
        quantity: 2,
        unitPrice: 1250,
        unitSurcharge: 50,
        total: 2600,
        notes: "Extra spicy",
        name: "Margherita",
        station: "oven",
      }),
    ]);
    expect(trackingToken).toMatch(/^trk_/);
    const events = await readEvents({ db: t.db, afterId: before.lastEventId, limit: 10 });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ id: before.lastEventId + 1, type: "order.created", orderId: order.id, partnerId: demo.partner.id });
    expect((events[0]!.payload as { order: unknown }).order).toEqual(order);
  });

  it("display codes and tickets count per partner per business day", async () => {
    const day1 = new Date("2030-03-01T12:00:00Z");
    const a = await place("demo", day1);
    const b = await place("demo", day1);
    const c = await place("other", day1);
    expect([a.order.displayCode, b.order.displayCode, c.order.displayCode]).toEqual(["A01", "A02", "A01"]);
    // 02:00 the next morning is still the same business day (cut-over 04:00)...
    const late = await place("demo", new Date("2030-03-02T02:00:00Z"));
    expect(late.order.displayCode).toBe("A03");
    // ...05:00 starts a new one.
    const next = await place("demo", new Date("2030-03-02T05:00:00Z"));
    expect(next.order.displayCode).toBe("A01");
    const tb = await confirmOrder({ db: t.db, principal: operator, id: b.order.id, input: { paymentMethod: "CARD" } });
    const ta = await confirmOrder({ db: t.db, principal: operator, id: a.order.id, input: { paymentMethod: "CASH" } });
    const tn = await confirmOrder({ db: t.db, principal: operator, id: next.order.id, input: { paymentMethod: "CASH" } });
    expect([tb.ticketNumber, ta.ticketNumber, tn.ticketNumber]).toEqual([1, 2, 1]);
  });

  it("confirm applies the discount, records who confirmed and logs order.confirmed", async () => {
    const { order } = await place();
    const before = await logPosition({ db: t.db });
    const confirmed = await confirmOrder({
      db: t.db,
      principal: operator,
      id: order.id,
      input: { paymentMethod: "CASH", discount: "2", cashRegisterId: "till-1" },
    });
    expect(confirmed).toMatchObject({
      status: "CONFIRMED",
      paymentMethod: "CASH",
      subTotal: 2500,
      discount: 200,
      surcharge: 100,
      total: 2400,
      cashRegisterId: "till-1",
      userId: operator.kind === "user" ? operator.userId : null,
    });
    expect(confirmed.ticketNumber).toBeGreaterThan(0);
    expect(confirmed.confirmedAt).not.toBeNull();
    const events = await readEvents({ db: t.db, afterId: before.lastEventId, limit: 10 });
    expect(events.map((e) => e.type)).toEqual(["order.confirmed"]);
  });

  // The write path builds its answer from the rows its statements return instead of reading the
  // order back (issue 18 item 2): that answer, and the order its event carries, must be exactly
  // what a fresh read gives, at every step.
  it("every write answers (and logs) the order exactly as a read of it gives", async () => {
    const expectAsRead = async (written: Awaited<ReturnType<typeof getOrder>>) => {
      const read = await getOrder({ db: t.db, principal: operator, id: written.id });
      expect(written).toEqual(read);
      const [event] = await readEvents({ db: t.db, afterId: (await logPosition({ db: t.db })).lastEventId - 1, limit: 1 });
      expect((event!.payload as { order: unknown }).order).toEqual(JSON.parse(JSON.stringify(read)));
    };
    const { order } = await placeOrder(t.db, demo, {
      principal: operator,
      table: "7",
      items: [
        { food: "Margherita", quantity: 2, notes: "well done" },
        { food: "Fries", quantity: 1 },
        { food: "Lemonade", quantity: 3, course: 2 },
      ],
    });
    await expectAsRead(order);
    const confirmed = await confirmOrder({
      db: t.db,
      principal: operator,
      id: order.id,
      input: {
        discount: "1.5",
        payments: [
          { method: "CASH", amount: "20", tendered: "50" },
          { method: "CARD", amount: "19.5" },
        ],
      },
    });
    expect(confirmed.payments).toHaveLength(2);
    expect(confirmed.parts.filter((p) => p.state === "QUEUED")).toHaveLength(2);
    await expectAsRead(confirmed);
    for (const status of ["PREPARING", "READY", "PREPARING", "READY", "PICKED_UP"] as const) {
      await expectAsRead(await changeStatus({ db: t.db, principal: operator, id: order.id, status }));
    }
    // A scheduled order: confirmed, its lines wait for the fire time.
    const later = await placeOrder(t.db, demo, {
      principal: operator,
      promisedAt: new Date(Date.now() + 3 * 3_600_000).toISOString(),
      items: [{ food: "Fries", quantity: 1 }],
    });
    await expectAsRead(later.order);
    const held = await confirmOrder({ db: t.db, principal: operator, id: later.order.id, input: { paymentMethod: "CARD" } });
    expect(held.parts.map((p) => p.state)).toEqual(["HELD"]);
    await expectAsRead(held);
    await expectAsRead(
      await changeStatus({ db: t.db, principal: operator, id: later.order.id, status: "CANCELLED", reason: "guest left" }),
    );
  });

  it("refuses illegal transitions with 409 and the current status, changing nothing", async () => {
    const { order } = await place();
    await confirmOrder({ db: t.db, principal: operator, id: order.id, input: { paymentMethod: "CASH" } });
    const before = await logPosition({ db: t.db });
    await expect(confirmOrder({ db: t.db, principal: operator, id: order.id, input: { paymentMethod: "CASH" } })).rejects.toMatchObject({
      status: 409,
      details: { status: "CONFIRMED" },
    });
    await expect(changeStatus({ db: t.db, principal: operator, id: order.id, status: "PICKED_UP" })).rejects.toMatchObject({
      status: 409,
      details: { status: "CONFIRMED" },
    });
    expect((await logPosition({ db: t.db })).lastEventId).toBe(before.lastEventId);

    const cancelled = (await place()).order;
    await changeStatus({ db: t.db, principal: operator, id: cancelled.id, status: "CANCELLED", reason: "customer left" });
    await expect(confirmOrder({ db: t.db, principal: operator, id: cancelled.id, input: { paymentMethod: "CASH" } })).rejects.toMatchObject(
      {
        status: 409,
        details: { status: "CANCELLED" },
      },
    );
  });

  it("walks the whole lifecycle with recall, and the kitchen may not cancel", async () => {
    const { order } = await place();
    await confirmOrder({ db: t.db, principal: operator, id: order.id, input: { paymentMethod: "CARD" } });
    await expect(changeStatus({ db: t.db, principal: kitchen, id: order.id, status: "CANCELLED", reason: "x" })).rejects.toMatchObject({
      status: 403,
    });
    expect((await changeStatus({ db: t.db, principal: kitchen, id: order.id, status: "PREPARING" })).status).toBe("PREPARING");
    expect((await changeStatus({ db: t.db, principal: kitchen, id: order.id, status: "READY" })).status).toBe("READY");
    expect((await changeStatus({ db: t.db, principal: kitchen, id: order.id, status: "PREPARING" })).status).toBe("PREPARING");
    expect((await changeStatus({ db: t.db, principal: kitchen, id: order.id, status: "READY" })).status).toBe("READY");
    const done = await changeStatus({ db: t.db, principal: operator, id: order.id, status: "PICKED_UP" });
    expect(done.status).toBe("PICKED_UP");
    await expect(changeStatus({ db: t.db, principal: operator, id: order.id, status: "DELIVERED" })).rejects.toMatchObject({ status: 409 });
  });

  it("a cancellation needs a reason and keeps it", async () => {
    const { order } = await place();
    await expect(changeStatus({ db: t.db, principal: operator, id: order.id, status: "CANCELLED" })).rejects.toMatchObject({
      status: 400,
      details: { field: "reason" },
    });
    const c = await changeStatus({ db: t.db, principal: operator, id: order.id, status: "CANCELLED", reason: "  out of dough " });
    expect(c).toMatchObject({ status: "CANCELLED", cancelReason: "out of dough" });
  });

  it("a list carries every order in service and the newest finished ones, saying when older ones were left out", async () => {
    const busy = await makePartner(t.db, "busy");
    const op = (await makeUser(t.db, { partnerId: busy.partner.id, role: "operator", username: "busy-op" })).principal;
    const placeFor = () => placeOrder(t.db, busy, { principal: op, items: [{ food: "Fries" }] }).then((r) => r.order.id);
    const finish = async (id: number, how: "served" | "cancelled") => {
      if (how === "cancelled") return changeStatus({ db: t.db, principal: op, id, status: "CANCELLED", reason: "test" });
      await confirmOrder({ db: t.db, principal: op, id, input: { paymentMethod: "CASH" } });
      for (const status of ["PREPARING", "READY", "PICKED_UP"] as const) await changeStatus({ db: t.db, principal: op, id, status });
    };
    // The oldest order of the day is still pending; then 8 finished ones; then two more open.
    const oldestPending = await placeFor();
    const finished: number[] = [];
    for (let i = 0; i < 8; i++) {
      const id = await placeFor();
      await finish(id, i % 3 === 0 ? "cancelled" : "served");
      finished.push(id);
    }
    const preparing = await placeFor();
    await confirmOrder({ db: t.db, principal: op, id: preparing, input: { paymentMethod: "CARD" } });
    const newestPending = await placeFor();

    const list = await listOrders({ db: t.db, principal: op, finishedLimit: 5 });
    expect(list.orders.map((o) => o.id)).toEqual([oldestPending, ...finished.slice(-5), preparing, newestPending]);
    expect(list.truncated).toBe(true);
    const whole = await listOrders({ db: t.db, principal: op, finishedLimit: 8 });
    expect(whole.orders.map((o) => o.id)).toEqual([oldestPending, ...finished, preparing, newestPending]);
    expect(whole.truncated).toBe(false);
    // A status filter keeps the rule: only open ones asked for, all of them.
    const pendingOnly = await listOrders({ db: t.db, principal: op, statuses: ["PENDING"], finishedLimit: 0 });
    expect(pendingOnly.orders.map((o) => o.id)).toEqual([oldestPending, newestPending]);
    expect(pendingOnly.truncated).toBe(false);
  });

  it("another partner's order is not found, for every operation", async () => {
    const { order } = await place();
    const notFound = { status: 404, code: "NOT_FOUND" };
    await expect(getOrder({ db: t.db, principal: otherOperator, id: order.id })).rejects.toMatchObject(notFound);
    await expect(
      confirmOrder({ db: t.db, principal: otherOperator, id: order.id, input: { paymentMethod: "CASH" } }),
    ).rejects.toMatchObject(notFound);
    await expect(
      changeStatus({ db: t.db, principal: otherOperator, id: order.id, status: "CANCELLED", reason: "x" }),
    ).rejects.toMatchObject(notFound);
    await expect(reprintOrder({ db: t.db, principal: otherOperator, id: order.id, orderItemIds: [], receipt: true })).rejects.toMatchObject(
      notFound,
    );
    await expect(
      updateFood({ db: t.db, principal: otherOperator, id: demo.food("Fries").id, patch: { available: false } }),
    ).rejects.toMatchObject(notFound);
    expect((await getOrder({ db: t.db, principal: admin, id: order.id })).id).toBe(order.id);
    const list = await listOrders({ db: t.db, principal: otherOperator });
    expect(list.orders.every((o) => o.partnerId === other.partner.id)).toBe(true);
  });

  it("reprint logs the chosen items and receipt flag; unknown items are refused by index", async () => {
    const { order } = await place();
    await expect(reprintOrder({ db: t.db, principal: operator, id: order.id, orderItemIds: [], receipt: true })).rejects.toMatchObject({
      status: 409,
    });
    await confirmOrder({ db: t.db, principal: operator, id: order.id, input: { paymentMethod: "CASH" } });
    const itemId = order.orderItems[0]!.id;
    await expect(
      reprintOrder({ db: t.db, principal: operator, id: order.id, orderItemIds: [itemId, "nope"], receipt: false }),
    ).rejects.toMatchObject({ status: 400, details: { field: "orderItemIds.1" } });
    const before = await logPosition({ db: t.db });
    await reprintOrder({ db: t.db, principal: operator, id: order.id, orderItemIds: [itemId], receipt: true });
    const [event] = await readEvents({ db: t.db, afterId: before.lastEventId, limit: 5 });
    expect(event).toMatchObject({
      type: "order.reprinted",
      version: EVENT_PAYLOAD_VERSION,
      payload: { reprint: { orderItemIds: [itemId], receipt: true } },
    });
  });

  it("a failed change writes neither the change nor its event", async () => {
    const { order } = await place();
    const before = await logPosition({ db: t.db });
    await expect(
      confirmOrder({ db: t.db, principal: operator, id: order.id, input: { paymentMethod: "CASH", discount: "27" } }),
    ).rejects.toMatchObject({ status: 400, details: { field: "discount" } });
    expect((await getOrder({ db: t.db, principal: operator, id: order.id })).status).toBe("PENDING");
    expect((await logPosition({ db: t.db })).lastEventId).toBe(before.lastEventId);
    // The boundary itself is allowed: discount = subTotal + surcharge.
    const zero = await confirmOrder({ db: t.db, principal: operator, id: order.id, input: { paymentMethod: "OTHER", discount: "26" } });
    expect(zero.total).toBe(0);
  });

  it("announces events only after they commit", async () => {
    const seen: number[] = [];
    const listener = (events: { id: number }[]) => seen.push(...events.map((e) => e.id));
    committedEvents().on("committed", listener);
    try {
      const { order } = await place();
      const [event] = await readEvents({ db: t.db, afterId: (await logPosition({ db: t.db })).lastEventId - 1, limit: 1 });
      expect(seen).toEqual([event!.id]);
      expect(event!.orderId).toBe(order.id);
    } finally {
      committedEvents().off("committed", listener);
    }
  });

  it("food updates are partner-scoped, logged, and unavailable foods cannot be ordered", async () => {
    const fries = demo.food("Fries");
    const before = await logPosition({ db: t.db });
    const dto = await updateFood({ db: t.db, principal: operator, id: fries.id, patch: { available: false, price: "4.9" } });
    expect(dto).toMatchObject({ available: false, price: "4.9" });
    const [event] = await readEvents({ db: t.db, afterId: before.lastEventId, limit: 5 });
    expect(event).toMatchObject({ type: "food.updated", payload: { changed: { available: false, price: "4.9" } } });
    await expect(placeOrder(t.db, demo, { items: [{ food: "Fries", quantity: 1 }] })).rejects.toMatchObject({
      status: 400,
      details: { field: "items.0.foodId" },
    });
    await updateFood({ db: t.db, principal: operator, id: fries.id, patch: { available: true, price: "4.5" } });
  });

  it("tokens act for their partner only", async () => {
    const integration = await makeToken(t.db, { partnerId: demo.partner.id, role: "integration" });
    const principal: Principal = {
      kind: "token",
      tokenId: integration.id,
      name: integration.name,
      role: "integration",
      partnerId: demo.partner.id,
      channels: integration.channels,
    };
    const { order } = await placeOrder(t.db, demo, { principal, items: [{ food: "Lemonade", quantity: 1 }] });
    expect(order.source).toBe("api");
    await expect(placeOrder(t.db, other, { principal, items: [{ food: "Lemonade", quantity: 1 }] })).rejects.toMatchObject({ status: 404 });
    await expect(confirmOrder({ db: t.db, principal, id: order.id, input: { paymentMethod: "CASH" } })).rejects.toMatchObject({
      status: 403,
    });
  });
});
