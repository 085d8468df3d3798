import { describe, expect, it } from "vitest";
import { t } from "@/lib/i18n";
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

  it("says why in the restaurant's language: each refusal has a code the catalogue words", () => {
    const refused = [
      ["150%", { percent: true }, "percentOver"],
      ["10%", {}, "notPercent"],
      ["abc", { percent: true }, "formatPercent"],
      ["abc", {}, "format"],
    ] as const;
    for (const [typed, options, code] of refused) {
      const result = parseAmountInput(typed, options);
      expect(result).toMatchObject({ kind: "invalid", code });
      if (result.kind !== "invalid") continue;
      // The English catalogue says exactly the reason the parser gives; French says it differently.
      expect(t("en-US", `cashier.amount.${result.code}`)).toBe(result.reason);
      expect(t("fr-FR", `cashier.amount.${result.code}`)).not.toBe(result.reason);
    }
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
