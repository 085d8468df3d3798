import { expect, it } from "vitest";
import { routeMatcher } from "./route-patterns";

const match = routeMatcher([
  "/_not-found/page",
  "/api/orders/route",
  "/api/orders/[id]/route",
  "/api/orders/[id]/confirm/route",
  "/api/orders/[id]/stations/[station]/[action]/route",
  "/api/partners/[slug]/kitchen-settings/route",
  "/api/partners/route",
  "/(screens)/kitchen/page",
  "/track/[id]/page",
  "/page",
  "/docs/[...slug]/page",
]);

it.each([
  ["/api/orders", "/api/orders"],
  ["/api/orders/42", "/api/orders/[id]"],
  ["/api/orders/42/confirm", "/api/orders/[id]/confirm"],
  ["/api/orders/7/stations/grill/bump", "/api/orders/[id]/stations/[station]/[action]"],
  ["/api/partners", "/api/partners"],
  ["/api/partners/demo/kitchen-settings", "/api/partners/[slug]/kitchen-settings"],
  ["/kitchen", "/kitchen"],
  ["/track/99", "/track/[id]"],
  ["/", "/"],
  ["/docs/a/b/c", "/docs/[...slug]"],
  ["/_next/static/chunks/abc.js", "/_next/static/*"],
  ["/wp-admin/login.php", "unmatched"],
  ["/api/orders/42/confirm/extra", "unmatched"],
])("%s → %s (a pattern, never the raw URL)", (path, pattern) => {
  expect(match(path)).toBe(pattern);
});
