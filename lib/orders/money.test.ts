import { describe, expect, it } from "vitest";
import {
  INT4_MAX,
  MAX_AMOUNT_MINOR,
  MAX_QUANTITY,
  assertTotalsFit,
  formatMoney,
  lineTotal,
  orderTotals,
  parseMoney,
  parseSignedMoney,
} from "./money";

describe("formatMoney writes decimals as seeds/003 does", () => {
  it.each([
    [0, "0"],
    [2500, "25"],
    [1250, "12.5"],
    [50, "0.5"],
    [5, "0.05"],
    [199, "1.99"],
    [2600, "26"],
    [-200, "-2"],
    [123456789, "1234567.89"],
  ])("%i minor units → %s", (minor, text) => {
    expect(formatMoney(minor)).toBe(text);
  });

  it("refuses non-integers", () => {
    expect(() => formatMoney(1.5)).toThrow(RangeError);
    expect(() => formatMoney(Number.NaN)).toThrow(RangeError);
  });
});

describe("parseMoney", () => {
  it.each([
    ["0", 0],
    ["2", 200],
    ["2.5", 250],
    ["2.50", 250],
    ["0.05", 5],
    [" 12.5 ", 1250],
  ])("%j → %i", (text, minor) => {
    expect(parseMoney(text, "discount")).toBe(minor);
  });

  it.each(["-1", "1.234", "abc", "", ".5", "1.", "1e3", "0x10", "1,5", "NaN", "Infinity", "9999999999"])(
    "refuses %j naming the field",
    (text) => {
      expect(() => parseMoney(text, "discount")).toThrowError(expect.objectContaining({ status: 400, details: { field: "discount" } }));
    },
  );
});

describe("amounts stay within their integer columns (PostgreSQL int4)", () => {
  it("a price is at most 99,999.99 by default; the caller may allow up to int4", () => {
    expect(parseMoney("99999.99", "price")).toBe(MAX_AMOUNT_MINOR);
    for (const text of ["100000", "21474836.48", "999999999.99"]) {
      expect(() => parseMoney(text, "price")).toThrowError(expect.objectContaining({ status: 400, details: { field: "price" } }));
    }
    expect(parseMoney("21474836.47", "discount", INT4_MAX)).toBe(INT4_MAX);
    expect(() => parseMoney("21474836.48", "discount", INT4_MAX)).toThrowError(expect.objectContaining({ details: { field: "discount" } }));
  });

  it("the largest line fits; an order past int4 is refused naming items", () => {
    const line = { unitPrice: MAX_AMOUNT_MINOR, unitSurcharge: MAX_AMOUNT_MINOR, quantity: MAX_QUANTITY };
    expect(lineTotal(line)).toBeLessThanOrEqual(INT4_MAX);
    expect(() => assertTotalsFit(orderTotals({ items: [line], discount: 0 }))).not.toThrow();
    const items = Array.from({ length: 100 }, () => line);
    expect(() => assertTotalsFit(orderTotals({ items, discount: 0 }))).toThrowError(
      expect.objectContaining({ status: 400, details: { field: "items" } }),
    );
  });
});

describe("the money formulas (docs/contracts.md#conventions) reproduce every figure of seeds/003", () => {
  it("cashier new-order: 2 × 12.5, no surcharge, no discount", () => {
    const items = [{ unitPrice: 1250, unitSurcharge: 0, quantity: 2 }];
    expect(lineTotal(items[0]!)).toBe(2500); // "total": "25"
    expect(orderTotals({ items, discount: 0 })).toEqual({ subTotal: 2500, surcharge: 0, discount: 0, total: 2500 });
  });

  it("printer confirmed-order / reprint-order: 2 × (12.5 + 0.5), discount 2", () => {
    const items = [{ unitPrice: 1250, unitSurcharge: 50, quantity: 2 }];
    expect(formatMoney(lineTotal(items[0]!))).toBe("26");
    const t = orderTotals({ items, discount: 200 });
    expect([t.subTotal, t.discount, t.surcharge, t.total].map(formatMoney)).toEqual(["25", "2", "1", "24"]);
  });

  it("sums several lines", () => {
    const t = orderTotals({
      items: [
        { unitPrice: 1250, unitSurcharge: 50, quantity: 3 },
        { unitPrice: 450, unitSurcharge: 0, quantity: 1 },
      ],
      discount: 100,
    });
    expect(t).toEqual({ subTotal: 4200, surcharge: 150, discount: 100, total: 4250 });
  });
});

describe("parseSignedMoney", () => {
  it("reads signed deltas and names the field with a signed message", () => {
    expect(parseSignedMoney("1.5", "priceDelta")).toBe(150);
    expect(parseSignedMoney("+2", "priceDelta")).toBe(200);
    expect(parseSignedMoney("-0.5", "priceDelta")).toBe(-50);
    expect(parseSignedMoney("-0", "priceDelta")).toBe(0);
    expect(() => parseSignedMoney("2.005", "priceDelta")).toThrow(/priceDelta: .*optionally signed/);
    expect(() => parseSignedMoney("--1", "priceDelta")).toThrow(/optionally signed/);
    expect(() => parseSignedMoney("-100000", "priceDelta")).toThrow(/at most 99999.99/);
  });
});
