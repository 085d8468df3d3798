import { describe, expect, it } from "vitest";
import { parseAmountInput, wireAmount } from "./money";

describe("what a cashier types as an amount", () => {
  it("either decimal mark, a percent where allowed, never NaN", () => {
    expect(parseAmountInput("2")).toEqual({ kind: "amount", minor: 200 });
    expect(parseAmountInput(" 2,5 ")).toEqual({ kind: "amount", minor: 250 });
    expect(parseAmountInput("12.05")).toEqual({ kind: "amount", minor: 1205 });
    expect(parseAmountInput("")).toEqual({ kind: "empty" });
    expect(parseAmountInput("10%", { percent: true })).toEqual({ kind: "percent", percent: 10 });
    expect(parseAmountInput("12,5 %", { percent: true })).toEqual({ kind: "percent", percent: 12.5 });
    expect(parseAmountInput("150%", { percent: true })).toMatchObject({ kind: "invalid", reason: expect.stringContaining("100") });
    expect(parseAmountInput("10%")).toMatchObject({ kind: "invalid" });
    for (const bad of ["abc", "1.234", "-1", "1e3", "1,2,3", "%", "NaN"])
      expect(parseAmountInput(bad, { percent: true }).kind).toBe("invalid");
  });

  it("back to the wire's decimal string", () => {
    expect([wireAmount(1150), wireAmount(1100), wireAmount(1105), wireAmount(0), wireAmount(10000)]).toEqual([
      "11.5",
      "11",
      "11.05",
      "0",
      "100",
    ]);
  });
});
