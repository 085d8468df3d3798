import { describe, expect, it } from "vitest";
import { toOrderDto, type OrderItemRecord, type OrderRecord } from "@/lib/orders/dto";
import { lineItem, linePart, orderRecord } from "@/lib/testing/order-record";
import { jobsFor, slipAllergy, slipFiredAt, slipLines } from "./jobs";

// Built through toOrderDto: exactly the order a `?view=pass` printer frame carries.
const item = (id: string, station: string, course = 1): OrderItemRecord => lineItem(id, station, course);
const lines = [item("a", "grill"), item("b", "bar"), item("c", "grill"), item("d", "")];
const record: OrderRecord = orderRecord({ orderItems: lines, parts: lines.map((l) => linePart(l, "QUEUED")) });
const order = toOrderDto(record);

describe("jobsFor", () => {
  it("order.confirmed: a kitchen ticket per station plus the receipt", () => {
    const jobs = jobsFor(7, { type: "order.confirmed", order });
    expect(jobs.map((j) => j.key)).toEqual(["7:kitchen:grill", "7:kitchen:bar", "7:kitchen:kitchen", "7:receipt"]);
    const grill = jobs[0]!;
    expect(grill.kind === "kitchen" && grill.items.map((i) => i.id)).toEqual(["a", "c"]);
    expect(grill.kind === "kitchen" && grill.items.map((i) => i.food.name)).toEqual(["Food a", "Food c"]);
    const none = jobs[2]!;
    expect(none.kind === "kitchen" && none.items.map((i) => i.id)).toEqual(["d"]);
    expect(jobs.every((j) => !j.reprint && !j.fallback)).toBe(true);
    // The receipt prints the whole order with its money as the REST API gives it.
    const receipt = jobs[3]!;
    expect(receipt.kind).toBe("receipt");
    expect(receipt.order).toBe(order);
    expect(receipt.order).toMatchObject({ subTotal: "4", total: "4", discount: "0", surcharge: "0", paymentMethod: "CASH" });
  });

  it("order.reprinted: only the chosen items, the receipt only when asked, all stamped", () => {
    const jobs = jobsFor(9, { type: "order.reprinted", order, reprint: { orderItemIds: ["b"], receipt: false } });
    expect(jobs.map((j) => j.key)).toEqual(["9:kitchen:bar"]);
    expect(jobs[0]!.reprint).toBe(true);
    expect(jobs[0]!.kind === "kitchen" && jobs[0]!.items.map((i) => i.id)).toEqual(["b"]);
    const receiptOnly = jobsFor(10, { type: "order.reprinted", order, reprint: { orderItemIds: [], receipt: true } });
    expect(receiptOnly.map((j) => j.key)).toEqual(["10:receipt"]);
    expect(receiptOnly.every((j) => j.reprint && !j.fallback)).toBe(true);
    // Chosen items keep the order's item order, whatever order they were chosen in.
    const both = jobsFor(11, { type: "order.reprinted", order, reprint: { orderItemIds: ["c", "a", "b"], receipt: true } });
    expect(both.map((j) => j.key)).toEqual(["11:kitchen:grill", "11:kitchen:bar", "11:receipt"]);
    expect(both[0]!.kind === "kitchen" && both[0]!.items.map((i) => i.id)).toEqual(["a", "c"]);
  });

  it("order.unacknowledged: the kitchen tickets again, no receipt, marked", () => {
    const jobs = jobsFor(12, { type: "order.unacknowledged", order });
    expect(jobs.map((j) => j.key)).toEqual(["12:kitchen:grill", "12:kitchen:bar", "12:kitchen:kitchen"]);
    expect(jobs.every((j) => j.fallback && !j.reprint)).toBe(true);
  });

  it("other events print nothing", () => {
    expect(jobsFor(13, { type: "order.status", order })).toEqual([]);
    expect(jobsFor(14, { type: "order.created", order })).toEqual([]);
    expect(jobsFor(15, { type: "connected" as never, order })).toEqual([]);
  });
});

describe("the slip's lines", () => {
  const burger: OrderItemRecord = {
    ...item("m", "grill"),
    name: "Burger",
    notes: "well done",
    allergens: ["gluten", "milk", "peanuts"],
    modifiers: [
      { groupId: "g1", groupName: "Extras", options: [{ id: "o1", name: "Extra cheese", priceDelta: 100, station: null }] },
      {
        groupId: "g2",
        groupName: "Sides",
        options: [
          { id: "o2", name: "No onions", priceDelta: 0, station: null },
          { id: "o3", name: "Side of fries", priceDelta: 250, station: "fryer" },
        ],
      },
    ],
  };
  const allergic = toOrderDto({
    ...record,
    allergies: { codes: ["peanuts", "sesame"], note: "severe" },
    allergyAlert: true,
    orderItems: [burger, item("z", "bar")],
    parts: [linePart(burger, "QUEUED"), linePart(burger, "QUEUED", "fryer"), linePart(item("z", "bar"), "QUEUED")],
  });

  it("prints each option under its line, the allergens, then the guest's note; other stations' options are marked", () => {
    const line = allergic.orderItems[0]!;
    expect(slipLines(line, "grill")).toEqual([
      { kind: "option", text: "+ Extra cheese" },
      { kind: "option", text: "NO onions" },
      { kind: "option", text: "+ Side of fries @ FRYER" },
      { kind: "allergens", text: "Contains: Gluten, Milk, Peanuts" },
      { kind: "note", text: "well done" },
    ]);
    // At the fryer, the fries are its own; the line still says what it belongs to.
    expect(slipLines(line, "fryer").map((l) => l.text)).toContain("+ Side of fries");
    expect(slipLines(allergic.orderItems[1]!)).toEqual([]);
  });

  it("a line whose option is cooked elsewhere prints at both stations", () => {
    const jobs = jobsFor(20, { type: "order.confirmed", order: allergic });
    expect(jobs.map((j) => j.key)).toEqual(["20:kitchen:grill", "20:kitchen:fryer", "20:kitchen:bar", "20:receipt"]);
    expect(jobs[1]!.kind === "kitchen" && jobs[1]!.items.map((i) => i.id)).toEqual(["m"]);
  });

  it("the inverted allergy line: declared codes by name and the note; none without an alert", () => {
    expect(slipAllergy(allergic)).toBe("ALLERGY: PEANUTS, SESAME — SEVERE");
    expect(slipAllergy(order)).toBeNull();
    // An alert raised by a line's own words ("nut allergy") prints those words.
    const byNote = toOrderDto({ ...record, allergyAlert: true, orderItems: [{ ...item("n", "grill"), notes: "nut allergy!" }] });
    expect(slipAllergy(byNote)).toBe("ALLERGY — NUT ALLERGY!");
  });
});

describe("station slips follow firing", () => {
  // Course 1 at the grill; course 2 at the bar, and a burger whose fries are cooked at the fryer.
  const steak = item("s", "grill", 1);
  const wine = item("w", "bar", 2);
  const burger = item("m", "grill", 2);
  const coursed = (parts: OrderRecord["parts"], extra: Partial<OrderRecord> = {}) =>
    toOrderDto(orderRecord({ orderItems: [steak, wine, burger], parts, ...extra }));
  const confirmedParts = [linePart(steak, "QUEUED"), linePart(wine, "HELD"), linePart(burger, "HELD"), linePart(burger, "HELD", "fryer")];
  const kitchen = (jobs: ReturnType<typeof jobsFor>) =>
    jobs.flatMap((j) => (j.kind === "kitchen" ? [{ station: j.station, items: j.items.map((i) => i.id), courses: j.courses }] : []));

  it("confirmation of a two-course order prints course 1's slips and the receipt, nothing of course 2", () => {
    const jobs = jobsFor(30, { type: "order.confirmed", order: coursed(confirmedParts) });
    expect(jobs.map((j) => j.key)).toEqual(["30:kitchen:grill", "30:receipt"]);
    expect(kitchen(jobs)).toEqual([{ station: "grill", items: ["s"], courses: [1] }]);
    expect(jobs.every((j) => j.kind === "receipt" || !j.fired)).toBe(true);
  });

  it("course 2 fires → its slips at every station it is cooked at, marked fired, no receipt", () => {
    const parts = [
      { ...linePart(steak, "DONE"), doneAt: "2026-01-01T00:12:00Z" },
      linePart(wine, "QUEUED", "bar", "2026-01-01T00:12:00Z"),
      linePart(burger, "QUEUED", "grill", "2026-01-01T00:12:00Z"),
      linePart(burger, "QUEUED", "fryer", "2026-01-01T00:12:00Z"),
    ];
    const jobs = jobsFor(31, { type: "order.fired", order: coursed(parts), fired: { courses: [2], by: "auto" } });
    expect(jobs.map((j) => j.key)).toEqual(["31:kitchen:bar", "31:kitchen:grill", "31:kitchen:fryer"]);
    expect(kitchen(jobs)).toEqual([
      { station: "bar", items: ["w"], courses: [2] },
      // The steak is course 1, already printed at confirmation: only the burger is on this grill slip.
      { station: "grill", items: ["m"], courses: [2] },
      { station: "fryer", items: ["m"], courses: [2] },
    ]);
    expect(jobs.every((j) => j.kind === "kitchen" && j.fired && !j.reprint && !j.fallback)).toBe(true);
    expect(jobs.map((j) => j.kind === "kitchen" && slipFiredAt(j))).toEqual(Array(3).fill("2026-01-01T00:12:00Z"));
  });

  it("course 2 fired by hand while course 1 still cooks: course 1 is not printed again", () => {
    const parts = [linePart(steak, "STARTED"), linePart(wine, "QUEUED"), linePart(burger, "QUEUED"), linePart(burger, "QUEUED", "fryer")];
    const jobs = jobsFor(32, { type: "order.fired", order: coursed(parts), fired: { courses: [2], by: "chef" } });
    expect(kitchen(jobs).map((k) => [k.station, k.items])).toEqual([
      ["bar", ["w"]],
      ["grill", ["m"]],
      ["fryer", ["m"]],
    ]);
  });

  it("a scheduled order prints only its receipt at confirmation and its slips when it fires", () => {
    const held = [linePart(steak, "HELD"), linePart(wine, "HELD"), linePart(burger, "HELD"), linePart(burger, "HELD", "fryer")];
    const scheduled = { promisedAt: "2026-01-01T19:30:00Z", fireAt: "2026-01-01T19:05:00Z" };
    const atConfirm = jobsFor(40, { type: "order.confirmed", order: coursed(held, scheduled) });
    expect(atConfirm.map((j) => j.key)).toEqual(["40:receipt"]);
    // Nothing was shown on a kitchen screen either, so the fallback has nothing to reprint.
    expect(jobsFor(41, { type: "order.unacknowledged", order: coursed(held, scheduled) })).toEqual([]);

    const firedParts = [linePart(steak, "QUEUED", "grill", "2026-01-01T19:05:00Z"), ...held.slice(1)];
    const atFire = jobsFor(42, {
      type: "order.fired",
      order: coursed(firedParts, { ...scheduled, fireAt: null }),
      fired: { courses: [1], by: "schedule" },
    });
    expect(atFire.map((j) => j.key)).toEqual(["42:kitchen:grill"]);
    expect(kitchen(atFire)).toEqual([{ station: "grill", items: ["s"], courses: [1] }]);
  });

  it("the NOT SEEN fallback reprints the fired parts only; a reprint prints what was chosen", () => {
    const fallback = jobsFor(50, { type: "order.unacknowledged", order: coursed(confirmedParts) });
    expect(kitchen(fallback)).toEqual([{ station: "grill", items: ["s"], courses: [1] }]);
    const reprint = jobsFor(51, {
      type: "order.reprinted",
      order: coursed(confirmedParts),
      reprint: { orderItemIds: ["m"], receipt: false },
    });
    expect(kitchen(reprint).map((k) => k.station)).toEqual(["grill", "fryer"]);
  });

  it("one-course orders name no course on the slip; a fired event with no fired part prints nothing", () => {
    expect(kitchen(jobsFor(60, { type: "order.confirmed", order })).every((k) => k.courses.length === 0)).toBe(true);
    expect(jobsFor(61, { type: "order.fired", order: coursed(confirmedParts), fired: { courses: [3], by: "chef" } })).toEqual([]);
  });
});
