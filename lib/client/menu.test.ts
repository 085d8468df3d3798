import { describe, expect, it } from "vitest";
import { ApiError } from "./api";
import { checkFood, checkGroup, checkOption, fieldErrors, moveItem, reorderedFoodsTo, signedDelta } from "./menu";

describe("back office helpers", () => {
  it("moves an item by a delta, clamped at both ends", () => {
    expect(moveItem(["a", "b", "c"], "c", -1)).toEqual(["a", "c", "b"]);
    expect(moveItem(["a", "b", "c"], "a", 1)).toEqual(["b", "a", "c"]);
    expect(moveItem(["a", "b", "c"], "a", -1)).toEqual(["a", "b", "c"]);
    expect(moveItem(["a", "b", "c"], "b", 5)).toEqual(["a", "c", "b"]);
    expect(moveItem(["a", "b"], "x", 1)).toEqual(["a", "b"]);
  });

  it("reorders one category's foods inside the partner's whole list, the others where they were", () => {
    const foods = [
      { id: "s1", categoryId: "starters" },
      { id: "m1", categoryId: "mains" },
      { id: "s2", categoryId: "starters" },
      { id: "m2", categoryId: "mains" },
      { id: "m3", categoryId: "mains" },
    ];
    expect(reorderedFoodsTo(foods, "mains", ["m3", "m1", "m2"])).toEqual(["s1", "m3", "s2", "m1", "m2"]);
    expect(reorderedFoodsTo(foods, "starters", ["s2", "s1"])).toEqual(["s2", "m1", "s1", "m2", "m3"]);
  });

  it("puts a 400's message under its field (details.field), without the 'field: ' prefix", () => {
    const price = new ApiError(400, 'price: must be a non-negative decimal string with at most 2 decimals, e.g. "2.5"', { field: "price" });
    expect(fieldErrors(price)).toEqual({ price: 'must be a non-negative decimal string with at most 2 decimals, e.g. "2.5"' });
    expect(fieldErrors(new ApiError(400, "options.2.priceDelta: bad", { field: "options.2.priceDelta" }))).toEqual({
      "options.2.priceDelta": "bad",
    });
    expect(fieldErrors(new ApiError(400, "modifierGroupIds.0: unknown modifier group", { field: "modifierGroupIds.0" }))).toEqual({
      "modifierGroupIds.0": "unknown modifier group",
    });
    // No field, or one the form has no input for: the form's own message.
    expect(fieldErrors(new ApiError(409, "the food is archived"))).toEqual({ form: "the food is archived" });
    expect(fieldErrors(new ApiError(404, "partner not found", { field: "partner" }))).toEqual({ form: "partner not found" });
    expect(fieldErrors(new Error("offline"))).toEqual({ form: "offline" });
  });

  it("catches the obvious before a round trip and leaves the rest to the server", () => {
    const ok = { name: "Steak", price: "24.50", surcharge: "", categoryId: "c", station: "grill" };
    expect(checkFood(ok)).toEqual({});
    expect(Object.keys(checkFood({ ...ok, name: "  ", price: "abc", surcharge: "x", categoryId: "", station: "" })).sort()).toEqual([
      "categoryId",
      "name",
      "price",
      "station",
      "surcharge",
    ]);
    expect(checkFood({ ...ok, price: "" }).price).toMatch(/price/i);
    // Too many decimals is the server's to refuse (it names the field).
    expect(checkFood({ ...ok, price: "12.345" })).toEqual({});
    expect(checkOption({ name: "Bacon", priceDelta: "+1.5" })).toEqual({});
    expect(checkOption({ name: "No cheese", priceDelta: "-0.50" })).toEqual({});
    expect(checkOption({ name: "", priceDelta: "one" }, "options.1.")).toEqual({
      "options.1.name": expect.any(String),
      "options.1.priceDelta": expect.any(String),
    });
    expect(checkGroup({ name: "Doneness", min: "1", max: "1" })).toEqual({});
    expect(Object.keys(checkGroup({ name: "", min: "-1", max: "x" })).sort()).toEqual(["max", "min", "name"]);
  });

  it("shows deltas signed, zero as nothing", () => {
    expect(signedDelta("1.5")).toBe("+$1.50");
    expect(signedDelta("-0.50")).toBe("−$0.50");
    expect(signedDelta("1.5", { currency: "EUR", locale: "fr-FR" })).toBe("+1,50\u00a0€");
    expect(signedDelta("0.00")).toBe("");
  });
});
