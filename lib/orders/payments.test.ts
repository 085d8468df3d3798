import { describe, expect, it } from "vitest";
import { isAppError } from "../errors";
import { isValidPercent, percentOf, settle } from "./payments";

/** The field a refusal names. */
function refused(run: () => unknown): string | undefined {
  try {
    run();
  } catch (e) {
    if (isAppError(e) && e.status === 400) return e.details?.field as string;
    throw e;
  }
  throw new Error("accepted");
}

const bill = { subTotal: 1100, surcharge: 50 }; // 11.50

describe("settle", () => {
  it("one method: the whole total, a discount as an amount or a percent of the bill", () => {
    expect(settle(bill, { paymentMethod: "CARD" })).toEqual({
      discount: 0,
      total: 1150,
      paymentMethod: "CARD",
      payments: [{ method: "CARD", amount: 1150, tendered: null, change: null }],
    });
    expect(settle(bill, { paymentMethod: "CARD", discount: "1.5" })).toMatchObject({ discount: 150, total: 1000 });
    expect(settle(bill, { paymentMethod: "CARD", discountPercent: 10 })).toMatchObject({ discount: 115, total: 1035 });
    expect(settle(bill, { paymentMethod: "CARD", discountPercent: 100 })).toMatchObject({ discount: 1150, total: 0 });
    expect(settle(bill, { paymentMethod: "CARD", discount: "11.5" })).toMatchObject({ total: 0 });
  });

  it("cash tendered gives the change; below the total it is refused", () => {
    expect(settle(bill, { paymentMethod: "CASH", tendered: "20" }).payments).toEqual([
      { method: "CASH", amount: 1150, tendered: 2000, change: 850 },
    ]);
    expect(settle(bill, { paymentMethod: "CASH", tendered: "11.5" }).payments[0]!.change).toBe(0);
    expect(refused(() => settle(bill, { paymentMethod: "CASH", tendered: "11.49" }))).toBe("tendered");
    expect(refused(() => settle(bill, { paymentMethod: "CARD", tendered: "20" }))).toBe("tendered");
    expect(refused(() => settle(bill, { paymentMethod: "CASH", tendered: "twenty" }))).toBe("tendered");
  });

  it("a discount above the bill, a bad percent or both kinds at once are refused by name", () => {
    expect(refused(() => settle(bill, { paymentMethod: "CARD", discount: "11.51" }))).toBe("discount");
    expect(refused(() => settle(bill, { paymentMethod: "CARD", discountPercent: 100.01 }))).toBe("discountPercent");
    expect(refused(() => settle(bill, { paymentMethod: "CARD", discountPercent: 150 }))).toBe("discountPercent");
    expect(refused(() => settle(bill, { paymentMethod: "CARD", discountPercent: -5 }))).toBe("discountPercent");
    expect(refused(() => settle(bill, { paymentMethod: "CARD", discountPercent: Number.NaN }))).toBe("discountPercent");
    expect(refused(() => settle(bill, { paymentMethod: "CARD", discount: "1", discountPercent: 5 }))).toBe("discountPercent");
    expect(refused(() => settle(bill, {}))).toBe("paymentMethod");
  });

  it("a split bill: amounts summing to the total, cash with its own tendered", () => {
    const s = settle(bill, {
      discountPercent: 10,
      payments: [
        { method: "CASH", amount: "5", tendered: "10" },
        { method: "CARD", amount: "5.35" },
      ],
    });
    expect(s).toEqual({
      discount: 115,
      total: 1035,
      paymentMethod: "CASH",
      payments: [
        { method: "CASH", amount: 500, tendered: 1000, change: 500 },
        { method: "CARD", amount: 535, tendered: null, change: null },
      ],
    });
    const two = (a: string, b: string) => ({
      payments: [
        { method: "CASH" as const, amount: a },
        { method: "CARD" as const, amount: b },
      ],
    });
    expect(refused(() => settle(bill, two("5", "6")))).toBe("payments");
    expect(refused(() => settle(bill, two("5", "7")))).toBe("payments");
    expect(refused(() => settle(bill, two("0", "11.5")))).toBe("payments.0.amount");
    expect(refused(() => settle(bill, two("5", "x")))).toBe("payments.1.amount");
    expect(refused(() => settle(bill, { payments: [{ method: "CASH", amount: "11.5" }] }))).toBe("payments");
    expect(refused(() => settle(bill, { ...two("5", "6.5"), tendered: "20" }))).toBe("tendered");
    expect(refused(() => settle(bill, { ...two("5", "6.5"), paymentMethod: "OTHER" }))).toBe("paymentMethod");
    expect(
      refused(() =>
        settle(bill, {
          payments: [
            { method: "CASH", amount: "5", tendered: "4" },
            { method: "CARD", amount: "6.5" },
          ],
        }),
      ),
    ).toBe("payments.0.tendered");
  });
});

describe("percentOf", () => {
  it("rounds to the nearest cent; two decimals of percent at most", () => {
    expect(percentOf(1150, 5)).toBe(58); // 57.5 → 58
    expect(percentOf(1150, 15)).toBe(173); // 172.5 → 173
    expect(percentOf(999, 12.5)).toBe(125);
    expect(isValidPercent(12.5)).toBe(true);
    expect(isValidPercent(12.555)).toBe(false);
    expect(isValidPercent(101)).toBe(false);
  });
});
