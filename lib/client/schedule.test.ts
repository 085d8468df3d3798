import { describe, expect, it } from "vitest";
import { toOrderDto } from "../orders/dto";
import { lineItem, linePart, orderRecord } from "../testing/order-record";
import { clockTime, scheduledOrders, scheduleOf } from "./schedule";

const fries = lineItem("a", "fryer");
const cake = lineItem("b", "cold", 2);
const scheduled = (parts = [linePart(fries, "HELD"), linePart(cake, "HELD")], extra = {}) =>
  toOrderDto(
    orderRecord({ orderItems: [fries, cake], parts, promisedAt: "2026-01-01T19:30:00.000Z", fireAt: "2026-01-01T19:05:00.000Z", ...extra }),
  );

describe("scheduled orders on the cashier", () => {
  it("held: promised time and the time it fires", () => {
    expect(scheduleOf(scheduled())).toEqual({
      promisedAt: "2026-01-01T19:30:00.000Z",
      fireAt: "2026-01-01T19:05:00.000Z",
      firedAt: null,
      held: true,
    });
  });

  it("fired: the earliest part's fire time, fireAt cleared", () => {
    const fired = scheduled([linePart(fries, "QUEUED", "fryer", "2026-01-01T19:05:02.000Z"), linePart(cake, "HELD")], { fireAt: null });
    expect(scheduleOf(fired)).toMatchObject({ fireAt: null, firedAt: "2026-01-01T19:05:02.000Z", held: false });
  });

  it("an order without promisedAt is not scheduled", () => {
    expect(scheduleOf(toOrderDto(orderRecord({ orderItems: [fries], parts: [linePart(fries, "QUEUED")] })))).toBeNull();
  });

  it("clock time: 24-hour, the weekday when not today", () => {
    const now = new Date("2026-01-01T12:00:00Z");
    expect(clockTime("2026-01-01T19:30:00Z", now, "UTC")).toBe("19:30");
    expect(clockTime("2026-01-01T07:05:00Z", now, "UTC")).toBe("07:05");
    expect(clockTime("2026-01-02T19:30:00Z", now, "UTC")).toBe("Fri 19:30");
    expect(clockTime("2026-01-01T19:30:00Z", now, "Europe/Berlin")).toBe("20:30");
  });

  it("the scheduled list: open scheduled orders only, soonest promise first", () => {
    const o = (id: number, promisedAt: string | null, status: string) => ({ id, promisedAt, status }) as const;
    const list = [
      o(1, "2026-01-01T20:00:00Z", "CONFIRMED"),
      o(2, null, "CONFIRMED"),
      o(3, "2026-01-01T19:00:00Z", "PREPARING"),
      o(4, "2026-01-01T18:00:00Z", "PICKED_UP"),
      o(5, "2026-01-01T18:30:00Z", "PENDING"),
      o(6, "2026-01-01T19:30:00Z", "READY"),
    ];
    expect(scheduledOrders(list as never[]).map((x: { id: number }) => x.id)).toEqual([3, 6, 1]);
  });
});
