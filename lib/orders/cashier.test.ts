/**
 * The cashier's server-side rules (issue "Cashier and back office" item 1) on SQLite and
 * PostgreSQL: a discount as an amount or a percent, cash tendered and change, a split bill whose
 * payments sum to the total (stored, on the order and in its event), served / picked up, and the
 * courier of a delivery. A refused request writes nothing: no status change, no payment, no event.
 */
import { beforeAll, expect, it } from "vitest";
import type { Principal } from "../auth";
import { isAppError } from "../errors";
import { logPosition, readEvents } from "../events/log";
import { describeEachDatabase } from "../testing/each-database";
import { makePartner, makeUser, placeOrder, type TestPartner } from "../testing/fixtures";
import { toOrderDto } from "./dto";
import type { OrderEventPayload } from "./events";
import { assignCourier } from "./couriers";
import { changeStatus, confirmOrder, loadOrder } from "./service";

describeEachDatabase("cashier rules", (t) => {
  let demo: TestPartner;
  let operator: Principal;
  let otherOperator: Principal;

  beforeAll(async () => {
    demo = await makePartner(t.db, "demo", { currency: "EUR", locale: "fr-FR", defaultPaymentMethod: "CARD" });
    const other = await makePartner(t.db, "other");
    operator = (await makeUser(t.db, { partnerId: demo.partner.id, role: "operator", username: "op" })).principal;
    otherOperator = (await makeUser(t.db, { partnerId: other.partner.id, role: "operator", username: "op2" })).principal;
  });

  /** One Margherita: 12.50 + 0.50 surcharge = 13.00. */
  const place = (spec: Parameters<typeof placeOrder>[2] = {}) =>
    placeOrder(t.db, demo, { items: [{ food: "Margherita", quantity: 1 }], ...spec }).then((r) => r.order);

  /** Runs `run`, expects a 4xx naming `field` (or the status), and that nothing was written. */
  async function expectRefused(orderId: number, run: () => Promise<unknown>, field: string | null, status = 400) {
    const before = await logPosition({ db: t.db });
    const order = await loadOrder(t.db, orderId);
    const error = await run().then(
      () => null,
      (e: unknown) => e,
    );
    if (!isAppError(error)) throw new Error(`expected a refusal, got ${String(error)}`);
    expect(error.status).toBe(status);
    if (field) expect(error.details?.field).toBe(field);
    expect(await loadOrder(t.db, orderId)).toEqual(order);
    expect((await logPosition({ db: t.db })).lastEventId).toBe(before.lastEventId);
    expect(await t.db.selectFrom("payments").selectAll().where("orderId", "=", orderId).execute()).toEqual(
      order!.payments.map((p, position) => expect.objectContaining({ position, method: p.method })),
    );
  }

  it("a percent discount of the bill; the server refuses above 100 % and above the bill", async () => {
    const order = await place();
    await expectRefused(
      order.id,
      () => confirmOrder({ db: t.db, principal: operator, id: order.id, input: { paymentMethod: "CARD", discountPercent: 101 } }),
      "discountPercent",
    );
    await expectRefused(
      order.id,
      () => confirmOrder({ db: t.db, principal: operator, id: order.id, input: { paymentMethod: "CARD", discount: "13.01" } }),
      "discount",
    );
    const confirmed = await confirmOrder({
      db: t.db,
      principal: operator,
      id: order.id,
      input: { paymentMethod: "CARD", discountPercent: 10 },
    });
    expect(confirmed).toMatchObject({ status: "CONFIRMED", discount: 130, total: 1170, paymentMethod: "CARD" });
    expect(confirmed.payments).toEqual([{ method: "CARD", amount: 1170, tendered: null, change: null }]);
  });

  it("cash tendered: the change is stored and shown; below the total is refused", async () => {
    const order = await place();
    await expectRefused(
      order.id,
      () => confirmOrder({ db: t.db, principal: operator, id: order.id, input: { paymentMethod: "CASH", tendered: "12.99" } }),
      "tendered",
    );
    await expectRefused(
      order.id,
      () => confirmOrder({ db: t.db, principal: operator, id: order.id, input: { paymentMethod: "CARD", tendered: "20" } }),
      "tendered",
    );
    const confirmed = await confirmOrder({ db: t.db, principal: operator, id: order.id, input: { paymentMethod: "CASH", tendered: "20" } });
    expect(toOrderDto(confirmed).payments).toEqual([{ method: "CASH", amount: "13", tendered: "20", change: "7" }]);
  });

  it("a split bill: payments summing to the total are stored in order and carried by order.confirmed", async () => {
    const order = await place();
    const split = (a: string, b: string) => [
      { method: "CASH" as const, amount: a, tendered: "10" },
      { method: "CARD" as const, amount: b },
    ];
    await expectRefused(
      order.id,
      () => confirmOrder({ db: t.db, principal: operator, id: order.id, input: { payments: split("5", "7") } }),
      "payments",
    );
    await expectRefused(
      order.id,
      () => confirmOrder({ db: t.db, principal: operator, id: order.id, input: { payments: split("5", "9") } }),
      "payments",
    );
    await expectRefused(
      order.id,
      () => confirmOrder({ db: t.db, principal: operator, id: order.id, input: { payments: split("11", "2") } }),
      "payments.0.tendered",
    );
    const before = await logPosition({ db: t.db });
    const confirmed = await confirmOrder({ db: t.db, principal: operator, id: order.id, input: { payments: split("5", "8") } });
    expect(confirmed).toMatchObject({ total: 1300, paymentMethod: "CASH" });
    expect(confirmed.payments).toEqual([
      { method: "CASH", amount: 500, tendered: 1000, change: 500 },
      { method: "CARD", amount: 800, tendered: null, change: null },
    ]);
    const [event] = await readEvents({ db: t.db, afterId: before.lastEventId, limit: 5 });
    expect(event!.type).toBe("order.confirmed");
    expect((event!.payload as OrderEventPayload).order.payments).toEqual(confirmed.payments);
    // Another partner's operator cannot confirm or see it.
    await expectRefused(
      order.id,
      () => confirmOrder({ db: t.db, principal: otherOperator, id: order.id, input: { paymentMethod: "CASH" } }),
      null,
      404,
    );
  });

  it("served (dine-in) and picked up: READY → PICKED_UP; only a delivery goes on to DELIVERED", async () => {
    const dineIn = await place();
    await confirmOrder({ db: t.db, principal: operator, id: dineIn.id, input: { paymentMethod: "CARD" } });
    await expectRefused(dineIn.id, () => changeStatus({ db: t.db, principal: operator, id: dineIn.id, status: "PICKED_UP" }), null, 409);
    await changeStatus({ db: t.db, principal: operator, id: dineIn.id, status: "PREPARING" });
    await changeStatus({ db: t.db, principal: operator, id: dineIn.id, status: "READY" });
    expect((await changeStatus({ db: t.db, principal: operator, id: dineIn.id, status: "PICKED_UP" })).status).toBe("PICKED_UP");
    await expectRefused(dineIn.id, () => changeStatus({ db: t.db, principal: operator, id: dineIn.id, status: "DELIVERED" }), null, 409);
  });

  it("a delivery's courier: assigned and changed with a name; blank, a non-delivery or another partner refused", async () => {
    const delivery = await place({ source: "delivery", principal: operator });
    await confirmOrder({ db: t.db, principal: operator, id: delivery.id, input: { paymentMethod: "CARD" } });
    await expectRefused(
      delivery.id,
      () => assignCourier({ db: t.db, principal: operator, id: delivery.id, courierName: "   " }),
      "courierName",
    );
    await expectRefused(
      delivery.id,
      () => assignCourier({ db: t.db, principal: otherOperator, id: delivery.id, courierName: "Sam" }),
      null,
      404,
    );
    expect((await assignCourier({ db: t.db, principal: operator, id: delivery.id, courierName: "Sam" })).courierName).toBe("Sam");
    expect((await assignCourier({ db: t.db, principal: operator, id: delivery.id, courierName: "Lee" })).courierName).toBe("Lee");
    const counter = await place();
    await expectRefused(counter.id, () => assignCourier({ db: t.db, principal: operator, id: counter.id, courierName: "Sam" }), null, 409);
  });
});
