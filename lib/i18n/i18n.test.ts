/** The message catalogue: French is complete with the same placeholders, and `t` formats ICU-light messages. */
import { describe, expect, it } from "vitest";
import { CATALOGUES, languageOf, placeholdersOf, t } from ".";
import { en } from "./en";
import { formatMessage } from "./format";

describe("message catalogue", () => {
  for (const [lang, catalogue] of Object.entries(CATALOGUES)) {
    it(`${lang}: every key of en, no other, each with en's placeholders and a translation`, () => {
      expect(Object.keys(catalogue).sort()).toEqual(Object.keys(en).sort());
      for (const [key, message] of Object.entries(en)) {
        const translated = (catalogue as Record<string, string>)[key]!;
        expect(translated.trim(), key).not.toBe("");
        expect(placeholdersOf(translated), key).toEqual(placeholdersOf(message));
        // Every message parses (balanced braces, plural branches with `other`).
        expect(() => formatMessage(translated, {}, lang), key).not.toThrow();
        if (/, plural,/.test(translated)) expect(translated, key).toMatch(/other \{/);
      }
    });
  }

  it("French is really French: most messages differ from English", () => {
    const same = Object.entries(en).filter(([k, v]) => (CATALOGUES.fr as Record<string, string>)[k] === v);
    expect(same.length / Object.keys(en).length).toBeLessThan(0.15);
  });

  it("picks the catalogue by language, plural rules and digits by the whole locale", () => {
    expect(languageOf("fr-FR")).toBe("fr");
    expect(languageOf("fr_CA")).toBe("fr");
    expect(languageOf("de-DE")).toBe("en");
    expect(languageOf(null)).toBe("en");
    expect(t("en-US", "board.ready")).toBe("Ready");
    expect(t("fr-FR", "board.ready")).toBe("Prêtes");
    expect(t("de-DE", "board.ready")).toBe("Ready");
    expect(t("not a locale!", "board.ready")).toBe("Ready");
    expect(t("en-US", "order.bar", { count: 1 })).toBe("Your order · 1 item");
    expect(t("en-US", "order.bar", { count: 3 })).toBe("Your order · 3 items");
    // French: 0 and 1 are singular.
    expect(t("fr-FR", "order.bar", { count: 0 })).toBe("Votre commande · 0 article");
    expect(t("fr-FR", "order.bar", { count: 2 })).toBe("Votre commande · 2 articles");
    expect(t("en-US", "kitchen.pageOf", { page: 1, pages: 2, open: 1200 })).toBe("Page 1 of 2 · 1,200 open");
    expect(t("fr-FR", "kitchen.pageOf", { page: 1, pages: 2, open: 1200 })).toBe("Page 1 sur 2 · 1\u202f200 ouverts");
    expect(t("fr-FR", "kitchen.pageOf", { page: 1, pages: 1, open: 1 })).toBe("Page 1 sur 1 · 1 ouvert");
  });

  it("formats ICU-light: arguments, =N before categories, # inside a branch, a missing parameter shown as its name", () => {
    const m = "{n, plural, =0 {no ticket} one {# ticket} other {# tickets}} for {who}";
    expect(formatMessage(m, { n: 0, who: "grill" })).toBe("no ticket for grill");
    expect(formatMessage(m, { n: 1, who: "grill" })).toBe("1 ticket for grill");
    expect(formatMessage(m, { n: 12, who: "grill" })).toBe("12 tickets for grill");
    expect(formatMessage("Hello {name}", {})).toBe("Hello {name}");
    expect(placeholdersOf(m)).toEqual(["n", "who"]);
    expect(() => formatMessage("broken {name", {})).toThrow(SyntaxError);
    expect(() => formatMessage("{x, select, a {b}}", { x: "a" })).toThrow(/only plural/);
  });
});
