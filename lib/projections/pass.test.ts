import { describe, expect, it } from "vitest";
import type { EventType, LoggedEvent } from "../events/log";
import { EVENT_PAYLOAD_VERSION } from "../orders/events";
import { lineItem, linePart, orderRecord } from "../testing/order-record";
import { CHANNEL_EVENT_TYPES, renderFrame, type StreamChannel } from "./index";

// Pass's own staff channels follow the menu (the "Sold out" panels); the seeds channels, the
// `msg:` framing and the public board do not (their contracts are unchanged).
const ctx = { partner: { id: "p1", slug: "demo", name: "Demo", imageUrl: null }, now: new Date("2026-01-01T12:00:00Z") };
const food = { id: "f1", name: "Fries", price: "4.5", surcharge: "0", category: "Sides", station: "fryer", available: false };
const event = (id: number, type: EventType, payload: unknown): LoggedEvent => ({
  id,
  partnerId: "p1",
  type,
  orderId: null,
  version: EVENT_PAYLOAD_VERSION,
  payload,
  createdAt: "2026-01-01T12:00:00Z",
});
const parse = (frame: string | null) => {
  if (frame === null) return null;
  const name = /^event: (.+)$/m.exec(frame)?.[1];
  const data = /^data: (.+)$/m.exec(frame)?.[1];
  return { id: Number(/^id: (\d+)$/m.exec(frame)?.[1]), event: name, data: data ? JSON.parse(data) : null };
};

const course2 = lineItem("b", "bar", 2);
const FIRED_ORDER = orderRecord({ orderItems: [course2], parts: [linePart(course2, "QUEUED")] });

const MENU_TYPES = ["food.created", "food.updated", "food.archived", "menu.changed"];
const OWN = ["pass:cashier", "pass:kitchen", "pass:printer", "pass:partner"] as const;
const UNCHANGED = [
  "cashier",
  "kitchen",
  "printer",
  "partner",
  "display",
  "pass:display",
  "msg:cashier",
  "msg:kitchen",
  "msg:printer",
] as const;

describe("menu events on Pass's own staff channels", () => {
  it.each(OWN)("%s lists the menu events after its order events", (channel) => {
    const types = CHANNEL_EVENT_TYPES[channel];
    expect(types.slice(-4)).toEqual(MENU_TYPES);
    const plain = channel.slice("pass:".length) as StreamChannel;
    // The print station also prints what fires later (a held course, a scheduled order); the
    // cashier follows courier assignments (issue "Cashier and back office").
    const own = [
      ...(channel === "pass:printer" ? ["order.fired"] : []),
      ...(channel === "pass:cashier" ? ["order.courier"] : []),
      "partner.updated",
    ];
    expect(types.slice(0, -4)).toEqual([...CHANNEL_EVENT_TYPES[plain], ...own]);
  });

  it("pass:printer carries order.fired with the fired courses; the seeds printer channels do not", () => {
    const fired = event(21, "order.fired", { order: FIRED_ORDER, fired: { courses: [2], by: "auto" } });
    const frame = parse(renderFrame("pass:printer", { ...fired, orderId: 1 }, ctx));
    expect(frame?.event).toBe("order.fired");
    expect(frame?.data).toMatchObject({ type: "order.fired", fired: { courses: [2], by: "auto" }, order: { id: 1 } });
    expect(renderFrame("printer", fired, ctx)).toBeNull();
    expect(renderFrame("msg:printer", fired, ctx)).toBeNull();
    expect(CHANNEL_EVENT_TYPES.printer).toEqual(["order.confirmed", "order.reprinted", "order.unacknowledged"]);
  });

  it.each(UNCHANGED)("%s carries no menu event", (channel) => {
    for (const type of MENU_TYPES) expect(CHANNEL_EVENT_TYPES[channel]).not.toContain(type);
    expect(renderFrame(channel, event(5, "food.updated", { food, changed: { available: false } }), ctx)).toBeNull();
    expect(renderFrame(channel, event(6, "menu.changed", { entity: "option", action: "sold-out", id: "o1" }), ctx)).toBeNull();
  });

  it.each(["food.created", "food.updated", "food.archived"] as const)("%s is one `menu.changed` frame with the dish", (type) => {
    const frame = parse(renderFrame("pass:kitchen", event(7, type, { food, changed: { available: false } }), ctx));
    expect(frame).toEqual({ id: 7, event: "menu.changed", data: { type, entity: "food", id: "f1", food } });
  });

  it("menu.changed names the entity and its id (null for a whole list's reorder)", () => {
    const option = parse(renderFrame("pass:cashier", event(8, "menu.changed", { entity: "option", action: "sold-out", id: "o1" }), ctx));
    expect(option).toEqual({ id: 8, event: "menu.changed", data: { type: "menu.changed", entity: "option", id: "o1" } });
    const reorder = parse(
      renderFrame("pass:printer", event(9, "menu.changed", { entity: "category", action: "reordered", id: null }), ctx),
    );
    expect(reorder?.data).toEqual({ type: "menu.changed", entity: "category", id: null });
  });
});

describe("partner.updated (the back office changed the restaurant)", () => {
  const profile = { slug: "demo", name: "Demo", currency: "EUR", locale: "fr-FR" };
  const changed = event(30, "partner.updated", { partner: profile, changed: ["currency", "locale"] });

  it.each(OWN)("%s sends it by name with the profile, so screens re-read currency and locale", (channel) => {
    expect(parse(renderFrame(channel, changed, ctx))).toEqual({
      id: 30,
      event: "partner.updated",
      data: { type: "partner.updated", partner: profile, changed: ["currency", "locale"] },
    });
  });

  it.each([...UNCHANGED, "customer", "menu", "ws"] as const)("%s carries none of it", (channel) => {
    expect(CHANNEL_EVENT_TYPES[channel]).not.toContain("partner.updated");
    expect(renderFrame(channel, changed, ctx)).toBeNull();
  });
});
