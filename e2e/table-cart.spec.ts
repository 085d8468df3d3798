/**
 * The guest's side (issue "The guest's side"): two phones at table 5 build one order together and
 * see each other's lines live; one sends it; the cashier gets one order with every line. And a
 * kitchen page reloaded while the server is stopped shows its last tickets with the offline badge
 * (the service worker's copy of the page, the page's own snapshot), then comes back live by itself.
 */
import type { APIRequestContext, BrowserContext } from "@playwright/test";
import { OrderPage } from "./pages/order-page";
import { CashierPage, KitchenPage } from "./pages/screens";
import { confirmOrder, expect, placeOrder, signIn, test } from "./support/fixtures";
import { startServer, type Started } from "./support/processes";

const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true };

test("two phones at table 5 build one order live; one sends it; the cashier gets it whole", async ({ browser, staff }, testInfo) => {
  test.setTimeout(120_000);
  const contexts: BrowserContext[] = [];
  try {
    const office = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(office);
    await signIn(office.request);
    const cashier = new CashierPage(await office.newPage());
    await cashier.goto();
    const pendingBefore = await cashier.pending().count();

    const [a, b] = await Promise.all([browser.newContext(PHONE), browser.newContext(PHONE)]);
    contexts.push(a, b);
    const ana = new OrderPage(await a.newPage());
    const ben = new OrderPage(await b.newPage());
    await ana.goto("demo", { table: "5" });
    await expect(ana.page.getByTestId("table-cart")).toHaveAttribute("data-state", "OPEN");
    await ben.goto("demo", { table: "5" });
    await expect(ben.page.getByTestId("table-cart")).toHaveAttribute("data-state", "OPEN");

    // One cart: each phone sees the other at the table; the first phone names itself.
    await expect(ana.page.getByTestId("table-cart-member")).toHaveAttribute("data-name", "Guest 2");
    await ana.page.getByTestId("table-cart-me").click();
    await ana.page.getByTestId("table-cart-name").fill("Ana");
    await ana.page.getByTestId("table-cart-name-save").click();
    await expect(ana.page.getByTestId("table-cart-me")).toHaveAttribute("data-name", "Ana");
    await expect(ben.page.getByTestId("table-cart-member")).toHaveAttribute("data-name", "Ana");

    // Ana adds a cheesecake: Ben's phone shows it, added by Ana.
    await ana.dish("Cheesecake").getByTestId("menu-add").click();
    await expect(ben.cartLine("Cheesecake").getByTestId("cart-added-by")).toHaveAttribute("data-name", "Ana");
    await expect(ben.page.getByTestId("table-cart-note")).toHaveText("Ana added Cheesecake");
    await expect(ana.cartLine("Cheesecake").getByTestId("cart-added-by")).toHaveText("Added by you");

    // Ben adds a burger (Doneness is required): Ana's phone shows it, added by Guest 2.
    await ben.openChoices("Classic Burger");
    await expect(ben.addChoice).toBeDisabled();
    await ben.option("Doneness", "Medium").click();
    await ben.addChoice.click();
    await expect(ana.cartLine("Classic Burger").getByTestId("cart-added-by")).toHaveAttribute("data-name", "Guest 2");
    await expect(ana.cartLine("Classic Burger").getByTestId("cart-option")).toHaveText(["+ Medium"]);

    // Ana makes it two of Ben's burger; Ben's phone follows. Both show the same total.
    await ana.cartLine("Classic Burger").getByRole("button", { name: "One more Classic Burger" }).click();
    await expect(ben.cartLine("Classic Burger")).toContainText("2× Classic Burger");
    await expect(ana.cartLine("Classic Burger")).toContainText("2× Classic Burger");
    const total = await ana.total.textContent();
    await expect(ben.total).toHaveText(total!);

    // Nothing reached the cashier while the table was choosing.
    await expect(cashier.pending()).toHaveCount(pendingBefore);

    // A phone that loses the network says so, in the guest's words, and comes back by itself.
    await a.setOffline(true);
    await expect(ana.page.getByTestId("table-cart-offline")).toBeVisible({ timeout: 20_000 });
    await ana.page.screenshot({ path: testInfo.outputPath("table-cart-offline-390.png") });
    await a.setOffline(false);
    await expect(ana.page.getByTestId("table-cart-offline")).toBeHidden({ timeout: 40_000 });

    await ana.page.getByTestId("table-cart").scrollIntoViewIfNeeded();
    await ana.page.screenshot({ path: testInfo.outputPath("table-cart-ana-390.png") });
    await ben.page.getByTestId("cart").scrollIntoViewIfNeeded();
    await ben.page.screenshot({ path: testInfo.outputPath("table-cart-ben-390.png"), fullPage: true });

    // Ben sends it: his phone tracks the order; Ana's says Ben sent it and gives her own track link.
    await ben.page.getByTestId("customer-name").fill("Table five");
    await ben.placeOrder.click();
    await expect(ben.page).toHaveURL(/\/track\/\d+\?token=trk_/);
    const orderId = Number(/\/track\/(\d+)/.exec(ben.page.url())![1]);
    await expect(ana.page.getByTestId("table-cart-submitted")).toContainText("Guest 2 sent the table's order");
    await ana.page.screenshot({ path: testInfo.outputPath("table-cart-sent-390.png") });
    // A dish tapped after it was sent is refused in words, not dropped without a sign.
    await ana.dish("Cheesecake").getByTestId("menu-add").click();
    await expect(ana.page.getByTestId("table-cart-error")).toHaveText("This order is closed now — start a new order below to add more.");
    await ana.page.getByTestId("table-cart-track").click();
    await expect(ana.page).toHaveURL(new RegExp(`/track/${orderId}\\?token=cart_`));
    await expect(ana.page.getByTestId("track-status")).toHaveAttribute("data-status", "PENDING");

    // The cashier: exactly one new order, with every line of the table.
    const res = await staff.get(`/api/orders/${orderId}`);
    expect(res.status()).toBe(200);
    const order = await res.json();
    expect(order).toMatchObject({ status: "PENDING", table: "5", source: "qr", customer: "Table five" });
    expect(order.orderItems.map((i: { name: string; quantity: number }) => [i.name, i.quantity])).toEqual([
      ["Cheesecake", 1],
      ["Classic Burger", 2],
    ]);
    await expect(cashier.pending()).toHaveCount(pendingBefore + 1);
    const row = cashier.pending(order.displayCode);
    await expect(row.getByTestId("order-line")).toHaveCount(2);
    await expect(row.getByTestId("order-line").first()).toContainText("1× Cheesecake");
    await expect(row.getByTestId("order-line").nth(1)).toContainText("2× Classic Burger");
    // Leave the queue as the next spec expects it.
    await confirmOrder(staff, orderId, { paymentMethod: "CASH" });
  } finally {
    for (const c of contexts) await c.close();
  }
});

const PASSWORD = "table-cart-admin-pass";

async function placeAndConfirm(base: string, request: APIRequestContext) {
  const created = await placeOrder(request, { base, as: "staff", items: [{ food: "Cheesecake" }] });
  return confirmOrder(request, created.id, { base, paymentMethod: "CARD" });
}

test("a kitchen page reloaded while the server is down shows its last tickets offline, then comes back live", async ({
  browser,
}, testInfo) => {
  test.setTimeout(120_000);
  let server: Started = await startServer({ PASS_ADMIN_PASSWORD: PASSWORD });
  const base = `http://127.0.0.1:${server.port}`;
  // The kitchen's tablet.
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
  try {
    await signIn(context.request, { base, password: PASSWORD });
    const first = await placeAndConfirm(base, context.request);
    const page = await context.newPage();
    const kitchen = new KitchenPage(page);
    await page.goto(`${base}/kitchen`);
    const badge = page.getByTestId("connection-badge");
    await expect(badge).toHaveAttribute("data-status", "live");
    await kitchen.reveal(first.ticketNumber);
    // The worker controls the page and keeps its copy; the page keeps its snapshot.
    await expect.poll(() => page.evaluate(async () => Boolean(navigator.serviceWorker?.controller)), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => page.evaluate(async () => Boolean(await caches.match(location.href))), { timeout: 15_000 }).toBe(true);
    await expect
      .poll(() => page.evaluate(() => Object.keys(localStorage).some((k) => k.startsWith("pass.snapshot:/kitchen"))), { timeout: 15_000 })
      .toBe(true);

    server.child.kill("SIGTERM");
    await server.exited;
    await page.reload();
    // The last tickets, not the browser's "This site can't be reached"; the badge says it is not live.
    await kitchen.reveal(first.ticketNumber);
    await expect(badge).not.toHaveAttribute("data-status", "live");
    await expect(badge).toHaveAttribute("data-status", /reconnecting|offline/, { timeout: 15_000 });
    await page.screenshot({ path: testInfo.outputPath("kitchen-offline-tablet.png") });

    // Back: live by itself, and what happened meanwhile arrives.
    server = await startServer({ PASS_ADMIN_PASSWORD: PASSWORD, DATA_DIR: server.dataDir, PORT: String(server.port) });
    const after = await placeAndConfirm(base, context.request);
    await expect(badge).toHaveAttribute("data-status", "live", { timeout: 45_000 });
    await kitchen.reveal(after.ticketNumber);
    await kitchen.reveal(first.ticketNumber);
    await page.screenshot({ path: testInfo.outputPath("kitchen-back-tablet.png") });
  } catch (err) {
    console.log(`server output:\n${server.output()}\nexit code: ${server.child.exitCode}`);
    throw err;
  } finally {
    await context.close();
    server.child.kill("SIGKILL");
  }
});

test("a guest's phone reloaded while the server is down: the table's order and the track page say so in the guest's words, then come back", async ({
  browser,
}, testInfo) => {
  test.setTimeout(150_000);
  let server: Started = await startServer({ PASS_ADMIN_PASSWORD: PASSWORD });
  const base = `http://127.0.0.1:${server.port}`;
  const phone = await browser.newContext(PHONE);
  const restart = async () => {
    server = await startServer({ PASS_ADMIN_PASSWORD: PASSWORD, DATA_DIR: server.dataDir, PORT: String(server.port) });
  };
  const stop = async () => {
    server.child.kill("SIGTERM");
    await server.exited;
  };
  /** The worker controls the page and holds its copy (so a reload during the outage finds it). */
  const kept = async (page: import("@playwright/test").Page) => {
    await expect.poll(() => page.evaluate(() => Boolean(navigator.serviceWorker?.controller)), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => page.evaluate(async () => Boolean(await caches.match(location.href))), { timeout: 15_000 }).toBe(true);
  };
  try {
    const page = await phone.newPage();
    const guest = new OrderPage(page);
    await page.goto(`${base}/order/demo?table=8`);
    await expect(page.getByTestId("table-cart")).toHaveAttribute("data-state", "OPEN");
    await guest.dish("Cheesecake").getByTestId("menu-add").click();
    await expect(guest.cartLine("Cheesecake")).toContainText("1× Cheesecake");
    await kept(page);

    // The server goes away and the guest reloads: the menu, the table's order as it last was, and
    // a notice in the guest's words — not the browser's error page, not "Failed to fetch".
    await stop();
    await page.reload();
    await expect(guest.dish("Cheesecake")).toBeVisible();
    await expect(page.getByTestId("table-cart-offline")).toBeVisible({ timeout: 15_000 });
    await expect(guest.cartLine("Cheesecake")).toContainText("1× Cheesecake");
    await expect(page.locator("main")).not.toContainText(/failed to fetch|networkerror|load failed/i);
    await page.getByTestId("table-cart").scrollIntoViewIfNeeded();
    await page.screenshot({ path: testInfo.outputPath("guest-order-offline-reload-390.png") });
    // A change tried meanwhile is refused in the guest's words too (nothing is half-sent).
    await guest.cartLine("Cheesecake").getByRole("button", { name: "One more Cheesecake" }).click();
    await expect(page.getByTestId("table-cart-error")).toContainText("No connection — that change did not reach the table's order");
    await expect(page.locator("main")).not.toContainText(/failed to fetch|networkerror|load failed/i);

    // Back: the phone rejoins the same cart by itself, live again.
    await restart();
    await expect(page.getByTestId("table-cart-offline")).toBeHidden({ timeout: 45_000 });
    await expect(page.getByTestId("connection-badge").first()).toHaveAttribute("data-status", "live", { timeout: 45_000 });
    await expect(page.getByTestId("table-cart-error")).toBeHidden();
    // The same cart (this phone's line, nothing sent twice), and the change refused offline was not made.
    await expect(guest.cartLine("Cheesecake")).toContainText("1× Cheesecake");
    await expect(guest.cartLine("Cheesecake").getByTestId("cart-added-by")).toHaveText("Added by you");
    await guest.placeOrder.click();
    await expect(page).toHaveURL(/\/track\/\d+\?token=trk_/);
    await expect(page.getByTestId("track-status")).toHaveAttribute("data-status", "PENDING");
    const number = await page.getByTestId("track-number").textContent();
    await kept(page);

    // The track page reloaded during an outage: the order as last seen and a friendly offline notice.
    await stop();
    await page.reload();
    await expect(page.getByTestId("track-offline")).toBeVisible({ timeout: 15_000 });
    await expect(page.getByTestId("track-number")).toHaveText(number!);
    await expect(page.getByTestId("track-status")).toHaveAttribute("data-status", "PENDING");
    await expect(page.getByTestId("track-line")).toContainText(["Cheesecake"]);
    await page.screenshot({ path: testInfo.outputPath("track-offline-reload-390.png") });
    await restart();
    await expect(page.getByTestId("track-offline")).toBeHidden({ timeout: 45_000 });
    await expect(page.getByTestId("connection-badge")).toHaveAttribute("data-status", "live", { timeout: 45_000 });
  } catch (err) {
    console.log(`server output:\n${server.output()}\nexit code: ${server.child.exitCode}`);
    throw err;
  } finally {
    await phone.close();
    server.child.kill("SIGKILL");
  }
});
