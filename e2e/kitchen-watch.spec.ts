/**
 * Beyond the KDS we know: a ticket no kitchen screen showed in time alarms the cashier and is
 * printed as a fallback; the dashboard lists every screen with its health.
 */
import { confirmOrder, expect, placeOrder, signIn, test } from "./support/fixtures";
import { startServer } from "./support/processes";

const PASSWORD = "watch-admin-pass";

test("an unseen ticket alarms the cashier and prints; a kitchen screen showing it clears the alarm", async ({ browser }) => {
  test.setTimeout(90_000);
  const server = await startServer({ PASS_ADMIN_PASSWORD: PASSWORD, KITCHEN_ACK_SECONDS: "5" });
  const base = `http://127.0.0.1:${server.port}`;
  const context = await browser.newContext();
  await context.addInitScript(() => localStorage.setItem("pass.printer.auto", "false"));
  try {
    await signIn(context.request, { base, password: PASSWORD });
    const open = async (path: string) => {
      const page = await context.newPage();
      await page.goto(`${base}${path}`);
      await expect(page.getByTestId("connection-badge")).toHaveAttribute("data-status", "live");
      return page;
    };
    const cashier = await open("/cashier");
    const printer = await open("/printer");
    const dashboard = await open("/dashboard");

    const created = await placeOrder(context.request, { base, as: "staff" });
    const order = await confirmOrder(context.request, created.id, { base, paymentMethod: "CARD" });

    // No kitchen screen is open: after 5 s (+ the 5 s watch) the cashier is alarmed and paper comes out.
    await expect(cashier.getByTestId("kitchen-alert")).toContainText(`#${order.ticketNumber}`, { timeout: 20_000 });
    await expect(printer.locator('[data-testid="print-entry"][data-fallback="true"]')).toHaveCount(1);
    await expect(printer.locator('[data-testid="print-entry"][data-fallback="true"]')).toContainText("NOT SEEN BY KITCHEN");

    // A kitchen screen shows it: acknowledged, the alarm clears.
    const kitchen = await open("/kitchen");
    await expect(kitchen.locator(`[data-testid="ticket"][data-ticket="${order.ticketNumber}"]`)).toBeVisible();
    await expect(cashier.getByTestId("kitchen-alert")).toHaveCount(0, { timeout: 10_000 });

    // The health panel lists every screen that reported in.
    await dashboard.reload();
    for (const screen of ["cashier", "printer", "kitchen", "dashboard"]) {
      await expect(dashboard.locator(`[data-testid="screen-health"][data-screen="${screen}"]`)).toBeVisible({ timeout: 15_000 });
    }
    await expect(dashboard.locator('[data-testid="screen-health"][data-screen="kitchen"]')).toContainText("admin");
  } finally {
    await context.close();
    server.child.kill("SIGKILL");
  }
});
