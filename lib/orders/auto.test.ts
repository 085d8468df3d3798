import { beforeAll, expect, it } from "vitest";
import type { Principal } from "../auth";
import { readEvents, logPosition } from "../events/log";
import { describeEachDatabase } from "../testing/each-database";
import { makePartner, makeUser, placeOrder, type TestPartner } from "../testing/fixtures";
import { autoCancelDue, autoConfirmDue } from "./auto";
import { updatePartnerProfile } from "./partner-profile";
import { getOrder } from "./service";

describeEachDatabase("auto-confirm and auto-cancel (the back office's settings at work)", (t) => {
  let demo: TestPartner;
  let other: TestPartner;
  let operator: Principal;

  beforeAll(async () => {
    demo = await makePartner(t.db, "demo");
    other = await makePartner(t.db, "other");
    operator = (await makeUser(t.db, { partnerId: demo.partner.id, role: "operator", username: "op" })).principal;
  });

  const status = async (id: number) => (await getOrder({ db: t.db, principal: operator, id })).status;

  it("confirms PENDING orders from the chosen sources after the delay, with the default payment; others stay", async () => {
    await updatePartnerProfile({
      db: t.db,
      principal: null,
      slug: "demo",
      patch: { autoConfirmSources: ["kiosk"], autoConfirmSeconds: 30, defaultPaymentMethod: "CARD" },
    });
    const kiosk = (await placeOrder(t.db, demo, { source: "kiosk" })).order;
    const qr = (await placeOrder(t.db, demo, { source: "qr" })).order;
    // The same source at a restaurant that did not choose it.
    const elsewhere = (await placeOrder(t.db, other, { source: "kiosk" })).order;
    const placedAt = Date.parse(kiosk.createdAt);

    expect(await autoConfirmDue({ db: t.db, now: new Date(placedAt + 10_000) })).toEqual([]);
    const from = (await logPosition({ db: t.db })).lastEventId;
    const done = await autoConfirmDue({ db: t.db, now: new Date(placedAt + 31_000) });
    expect(done).toEqual([kiosk.id]);
    const confirmed = await getOrder({ db: t.db, principal: operator, id: kiosk.id });
    expect(confirmed).toMatchObject({ status: "CONFIRMED", paymentMethod: "CARD" });
    expect(confirmed.ticketNumber).toBeGreaterThan(0);
    expect((await readEvents({ db: t.db, afterId: from, limit: 10 })).map((e) => e.type)).toEqual(["order.confirmed"]);
    expect(await status(qr.id)).toBe("PENDING");
    const otherOp = (await makeUser(t.db, { partnerId: other.partner.id, role: "operator", username: "op2" })).principal;
    expect((await getOrder({ db: t.db, principal: otherOp, id: elsewhere.id })).status).toBe("PENDING");

    // Two nodes racing: confirmed once.
    const again = (await placeOrder(t.db, demo, { source: "kiosk" })).order;
    const later = new Date(Date.parse(again.createdAt) + 31_000);
    const [a, b] = await Promise.all([autoConfirmDue({ db: t.db, now: later }), autoConfirmDue({ db: t.db, now: later })]);
    expect([...a, ...b].filter((id) => id === again.id)).toHaveLength(1);
    await updatePartnerProfile({ db: t.db, principal: null, slug: "demo", patch: { autoConfirmSources: [] } });
  });

  it("cancels PENDING orders older than autoCancelMinutes with a reason; confirmed ones and other partners' are left", async () => {
    await updatePartnerProfile({ db: t.db, principal: null, slug: "demo", patch: { autoCancelMinutes: 15 } });
    const waiting = (await placeOrder(t.db, demo, { source: "qr" })).order;
    const elsewhere = (await placeOrder(t.db, other, { source: "qr" })).order;
    const placedAt = Date.parse(waiting.createdAt);
    expect(await autoCancelDue({ db: t.db, now: new Date(placedAt + 14 * 60_000) })).not.toContain(waiting.id);
    const cancelled = await autoCancelDue({ db: t.db, now: new Date(placedAt + 16 * 60_000) });
    expect(cancelled).toContain(waiting.id);
    expect(cancelled).not.toContain(elsewhere.id);
    const order = await getOrder({ db: t.db, principal: operator, id: waiting.id });
    expect(order).toMatchObject({ status: "CANCELLED", cancelReason: "not confirmed within 15 min" });
    // Once: a second pass finds nothing.
    expect(await autoCancelDue({ db: t.db, now: new Date(placedAt + 17 * 60_000) })).not.toContain(waiting.id);
    await updatePartnerProfile({ db: t.db, principal: null, slug: "demo", patch: { autoCancelMinutes: null } });
  });
});
