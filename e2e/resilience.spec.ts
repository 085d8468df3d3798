/**
 * Screens across a server restart and a cut connection, and sound that must be unlocked and
 * remembers being muted. This test runs its own server so it can restart it.
 */
import { KitchenPage } from "./pages/screens";
import type { APIRequestContext } from "@playwright/test";
import { confirmOrder, expect, fetchMenu, placeOrder, signIn, test } from "./support/fixtures";
import { startServer, type Started } from "./support/processes";

const PASSWORD = "resilience-admin-pass";

async function placeAndConfirm(base: string, request: APIRequestContext) {
  const created = await placeOrder(request, { base, as: "staff" });
  return confirmOrder(request, created.id, { base, paymentMethod: "CARD" });
}

test("the kitchen rides out a server restart and a cut connection without losing a ticket", async ({ browser }) => {
  test.setTimeout(90_000);
  let server: Started = await startServer({ PASS_ADMIN_PASSWORD: PASSWORD });
  const base = `http://127.0.0.1:${server.port}`;
  const context = await browser.newContext();
  try {
    await signIn(context.request, { base, password: PASSWORD });
    const page = await context.newPage();
    await page.goto(`${base}/kitchen`);
    const badge = page.getByTestId("connection-badge");
    await expect(badge).toHaveAttribute("data-status", "live");
    const first = await placeAndConfirm(base, context.request);
    await expect(page.locator(`[data-testid="ticket"][data-ticket="${first.ticketNumber}"]`)).toBeVisible();

    // Restart: the page is told to come back, shows it is reconnecting, and goes live again.
    server.child.kill("SIGTERM");
    await server.exited;
    await expect(badge).toHaveAttribute("data-status", "reconnecting");
    server = await startServer({ PASS_ADMIN_PASSWORD: PASSWORD, DATA_DIR: server.dataDir, PORT: String(server.port) });
    await expect(badge).toHaveAttribute("data-status", "live", { timeout: 30_000 });

    // Cut the kitchen off, place an order meanwhile, let it back: the ticket arrives by replay.
    await page.route("**/api/events/**", (route) => route.abort());
    // Drop the live connection by restarting once more while its reconnects are blocked.
    server.child.kill("SIGTERM");
    await server.exited;
    server = await startServer({ PASS_ADMIN_PASSWORD: PASSWORD, DATA_DIR: server.dataDir, PORT: String(server.port) });
    await expect(badge).not.toHaveAttribute("data-status", "live");
    const missed = await placeAndConfirm(base, context.request);
    await expect(page.locator(`[data-testid="ticket"][data-ticket="${missed.ticketNumber}"]`)).toHaveCount(0);
    await page.unroute("**/api/events/**");
    await expect(badge).toHaveAttribute("data-status", "live", { timeout: 40_000 });
    // It arrives (on a later page when this viewport holds fewer cards: the bump bar pages to it).
    await new KitchenPage(page).reveal(missed.ticketNumber);
    await expect(page.locator(`[data-testid="ticket"][data-ticket="${first.ticketNumber}"]`)).toHaveCount(1);
  } catch (err) {
    console.log("server output:\n" + server.output() + "\nexit code: " + server.child.exitCode);
    throw err;
  } finally {
    await context.close();
    server.child.kill("SIGKILL");
  }
});

test("sound: locked until a tap, repeats until acknowledged, and mute survives a reload", async ({ browser }) => {
  test.setTimeout(60_000);
  const server = await startServer({ PASS_ADMIN_PASSWORD: PASSWORD });
  const base = `http://127.0.0.1:${server.port}`;
  const context = await browser.newContext();
  try {
    await signIn(context.request, { base, password: PASSWORD });
    const page = await context.newPage();
    await page.goto(`${base}/cashier`);
    await expect(page.getByTestId("connection-badge")).toHaveAttribute("data-status", "live");
    const played = () => page.evaluate(() => window.__passSound?.played ?? 0);

    // Locked: an arrival plays nothing until the tap.
    const menu = await fetchMenu(context.request, { base });
    const order = () => placeOrder(context.request, { base, menu });
    await expect(page.getByTestId("sound-unlock")).toBeVisible();
    await order();
    await expect(page.getByTestId("pending-order")).toHaveCount(1);
    expect(await played()).toBe(0);

    await page.getByTestId("sound-unlock").click();
    await expect.poll(played, { timeout: 10_000 }).toBeGreaterThanOrEqual(1); // the repeat of the unacknowledged one
    await order();
    await expect.poll(played, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    await page.getByTestId("ack-all").click();
    const afterAck = await played();
    await page.waitForTimeout(5_000);
    expect(await played()).toBe(afterAck);

    // Muted stays muted after a reload. The unlock is remembered: on at once where the browser
    // allows it, else on the first key or tap (components/sound.tsx) — a key here either way.
    await page.getByTestId("sound-toggle").click();
    await expect(page.getByTestId("sound-toggle")).toHaveAttribute("data-muted", "true");
    await page.reload();
    await expect(page.getByTestId("connection-badge")).toHaveAttribute("data-status", "live");
    await page.keyboard.press("Shift");
    await expect(page.getByTestId("sound-toggle")).toHaveAttribute("data-muted", "true");
    await order();
    await expect(page.getByTestId("pending-order")).toHaveCount(3);
    await page.waitForTimeout(500);
    expect(await played()).toBe(0);
  } finally {
    await context.close();
    server.child.kill("SIGKILL");
  }
});
