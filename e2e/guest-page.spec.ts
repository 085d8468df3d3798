/**
 * The ordering page on a phone (issue "The guest's side", item 3): the sticky category bar, eat
 * here / take away reaching the order, the track page's "pay at the counter" and "we'll bring it
 * to table N" (with a buzz), and the web app manifest that makes Pass installable.
 */
import type { Page } from "@playwright/test";
import { OrderPage } from "./pages/order-page";
import { confirmOrder, expect, test } from "./support/fixtures";

const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true };

/** Every navigator.vibrate call the page makes, kept for the test to read. */
async function recordVibrations(page: Page) {
  await page.addInitScript(() => {
    const calls: unknown[] = [];
    (window as unknown as { __vibrations: unknown[] }).__vibrations = calls;
    Object.defineProperty(Navigator.prototype, "vibrate", {
      configurable: true,
      value: (pattern: unknown) => {
        calls.push(pattern);
        return true;
      },
    });
  });
}

test("the category bar stays on top while scrolling and jumps to a category", async ({ browser }, testInfo) => {
  const phone = await browser.newContext(PHONE);
  const guest = new OrderPage(await phone.newPage());
  await guest.goto("demo");
  const bar = guest.page.getByTestId("category-bar");
  const link = (name: string) => bar.getByTestId("category-link").and(guest.page.locator(`[data-name="${name}"]`));
  await expect(link("Burgers")).toHaveAttribute("aria-current", "true");
  // Every dish has a picture frame of the same size: a photo or the placeholder.
  await expect(guest.dish("Cheesecake").getByTestId("menu-image-placeholder")).toBeVisible();
  await guest.page.screenshot({ path: testInfo.outputPath("guest-menu-top-390.png") });

  // Scrolled by hand: the bar is still at the top of the screen and follows the category read.
  await guest.dish("Iced Tea").evaluate((el) => el.scrollIntoView({ block: "start" }));
  await expect(bar).toBeInViewport();
  await expect.poll(async () => (await bar.boundingBox())?.y).toBe(0);
  await expect(link("Drinks")).toHaveAttribute("aria-current", "true");

  // A tap on a category: its dishes come up under the bar, and it is the highlighted one.
  await guest.page.evaluate(() => window.scrollTo(0, 0));
  await link("Desserts").click();
  await expect(guest.dish("Cheesecake")).toBeInViewport();
  await expect(link("Desserts")).toHaveAttribute("aria-current", "true");
  await expect(link("Burgers")).not.toHaveAttribute("aria-current", "true");
  await expect.poll(async () => (await bar.boundingBox())?.y).toBe(0);
  const heading = await guest.category("Desserts").getByRole("heading").boundingBox();
  const barBox = await bar.boundingBox();
  expect(heading!.y).toBeGreaterThanOrEqual(barBox!.y + barBox!.height - 1);
  await guest.page.screenshot({ path: testInfo.outputPath("guest-menu-desserts-390.png") });
  await phone.close();
});

test("the cart bar stays at the bottom of the screen with the running total, over the sticky category bar's page", async ({
  browser,
}, testInfo) => {
  const phone = await browser.newContext(PHONE);
  try {
    const guest = new OrderPage(await phone.newPage());
    await guest.goto("demo");
    const bar = guest.page.getByTestId("cart-bar");
    const categories = guest.page.getByTestId("category-bar");
    // Nothing chosen: no bar.
    await expect(bar).toHaveCount(0);
    await guest.dish("Cheesecake").getByTestId("menu-add").click();
    await guest.dish("Cheesecake").getByTestId("menu-add").click();
    await expect(bar).toContainText("2 items");
    await expect(bar).toContainText("$13.00");
    await expect(bar).toHaveAttribute("href", "#cart");

    // Wherever the guest has scrolled to, the bar sits at the bottom of the screen (at the top of
    // the page too), and once scrolled past the header the category bar sits at the top.
    const atBottom = async () => {
      const box = await bar.boundingBox();
      return box !== null && box.height >= 44 && Math.round(box.y + box.height) >= 844 - 16 && box.y + box.height <= 844;
    };
    await guest.page.evaluate(() => window.scrollTo(0, 0));
    await expect.poll(atBottom).toBe(true);
    for (const dish of ["Iced Tea", "Cheesecake"]) {
      await guest.dish(dish).evaluate((el) => el.scrollIntoView({ block: "center" }));
      await expect.poll(atBottom).toBe(true);
      await expect.poll(async () => (await categories.boundingBox())?.y).toBe(0);
    }
    await guest.dish("Espresso").evaluate((el) => el.scrollIntoView({ block: "center" }));
    await expect.poll(atBottom).toBe(true);
    await guest.page.screenshot({ path: testInfo.outputPath("guest-sticky-bars-390.png") });

    // One more: the running total follows at once.
    await guest.dish("Espresso").getByTestId("menu-add").click();
    await expect(bar).toContainText("3 items");
    await expect(bar).toContainText("$15.50");
    await expect(bar).toContainText(await guest.total.textContent().then((t) => t!));

    // A tap on the bar brings the cart up.
    await bar.click();
    await expect(guest.page.getByRole("heading", { name: "Your order" })).toBeInViewport();
    await guest.page.screenshot({ path: testInfo.outputPath("guest-cart-390.png") });
  } finally {
    await phone.close();
  }
});

test("take away reaches the order; the track page says to pay at the counter", async ({ browser, staff }, testInfo) => {
  const phone = await browser.newContext(PHONE);
  const guest = new OrderPage(await phone.newPage());
  await guest.goto("demo");
  await guest.dish("Cheesecake").getByTestId("menu-add").click();
  await expect(guest.page.getByTestId("service-type")).toHaveAttribute("data-value", "dine-in");
  await guest.page.getByTestId("service-takeaway").click();
  await expect(guest.page.getByTestId("service-type")).toHaveAttribute("data-value", "takeaway");
  await guest.page.getByTestId("service-type").scrollIntoViewIfNeeded();
  await guest.page.screenshot({ path: testInfo.outputPath("guest-service-type-390.png") });
  await guest.placeOrder.click();
  await expect(guest.page).toHaveURL(/\/track\/\d+\?token=trk_/);
  const orderId = Number(/\/track\/(\d+)/.exec(guest.page.url())![1]);

  const order = await (await staff.get(`/api/orders/${orderId}`)).json();
  expect(order).toMatchObject({ status: "PENDING", source: "kiosk", serviceType: "takeaway", table: null });

  await expect(guest.page.getByTestId("track-status")).toHaveAttribute("data-status", "PENDING");
  await expect(guest.page.getByTestId("track-pay-counter")).toContainText("Please pay at the counter");
  await expect(guest.page.getByTestId("track-pay-counter")).toContainText(order.displayCode);
  await guest.page.screenshot({ path: testInfo.outputPath("track-pay-counter-390.png"), fullPage: true });
  // Paid: the guidance goes.
  await confirmOrder(staff, orderId, { paymentMethod: "CARD" });
  await expect(guest.page.getByTestId("track-status")).toHaveAttribute("data-status", "CONFIRMED");
  await expect(guest.page.getByTestId("track-pay-counter")).toBeHidden();
  await phone.close();
});

test("a table order: eaten in by default, and READY says it will be brought to the table, with a buzz", async ({
  browser,
  staff,
  origin,
}, testInfo) => {
  const phone = await browser.newContext(PHONE);
  const page = await phone.newPage();
  await recordVibrations(page);
  const guest = new OrderPage(page);
  await guest.goto("demo", { table: "17" });
  await expect(page.getByTestId("table-cart")).toHaveAttribute("data-state", "OPEN");
  await guest.dish("Cheesecake").getByTestId("menu-add").click();
  await expect(guest.cartLine("Cheesecake")).toBeVisible();
  await expect(page.getByTestId("service-type")).toHaveAttribute("data-value", "dine-in");
  await guest.placeOrder.click();
  await expect(page).toHaveURL(/\/track\/\d+\?token=/);
  const orderId = Number(/\/track\/(\d+)/.exec(page.url())![1]);
  const order = await (await staff.get(`/api/orders/${orderId}`)).json();
  expect(order).toMatchObject({ status: "PENDING", source: "qr", serviceType: "dine-in", table: "17" });
  await expect(page.getByTestId("track-pay-counter")).toBeVisible();
  await expect(page.getByTestId("track-ready")).toHaveText(/we'll bring it to table 17/);

  const post = (path: string, data: unknown) => staff.post(path, { data, headers: { origin } });
  await confirmOrder(staff, orderId, { paymentMethod: "CARD" });
  await post(`/api/orders/${orderId}/status`, { status: "PREPARING" });
  await expect(page.getByTestId("track-status")).toHaveAttribute("data-status", "PROCESSING");
  expect(await page.evaluate(() => (window as unknown as { __vibrations: unknown[] }).__vibrations.length)).toBe(0);
  await post(`/api/orders/${orderId}/status`, { status: "READY" });
  await expect(page.getByTestId("track-status")).toHaveAttribute("data-status", "READY");
  await expect(page.getByTestId("track-ready")).toContainText("Ready — we'll bring it to table 17");
  await expect(page.getByTestId("track-ready")).toHaveAttribute("aria-current", "step");
  await expect.poll(() => page.evaluate(() => (window as unknown as { __vibrations: unknown[] }).__vibrations.length)).toBe(1);
  await page.screenshot({ path: testInfo.outputPath("track-ready-table-390.png"), fullPage: true });
  await phone.close();
});

test("installable: the web app manifest and its icons are served and linked", async ({ page, request }) => {
  const res = await request.get("/manifest.webmanifest");
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toContain("manifest+json");
  const manifest = await res.json();
  expect(manifest).toMatchObject({ name: "Pass", short_name: "Pass", start_url: "/", display: "standalone" });
  const pngs = manifest.icons.filter((i: { type: string }) => i.type === "image/png");
  expect(pngs.map((i: { sizes: string }) => i.sizes)).toEqual(expect.arrayContaining(["192x192", "512x512"]));
  for (const icon of manifest.icons as { src: string; type: string }[]) {
    const got = await request.get(icon.src);
    expect(got.status(), icon.src).toBe(200);
    expect(got.headers()["content-type"], icon.src).toContain(icon.type);
  }
  await page.goto("/order/demo");
  await expect(page.locator('link[rel="manifest"]')).toHaveAttribute("href", /^\/manifest\.webmanifest/);
});
