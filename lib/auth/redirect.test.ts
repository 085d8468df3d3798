/** The login page's `next` decision (open redirect): only same-origin paths are followed. */
import { describe, expect, it } from "vitest";
import { safeNextPath } from "./redirect";

describe("safeNextPath", () => {
  const foreign = [
    "//evil",
    "//evil.example/path",
    "/\\evil",
    "/\\/evil",
    "\\\\evil",
    "/%5Cevil", // as Next decodes it the page sees "/\evil"; the raw form is tested too
    decodeURIComponent("/%5Cevil"),
    decodeURIComponent("/%09/evil"),
    "/\t/evil",
    "/\n/evil",
    "/\r\n/evil",
    " //evil",
    "https://evil",
    "http://evil.example/",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "",
    "evil",
    undefined,
    null,
  ];
  it.each(foreign.map((v) => [JSON.stringify(v), v]))("%s goes home", (_label, value) => {
    const target = safeNextPath(value as string | undefined);
    if (value === "/%5Cevil") {
      // Not decoded: a same-origin path whose first segment is the literal "%5Cevil".
      expect(target).toBe("/%5Cevil");
    } else {
      expect(target).toBe("/");
    }
  });

  it.each([
    ["/", "/"],
    ["/cashier", "/cashier"],
    ["/cashier?x=1", "/cashier?x=1"],
    ["/kitchen?station=grill#top", "/kitchen?station=grill#top"],
    ["/partner/demo/orders", "/partner/demo/orders"],
    ["/a/../cashier", "/cashier"],
  ])("%s is followed as %s", (value, expected) => {
    expect(safeNextPath(value)).toBe(expected);
  });

  it("resolves against the app's origin", () => {
    expect(safeNextPath("/cashier", "https://pass.example.com:8443")).toBe("/cashier");
    expect(safeNextPath("//pass.example.com:8443/cashier", "https://pass.example.com:8443")).toBe("/cashier");
    expect(safeNextPath("//pass.example.com/cashier", "https://pass.example.com:8443")).toBe("/");
  });
});
