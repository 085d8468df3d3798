import { describe, expect, it } from "vitest";
import { displayMinor, displayMoney, isKnownCurrency, isKnownLocale } from "./money-format";

describe("displayMoney", () => {
  it("formats with the restaurant's currency and locale", () => {
    expect(displayMoney("11.5")).toBe("$11.50");
    expect(displayMoney("11.5", { currency: "EUR", locale: "fr-FR" }).replace(/\s/g, " ")).toBe("11,50 €");
    expect(displayMoney(-1, { currency: "EUR", locale: "de-DE" }).replace(/\s/g, " ")).toBe("-1,00 €");
    expect(displayMinor(1234, { currency: "JPY", locale: "ja-JP" })).toMatch(/12/);
  });
  it("refuses what is not an amount instead of printing NaN", () => {
    expect(() => displayMoney("10%")).toThrow(RangeError);
  });
  it("knows currencies and locales", () => {
    expect(isKnownCurrency("EUR")).toBe(true);
    expect(isKnownCurrency("EURO")).toBe(false);
    expect(isKnownCurrency("XYZ")).toBe(false);
    expect(isKnownLocale("fr-FR")).toBe(true);
    expect(isKnownLocale("fr")).toBe(true);
    expect(isKnownLocale("not a locale")).toBe(false);
  });
});
