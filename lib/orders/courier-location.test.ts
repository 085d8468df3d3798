/**
 * recordCourierLocation (docs/contracts.md#seeds-004) is a permission like the others: staff (operator, admin) and
 * integration tokens may report a courier's position; the kitchen, printers and displays may not.
 * Another partner's order is 404; an order that is not a delivery with a courier on its way is 409.
 * A refused report writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolvePrincipal, type Principal, type TokenRole } from "../auth";
import { logPosition } from "../events/log";
import { openTestDb, testTargets, type TestDb } from "../testing/db";
import { makePartner, makeToken, makeUser } from "../testing/fixtures";
import { assignCourier, recordCourierLocation } from "./couriers";
import { changeStatus, confirmOrder, createOrder, loadOrder } from "./service";

describe.each(testTargets())("courier location permission on $label", ({ dialect, skipReason }) => {
  let t: TestDb;
  let demo: Awaited<ReturnType<typeof makePartner>>;
  let operator: Principal;
  let admin: Principal;
  let kitchen: Principal;
  let otherOperator: Principal;
  const tokens: Partial<Record<`${"demo" | "other"}:${TokenRole}`, Principal>> = {};

  beforeAll(async () => {
    if (skipReason) return;
    t = await openTestDb(dialect);
    demo = await makePartner(t.db, "demo");
    const other = await makePartner(t.db, "other");
    operator = (await makeUser(t.db, { partnerId: demo.partner.id, role: "operator", username: "op" })).principal;
    admin = (await makeUser(t.db, { partnerId: null, role: "admin", username: "boss" })).principal;
    kitchen = (await makeUser(t.db, { partnerId: demo.partner.id, role: "kitchen", username: "chef" })).principal;
    otherOperator = (await makeUser(t.db, { partnerId: other.partner.id, role: "operator", username: "op2" })).principal;
    for (const [slug, partnerId] of [
      ["demo", demo.partner.id],
      ["other", other.partner.id],
    ] as const) {
      for (const role of ["operator", "kitchen", "printer", "display", "integration"] as const) {
        const { token } = await makeToken(t.db, { partnerId, role });
        tokens[`${slug}:${role}`] = (await resolvePrincipal({ db: t.db, authorization: `Bearer ${token}` }))!.principal;
      }
    }
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  async function order({ source = "delivery", courier = true }: { source?: string; courier?: boolean } = {}) {
    const { order } = await createOrder({
      db: t.db,
      principal: operator,
      input: { partner: "demo", source, items: [{ foodId: demo.food("Fries").id, quantity: 1 }] },
    });
    await confirmOrder({ db: t.db, principal: operator, id: order.id, input: { paymentMethod: "CARD" } });
    if (courier) await assignCourier({ db: t.db, principal: operator, id: order.id, courierName: "Sam" });
    return order.id;
  }

  const report = (principal: Principal, id: number, lat = 48.8566) => recordCourierLocation({ db: t.db, principal, id, lat, lng: 2.3522 });

  /** The report is refused with `status` and leaves the order and the log as they were. */
  async function refused(principal: Principal, id: number, status: number) {
    const before = await logPosition({ db: t.db });
    const location = (await loadOrder(t.db, id))?.courierLocation;
    await expect(report(principal, id, 10)).rejects.toMatchObject({ status });
    expect((await logPosition({ db: t.db })).lastEventId).toBe(before.lastEventId);
    expect((await loadOrder(t.db, id))?.courierLocation).toEqual(location);
  }

  it.skipIf(!!skipReason)("operator, admin, an operator token and an integration token of the partner may report", async () => {
    const id = await order();
    for (const principal of [operator, admin, tokens["demo:operator"]!, tokens["demo:integration"]!]) {
      const updated = await report(principal, id);
      expect(updated.courierLocation).toMatchObject({ lat: 48.8566, lng: 2.3522 });
    }
  });

  it.skipIf(!!skipReason)("the kitchen, printers and displays may not (403)", async () => {
    const id = await order();
    for (const principal of [kitchen, tokens["demo:kitchen"]!, tokens["demo:printer"]!, tokens["demo:display"]!]) {
      await refused(principal, id, 403);
    }
  });

  it.skipIf(!!skipReason)("another partner's staff or integration: the order is not found (404)", async () => {
    const id = await order();
    for (const principal of [otherOperator, tokens["other:operator"]!, tokens["other:integration"]!]) await refused(principal, id, 404);
    await refused(operator, 999_999, 404);
  });

  it.skipIf(!!skipReason)("not a delivery, no courier yet, or no longer on its way: 409", async () => {
    await refused(operator, await order({ source: "counter", courier: false }), 409);
    await refused(tokens["demo:integration"]!, await order({ courier: false }), 409);
    const cancelled = await order();
    await changeStatus({ db: t.db, principal: operator, id: cancelled, status: "CANCELLED", reason: "customer left" });
    await refused(operator, cancelled, 409);
  });
});
