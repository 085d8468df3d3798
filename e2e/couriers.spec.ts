/**
 * Couriers (issue "Jobs and notifications" item 3): a delivery order the kitchen makes READY is
 * given a courier by the rider:auto_assign job; the guest's /track page shows the courier's name,
 * the dashboard shows it marked as Pass's choice, and the courier's phone (/courier, signed in
 * with the link the back office issued) lists it with big "picked up" / "delivered" buttons.
 * The spec's courier is taken off the roster at the end, so later specs' deliveries get no job.
 */
import AxeBuilder from "@axe-core/playwright";
import type { APIRequestContext } from "@playwright/test";
import { DashboardPage } from "./pages/screens";
import { confirmOrder, expect, placeOrder, test } from "./support/fixtures";

const PHONE = { viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true };

async function call(staff: APIRequestContext, origin: string, method: "post" | "patch", url: string, data: unknown) {
  const res = await staff[method](url, { data, headers: { origin } });
  expect(res.status(), await res.text()).toBeLessThan(300);
  return res.json();
}

test("/track of a delivery order shows the courier assigned by the job; the courier's phone takes it to delivered", async ({
  browser,
  staff,
  adminPage,
  origin,
}, testInfo) => {
  const name = `Robin ${Date.now() % 10_000}`;
  const courier = await call(staff, origin, "post", "/api/partners/demo/couriers", {
    name,
    phone: `+44 20 7946 ${String(Date.now() % 10_000).padStart(4, "0")}`,
    available: true,
  });
  try {
    // The back office's couriers tab lists them, available.
    await adminPage.goto("/settings?partner=demo&tab=couriers");
    const listed = adminPage.locator(`[data-testid="courier-row"][data-name="${name}"]`);
    await expect(listed).toHaveAttribute("data-state", "available");
    // Where the restaurant is (the nearest courier is measured from here); a latitude past 90 is refused under its field.
    await adminPage.getByTestId("courier-base-lat").fill("95");
    await adminPage.getByTestId("courier-base-lng").fill("2.3522");
    await adminPage.getByTestId("courier-base-save").click();
    await expect(adminPage.locator('[data-testid="field-error"][data-field="latitude"]')).toContainText(/-90 to 90/);
    await adminPage.getByTestId("courier-base-lat").fill("48.8566");
    await adminPage.getByTestId("courier-base-save").click();
    await expect(adminPage.getByTestId("courier-base").getByRole("status")).toBeVisible();
    expect((await (await staff.get("/api/partners/demo")).json()).latitude).toBe(48.8566);
    await adminPage.screenshot({ path: testInfo.outputPath("settings-couriers.png"), fullPage: true });

    const order = await placeOrder(staff, { as: "staff", source: "delivery", customer: "Grace Hopper" });
    await confirmOrder(staff, order.id);
    await call(staff, origin, "post", `/api/orders/${order.id}/status`, { status: "PREPARING" });
    await call(staff, origin, "post", `/api/orders/${order.id}/status`, { status: "READY" });

    // The guest: their phone's /track page names the courier the job chose.
    const guest = await browser.newContext(PHONE);
    const track = await guest.newPage();
    await track.goto(`/track/${order.id}?token=${order.trackingToken}`);
    await expect(track.getByTestId("track-courier")).toContainText(name);
    await track.screenshot({ path: testInfo.outputPath("track-courier.png"), fullPage: true });

    // The dashboard: the courier on the order's row, marked as Pass's choice.
    const dashboard = new DashboardPage(adminPage);
    await dashboard.goto();
    const row = dashboard.row(order.displayCode);
    await expect(row.getByTestId("dashboard-courier")).toContainText(name);
    await expect(row.getByTestId("dashboard-courier-auto")).toBeVisible();

    // The courier's phone, signed in by the link the back office issued (its token in the fragment).
    const link = await call(staff, origin, "post", `/api/couriers/${courier.id}/token`, {});
    const phone = await browser.newContext(PHONE);
    const app = await phone.newPage();
    await app.goto(link.path);
    await expect(app.getByTestId("courier-screen")).toHaveAttribute("data-courier", name);
    expect(app.url()).toBe(`${origin}/courier`);
    const delivery = app.locator(`[data-testid="courier-delivery"][data-order-id="${order.id}"]`);
    await expect(delivery).toHaveAttribute("data-status", "READY");
    await expect(app.getByTestId("courier-available")).toHaveAttribute("data-available", "true");
    // Phone-sized: nothing wider than the screen, every button a thumb's size (≥ 44 px), big type.
    expect(await app.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    for (const button of await app.getByRole("button").all()) {
      const box = (await button.boundingBox())!;
      expect(box.height).toBeGreaterThanOrEqual(44);
      expect(box.width).toBeGreaterThanOrEqual(44);
    }
    const fontSize = await delivery.getByTestId("courier-picked-up").evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize));
    expect(fontSize).toBeGreaterThanOrEqual(20);
    await app.screenshot({ path: testInfo.outputPath("courier-phone.png"), fullPage: true });
    const axe = await new AxeBuilder({ page: app }).analyze();
    expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);

    await delivery.getByTestId("courier-picked-up").click();
    await expect(delivery).toHaveAttribute("data-status", "PICKED_UP");
    await expect(track.getByTestId("track-status")).toHaveAttribute("data-status", "PICKED_UP");
    await delivery.getByTestId("courier-delivered").click();
    await expect(delivery).toHaveCount(0);
    await expect(track.getByTestId("track-status")).toHaveAttribute("data-status", "SHIPPED");
    await guest.close();
    await phone.close();
  } finally {
    await call(staff, origin, "patch", `/api/couriers/${courier.id}`, { active: false });
    await call(staff, origin, "patch", "/api/partners/demo", { latitude: null, longitude: null });
  }
});

test("/courier without a courier's sign-in shows the sign-in, and a bad link is refused", async ({ browser }) => {
  const phone = await browser.newContext(PHONE);
  const page = await phone.newPage();
  await page.goto("/courier#token=pass_not-a-real-token-at-all");
  await expect(page.getByTestId("courier-signin")).toBeVisible();
  await expect(page.getByTestId("courier-signin-error")).toContainText(/courier/);
  await phone.close();
});
