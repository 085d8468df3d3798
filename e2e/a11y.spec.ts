/**
 * Accessibility of every screen with axe-core: no serious or critical violation.
 */
import AxeBuilder from "@axe-core/playwright";
import { disableAutoPrint } from "./pages/screens";
import { confirmOrder, expect, placeOrder, signIn, test } from "./support/fixtures";

const SCREENS = [
  "/",
  "/login",
  "/cashier",
  "/kitchen",
  "/board",
  "/printer",
  "/dashboard",
  "/menu",
  "/settings",
  "/settings?tab=users",
  "/settings/devices",
  "/settings?tab=tables",
  "/settings?tab=couriers",
  "/settings?tab=printers",
  "/courier",
  "/pair",
  "/live/cashier",
  "/order/demo?table=3",
];

// Screens are checked with content on them: one pending order and one ticket in the kitchen.
test.beforeAll(async ({ browser }) => {
  const context = await browser.newContext();
  await placeOrder(context.request, { customer: "Axe Tester" });
  const toConfirm = await placeOrder(context.request, { customer: "Axe Kitchen" });
  await signIn(context.request);
  await confirmOrder(context.request, toConfirm.id, { paymentMethod: "CARD" });
  await context.close();
});

for (const path of SCREENS) {
  test(`no serious or critical accessibility violation on ${path}`, async ({ page, context }) => {
    await disableAutoPrint(context);
    if (path !== "/login") await signIn(context.request);
    await page.goto(path);
    // Streams never let the network go idle: wait for the screen's own "live" instead.
    const badge = page.getByTestId("connection-badge");
    if (await badge.count()) await expect(badge).toHaveAttribute("data-status", "live");
    await page.waitForTimeout(300);
    const results = await new AxeBuilder({ page }).analyze();
    const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(
      bad.map(
        (v) =>
          `${v.id}: ${v.help} (${v.nodes
            .map((n) => n.target.join(" "))
            .slice(0, 3)
            .join(", ")})`,
      ),
    ).toEqual([]);

    // Touch targets: every visible button, link and select is at least 44 px high.
    const small = await page
      .locator("button:visible, a[href]:visible, select:visible")
      .evaluateAll((els) =>
        els.map((el) => ({ el: el.outerHTML.slice(0, 80), h: el.getBoundingClientRect().height })).filter((x) => x.h < 44),
      );
    expect(small).toEqual([]);
  });
}
