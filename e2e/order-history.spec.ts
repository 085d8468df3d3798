/**
 * Issue 17: the dashboard's order rows open the order — its lines and a timeline of every change
 * with who made it (the audit trail) — and the guest downloads their invoice from /track once the
 * order is paid, a PDF whose text names the restaurant, the lines and the tax its total includes.
 */
import fs from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { DashboardPage } from "./pages/screens";
import { SettingsPage } from "./pages/settings-page";
import { cancelOrder, confirmOrder, expect, placeOrder, stationAction, test } from "./support/fixtures";
import { pdfText } from "../lib/testing/pdf-text";

test("a dashboard row opens the order: its lines and its timeline, each change with who made it", async ({
  adminPage,
  staff,
  menu,
}, testInfo) => {
  const food = menu.foods[0]!;
  const order = await placeOrder(staff, { as: "guest", menu, customer: "Mia", table: "4", items: [{ food: food.name, quantity: 2 }] });
  await confirmOrder(staff, order.id, { paymentMethod: "CASH" });
  await stationAction(staff, order.id, food.station, "start");

  const dashboard = new DashboardPage(adminPage);
  await dashboard.goto();
  await dashboard.row(order.displayCode).getByTestId("open-order").click();
  const view = adminPage.getByTestId("order-view");
  await expect(view).toBeVisible();
  await expect(view.getByTestId("order-view-line")).toHaveCount(1);
  await expect(view.getByTestId("order-view-line")).toContainText(`2× ${food.name}`);
  const entries = view.getByTestId("timeline-entry");
  await expect(entries.and(adminPage.locator('[data-type="order.created"]'))).toContainText("by guest Mia");
  await expect(entries.and(adminPage.locator('[data-type="order.confirmed"]'))).toContainText("by admin");
  await expect(entries.and(adminPage.locator('[data-type="order.station"]'))).toContainText("by admin");
  await expect(entries.first()).toHaveAttribute("data-source", "audit");
  await adminPage.screenshot({ path: testInfo.outputPath("order-view.png") });
  const axe = await new AxeBuilder({ page: adminPage }).include('[data-testid="order-view"]').analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);
  const small = await view
    .locator("button:visible, a[href]:visible")
    .evaluateAll((els) => els.filter((e) => e.getBoundingClientRect().height < 44).map((e) => e.textContent));
  expect(small).toEqual([]);

  // Live: a change made elsewhere shows in the open view, with its actor.
  await stationAction(staff, order.id, food.station, "bump");
  await expect(entries.and(adminPage.locator('[data-type="order.status"]')).last()).toContainText("Ready");
  await view.getByTestId("order-view-close").click();
  await expect(view).toHaveCount(0);
});

test("the guest downloads the invoice from /track once paid; the cashier's list has it too", async ({
  adminPage,
  browser,
  staff,
  origin,
  menu,
}, testInfo) => {
  const patch = (data: unknown) => staff.patch("/api/partners/demo", { data, headers: { origin } });
  // The invoice's header and tax rate, set in the back office (Settings → Restaurant → Invoices).
  const settings = new SettingsPage(adminPage);
  await settings.goto("restaurant", "demo");
  await adminPage.getByTestId("profile-address").fill("1 Test Street, Springfield");
  await adminPage.getByTestId("profile-tax-rates").fill("VAT = 0");
  await adminPage.getByTestId("profile-save").click();
  await expect(settings.fieldError("taxRates")).toHaveText("Line 1: must be a number above 0 and at most 100");
  await adminPage.getByTestId("profile-tax-rates").fill("VAT = 20");
  await settings.saveProfile();
  await adminPage.getByTestId("profile-invoices").screenshot({ path: testInfo.outputPath("settings-invoices.png") });
  try {
    const food = menu.foods[0]!;
    const order = await placeOrder(staff, { as: "guest", menu, items: [{ food: food.name, quantity: 1 }] });
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, acceptDownloads: true });
    const page = await phone.newPage();
    await page.goto(`/track/${order.id}?token=${order.trackingToken}`);
    await expect(page.getByTestId("track-status")).toHaveAttribute("data-status", "PENDING");
    await expect(page.getByTestId("track-invoice")).toHaveCount(0);

    // Someone else's link to it is nothing.
    expect((await phone.request.get(`/api/orders/${order.id}/invoice.pdf?token=trk_not-this-one`)).status()).toBe(404);

    await confirmOrder(staff, order.id, { paymentMethod: "CARD" });
    await expect(page.getByTestId("track-invoice")).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath("track-invoice.png"), fullPage: true });
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("track-invoice").click()]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^invoice-\\d{4}-\\d{2}-\\d{2}-${order.id}\\.pdf$`));
    const [text] = await pdfText(fs.readFileSync((await download.path())!));
    expect(text).toContain("Demo Diner");
    expect(text).toContain("1 Test Street, Springfield");
    expect(text).toContain(`Order ${order.displayCode}`);
    expect(text).toContain(`1× ${food.name}`);
    const total = Math.round(Number(order.total) * 100);
    const vat = Math.round((total * 20) / 120);
    const usd = (minor: number) => `$${(minor / 100).toFixed(2)}`;
    expect(text).toContain(`Total ${usd(total)}`);
    expect(text).toContain(`incl. VAT 20 % ${usd(vat)}`);
    expect(text).toContain("Paid: Card");
    await phone.close();

    // The cashier's list of today's orders: the paid order's invoice, for staff.
    await adminPage.goto("/cashier");
    const row = adminPage.getByTestId("today-order").and(adminPage.locator(`[data-code="${order.displayCode}"][data-partner="demo"]`));
    const link = row.getByTestId("invoice-download");
    await expect(link).toHaveAttribute("href", `/api/orders/${order.id}/invoice.pdf`);
    const res = await staff.get(`/api/orders/${order.id}/invoice.pdf`);
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toBe("application/pdf");
    expect((await pdfText(await res.body()))[0]).toContain(`Order ${order.displayCode}`);
    await cancelOrder(staff, order.id).catch(() => {});
  } finally {
    expect((await patch({ address: null, taxRates: [] })).status()).toBe(200);
  }
});
