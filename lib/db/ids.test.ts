import { describe, expect, it } from "vitest";
import { newId } from "./ids";

describe("newId", () => {
  it("is cuid-style: 24 lower-case base-36 characters starting with a letter", () => {
    for (let i = 0; i < 1000; i++) expect(newId()).toMatch(/^[a-z][0-9a-z]{23}$/);
  });

  it("does not repeat over many ids", () => {
    const ids = new Set(Array.from({ length: 100_000 }, newId));
    expect(ids.size).toBe(100_000);
  });
});
