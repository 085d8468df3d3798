import { describe, expect, it } from "vitest";
import { soldOutUntil } from "./menu-query";
import { allergenName, allergyNotes, allergyText, isRemoval, optionText } from "./order-lines";

describe("how staff screens word a line", () => {
  it("options: removals in capitals, additions with +, another station's marked", () => {
    expect(optionText({ name: "Extra cheese", station: null })).toBe("+ Extra cheese");
    expect(optionText({ name: "no onions", station: null })).toBe("NO onions");
    expect(optionText({ name: "Side of fries", station: "fryer" }, "grill")).toBe("+ Side of fries @ FRYER");
    expect(optionText({ name: "Side of fries", station: "fryer" }, "fryer")).toBe("+ Side of fries");
    expect(isRemoval({ name: "No onions" })).toBe(true);
    expect(isRemoval({ name: "Nori" })).toBe(false);
  });

  it("allergies by readable name, with the guest's note", () => {
    expect(allergenName("nuts")).toBe("Tree nuts");
    expect(allergenName("soybeans")).toBe("Soy");
    expect(allergyText({ allergies: { codes: ["peanuts", "sesame"], note: " severe " } })).toBe("ALLERGY: Peanuts, Sesame — severe");
    expect(allergyText({ allergies: { codes: [], note: "shellfish" } })).toBe("ALLERGY — shellfish");
    const line = (notes: string | null) => ({ notes }) as never;
    expect(allergyNotes({ orderItems: [line("nut allergy"), line("well done"), line(null)] })).toEqual(["nut allergy"]);
  });

  it("when a sold-out dish comes back", () => {
    const now = new Date(2026, 11, 1, 13, 0);
    expect(soldOutUntil(null, now)).toBe("until turned back on");
    expect(soldOutUntil(new Date(2026, 11, 1, 23, 30).toISOString(), now)).toMatch(/^back at (23:30|11:30\sPM)$/);
    expect(soldOutUntil(new Date(2026, 11, 2, 4, 0).toISOString(), now)).toMatch(/^back \S+ (04:00|04:00\sAM)$/);
  });
});
