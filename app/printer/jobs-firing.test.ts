/**
 * Per-station printing follows firing, end to end below the browser, on both databases: the
 * domain's own events (confirm, station bumps, "fire course 2", the scheduled fire) are read back
 * from the log, rendered on `pass:printer` exactly as the print station receives them, and turned
 * into print jobs. Every order.fired the domain writes yields a slip for each station of the
 * parts it fired (a fired course always has its tickets), and no station slip prints twice.
 */
import { beforeAll, expect, it } from "vitest";
import type { Principal } from "@/lib/auth";
import { orderEventOf } from "@/lib/client/order-events";
import { logPosition, readEvents } from "@/lib/events/log";
import { confirmOrder } from "@/lib/orders/service";
import { fireCourseNow, fireDue, stationAction } from "@/lib/orders/stations";
import { renderFrame } from "@/lib/projections";
import { describeEachDatabase } from "@/lib/testing/each-database";
import { makePartner, makeUser, placeConfirmedOrder, placeOrder, type TestPartner } from "@/lib/testing/fixtures";
import { jobsFor, type PrintJob } from "./jobs";

describeEachDatabase("printer slips follow firing", (t) => {
  let demo: TestPartner;
  let operator: Principal;
  let chef: Principal;

  beforeAll(async () => {
    demo = await makePartner(t.db, "demo");
    operator = (await makeUser(t.db, { partnerId: demo.partner.id, role: "operator", username: "op" })).principal;
    chef = (await makeUser(t.db, { partnerId: demo.partner.id, role: "kitchen", username: "chef" })).principal;
  });

  const ctx = () => ({ partner: { id: demo.partner.id, slug: "demo", name: "Demo", imageUrl: null }, now: new Date() });

  /** What the print station prints for the events since `after`, in log order (as printer-screen.tsx does). */
  async function printedSince(after: number) {
    const events = await readEvents({ db: t.db, afterId: after, limit: 200 });
    const jobs: (PrintJob & { type: string })[] = [];
    for (const e of events) {
      const frame = renderFrame("pass:printer", e, ctx());
      if (!frame) continue;
      const data = JSON.parse(/^data: (.+)$/m.exec(frame)![1]!);
      const name = /^event: (.+)$/m.exec(frame)![1]!;
      const event = orderEventOf({ id: e.id, event: name, data });
      if (event) jobs.push(...jobsFor(e.id, event).map((j) => ({ ...j, type: e.type })));
    }
    return { events, jobs };
  }
  const slips = (jobs: (PrintJob & { type: string })[]) =>
    jobs.map((j) => (j.kind === "kitchen" ? `${j.type} ${j.station}: ${j.items.map((i) => i.food.name).join(", ")}` : `${j.type} receipt`));

  it("a two-course order: course 1's slip and the receipt at confirmation; course 2's slip when course 1 is bumped", async () => {
    const before = (await logPosition({ db: t.db })).lastEventId;
    const order = await placeConfirmedOrder(t.db, demo, operator, {
      items: [
        { food: "Margherita", course: 1 },
        { food: "Lemonade", course: 2 },
      ],
    });
    expect(slips((await printedSince(before)).jobs)).toEqual(["order.confirmed oven: Margherita", "order.confirmed receipt"]);

    const bumped = (await logPosition({ db: t.db })).lastEventId;
    await stationAction({ db: t.db, principal: chef, id: order.id, station: "oven", action: "bump" });
    const { jobs } = await printedSince(bumped);
    expect(slips(jobs)).toEqual(["order.fired bar: Lemonade"]);
    expect(jobs[0]).toMatchObject({ kind: "kitchen", fired: true, courses: [2] });
  });

  it("fired by hand: course 2 prints now; firing again is refused and prints nothing more", async () => {
    const order = await placeConfirmedOrder(t.db, demo, operator, {
      items: [
        { food: "Fries", course: 1 },
        { food: "Margherita", course: 2 },
        { food: "Lemonade", course: 2 },
      ],
    });
    const before = (await logPosition({ db: t.db })).lastEventId;
    await fireCourseNow({ db: t.db, principal: chef, id: order.id, course: 2 });
    await expect(fireCourseNow({ db: t.db, principal: chef, id: order.id, course: 2 })).rejects.toMatchObject({ status: 409 });
    // Course 1 done afterwards fires nothing more (course 2 is already out): no slip twice.
    await stationAction({ db: t.db, principal: chef, id: order.id, station: "fryer", action: "bump" });
    const { jobs } = await printedSince(before);
    expect(slips(jobs)).toEqual(["order.fired oven: Margherita", "order.fired bar: Lemonade"]);
  });

  it("a scheduled order prints only the receipt at confirmation and its slips at its fire time", async () => {
    const now = new Date();
    const promisedAt = new Date(now.getTime() + 60 * 60_000).toISOString();
    const { order } = await placeOrder(t.db, demo, { items: [{ food: "Margherita" }, { food: "Fries" }], promisedAt, now });
    const before = (await logPosition({ db: t.db })).lastEventId;
    await confirmOrder({ db: t.db, principal: operator, id: order.id, input: { paymentMethod: "CARD" }, now });
    expect(slips((await printedSince(before)).jobs)).toEqual(["order.confirmed receipt"]);

    const due = (await logPosition({ db: t.db })).lastEventId;
    expect(await fireDue({ db: t.db, now: new Date(Date.parse(order.fireAt!) + 1000) })).toContain(order.id);
    const { events, jobs } = await printedSince(due);
    expect(events.filter((e) => e.orderId === order.id).map((e) => e.type)).toEqual(["order.fired"]);
    expect(slips(jobs.filter((j) => j.order.id === order.id))).toEqual(["order.fired oven: Margherita", "order.fired fryer: Fries"]);
  });

  it("every order.fired in the log has a slip for each station it fired, and every key is unique", async () => {
    const { events, jobs } = await printedSince(0);
    const keys = jobs.map((j) => j.key);
    expect(new Set(keys).size).toBe(keys.length);
    const fired = events.filter((e) => e.type === "order.fired");
    expect(fired.length).toBeGreaterThanOrEqual(3);
    for (const e of fired) {
      const { order, fired: what } = e.payload as { order: { parts: { station: string; course: number }[] }; fired: { courses: number[] } };
      const stations = new Set(order.parts.filter((p) => what.courses.includes(p.course)).map((p) => p.station));
      const printed = new Set(
        jobs.filter((j) => j.eventId === e.id && j.kind === "kitchen").map((j) => (j.kind === "kitchen" ? j.station : "")),
      );
      expect(printed).toEqual(stations);
    }
  });
});
