/**
 * Network printers end to end (issue "Network printers"): a fake ESC/POS printer on loopback is
 * the fryer's printer. The print station pairs itself as a printer (a device token, no operator
 * login) and shows the printer live; a confirmed order's fryer slip comes out of the network
 * printer (decoded), not the browser, while the receipt still prints through the browser (no
 * receipt printer); paper out shows on /printer, on the dashboard's health panel and as the
 * cashier's banner within 5 s, and nothing is marked printed until the paper is back. The spec
 * removes its printer and cancels its orders, so later specs print through the browser as before.
 */
import { FakePrinter } from "../lib/testing/fake-printer";
import { CashierPage, DashboardPage, PrinterPage, disableAutoPrint } from "./pages/screens";
import { PairPage, SettingsPage } from "./pages/settings-page";
import { cancelOrder, configuredOrigin, confirmOrder, expect, placeOrder, signIn, test } from "./support/fixtures";

test("a network printer on the print console, the dashboard and the cashier", async ({ browser }) => {
  test.setTimeout(120_000);
  const fryer = await new FakePrinter().listen();
  const staff = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await signIn(staff.request);
  const api = staff.request;
  const origin = configuredOrigin();
  const created = await api.post("/api/printers", {
    data: { partner: "demo", name: "e2e-fryer", host: "127.0.0.1", port: fryer.port, stations: ["fryer"] },
    headers: { origin },
  });
  expect(created.status()).toBe(201);
  const printerId = ((await created.json()) as { id: string }).id;
  const orders: number[] = [];
  try {
    // The print station pairs itself (/pair shows a code; the operator claims it as a printer).
    const station = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    await disableAutoPrint(station);
    const page = await station.newPage();
    const pair = new PairPage(page);
    await pair.goto();
    const claimed = await api.post("/api/partners/demo/pairings", {
      data: { code: await pair.code(), role: "printer", name: "e2e print station" },
      headers: { origin },
    });
    expect(claimed.status()).toBe(200);
    await expect(page).toHaveURL(/\/printer$/, { timeout: 15_000 });
    const printer = new PrinterPage(page);
    await expect(page.getByTestId("connection-badge")).toHaveAttribute("data-status", "live");
    await expect(printer.networkPrinter("e2e-fryer")).toHaveAttribute("data-state", "ready", { timeout: 10_000 });

    const placed = await placeOrder(api, { as: "staff", customer: "Network", items: [{ food: "Fries", notes: "extra salt" }] });
    orders.push(placed.id);
    const order = await confirmOrder(api, placed.id);
    await fryer.waitForTickets(1, 10_000);
    const slip = fryer.tickets[0]!;
    expect(slip.text).toContain(`#${order.ticketNumber}`);
    expect(slip.text).toMatch(/FRYER/);
    expect(slip.text).toMatch(/1 x Fries/);
    expect(slip.text).toMatch(/│ ?extra salt +│/);
    await expect(printer.networkJobs("e2e-fryer", order.ticketNumber!)).toHaveAttribute("data-state", "printed");
    // The browser prints only the receipt (no receipt printer); the fryer's slip is the network printer's.
    const entries = page.getByTestId("print-entry").and(page.locator(`[data-ticket="${order.ticketNumber}"]`));
    await expect(entries.and(page.locator('[data-kind="receipt"]'))).toHaveAttribute("data-result", "printed");
    await expect(entries.and(page.locator('[data-kind="kitchen"]'))).toHaveAttribute("data-result", "on network printer e2e-fryer");
    expect((await printer.printed()).filter((p) => p.ticketNumber === order.ticketNumber).map((p) => p.kind)).toEqual(["receipt"]);
    await page.screenshot({ path: test.info().outputPath("printer-console.png"), fullPage: true });

    // The dashboard and the cashier are open before the paper runs out: each shows the change
    // within 5 s of it, not of a page load.
    const dashboardPage = await staff.newPage();
    const dashboard = new DashboardPage(dashboardPage);
    await dashboard.goto();
    const health = dashboardPage.getByTestId("printer-health").and(dashboardPage.locator('[data-printer="e2e-fryer"]'));
    await expect(health.getByTestId("printer-state")).toHaveText("Ready", { timeout: 10_000 });
    const cashierPage = await staff.newPage();
    const cashier = new CashierPage(cashierPage);
    await cashier.goto();
    await expect(cashierPage.getByTestId("connection-badge")).toHaveAttribute("data-status", "live");
    await expect(cashierPage.getByTestId("printer-banner")).toHaveCount(0);

    // Paper out: every screen says so within 5 s, and the next slip is not printed.
    fryer.set({ paperOut: true });
    const outAt = Date.now();
    await Promise.all([
      expect(printer.networkPrinter("e2e-fryer")).toHaveAttribute("data-state", "paper-out", { timeout: 5_000 }),
      expect(health.getByTestId("printer-state")).toHaveText("Paper out", { timeout: 5_000 }),
      expect(cashierPage.getByTestId("printer-banner")).toContainText("e2e-fryer paper out", { timeout: 5_000 }),
    ]);
    expect(Date.now() - outAt).toBeLessThan(5_000);
    await expect(printer.networkPrinter("e2e-fryer").getByTestId("printer-state")).toHaveText("Paper out");
    await expect(cashierPage.getByTestId("printer-banner")).toContainText("fryer");
    await dashboardPage.screenshot({ path: test.info().outputPath("dashboard-printers.png"), fullPage: true });
    await cashierPage.screenshot({ path: test.info().outputPath("cashier-banner.png") });

    const second = await placeOrder(api, { as: "staff", customer: "Paper", items: [{ food: "Fries" }] });
    orders.push(second.id);
    const waiting = await confirmOrder(api, second.id);
    await expect(printer.networkJobs("e2e-fryer", waiting.ticketNumber!)).toHaveAttribute("data-state", "queued");
    await page.waitForTimeout(1_500);
    expect(fryer.tickets).toHaveLength(1);
    await page.screenshot({ path: test.info().outputPath("printer-paper-out.png"), fullPage: true });
    // Paper back: it prints once; the banner goes.
    fryer.set({ paperOut: false });
    await expect(printer.networkJobs("e2e-fryer", waiting.ticketNumber!)).toHaveAttribute("data-state", "printed", { timeout: 10_000 });
    expect(fryer.tickets.filter((t) => t.text.includes(`#${waiting.ticketNumber}`))).toHaveLength(1);
    await expect(cashierPage.getByTestId("printer-banner")).toHaveCount(0, { timeout: 5_000 });

    // Pause from the console, and a test page.
    await printer.networkPrinter("e2e-fryer").getByTestId("printer-pause").click();
    await expect(printer.networkPrinter("e2e-fryer").getByTestId("printer-state")).toHaveText("Paused");
    await printer.networkPrinter("e2e-fryer").getByTestId("printer-pause").click();
    await printer.networkPrinter("e2e-fryer").getByTestId("printer-test").click();
    await fryer.waitForTickets(3, 10_000);
    expect(fryer.tickets.at(-1)!.text).toContain("TEST PAGE");
    // Reprint from the job list: the same slip again on the network printer, stamped.
    await printer.networkJobs("e2e-fryer", order.ticketNumber!).getByTestId("printer-job-reprint").click();
    await fryer.waitForTickets(4, 10_000);
    expect(fryer.tickets.at(-1)!.text).toContain("*** REPRINT ***");
    expect(fryer.tickets.at(-1)!.text).toContain(`#${order.ticketNumber}`);
    await expect(printer.networkJobs("e2e-fryer", order.ticketNumber!)).toHaveCount(2);
    await station.close();
  } finally {
    for (const id of orders) await cancelOrder(api, id);
    await api.delete(`/api/printers/${printerId}`, { headers: { origin } });
    await staff.close();
    await fryer.close();
  }
});

test("Settings → Printers: an operator adds a network printer (a bad port refused under its field), sees it live, changes and removes it", async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const device = await new FakePrinter().listen();
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  await signIn(context.request);
  const name = "e2e-settings-grill";
  const listed = async () =>
    (
      (await (await context.request.get("/api/printers?partner=demo")).json()) as { printers: { id: string; name: string }[] }
    ).printers.filter((p) => p.name === name);
  try {
    const page = await context.newPage();
    const settings = new SettingsPage(page);
    await settings.goto("printers", "demo");
    await expect(page.getByTestId("settings-tab-printers")).toHaveAttribute("aria-selected", "true");
    await page.getByTestId("printer-name").fill(name);
    await page.getByTestId("printer-host").fill("127.0.0.1");
    await page.getByTestId("printer-port").fill("70000");
    await page.getByTestId("printer-stations").locator('[data-station="fryer"]').click();
    await page.getByTestId("printer-save").click();
    await expect(settings.fieldError("port")).toContainText("1–65535");
    await expect(page.getByTestId("printer-port")).toHaveAttribute("aria-invalid", "true");
    expect(await listed()).toEqual([]);

    await page.getByTestId("printer-port").fill(String(device.port));
    await page.getByTestId("printer-save").click();
    const row = page.getByTestId("settings-printer").and(page.locator(`[data-printer="${name}"]`));
    await expect(row).toContainText(`127.0.0.1:${device.port} · 80 mm`);
    await expect(row).toContainText("fryer");
    // The dispatcher asks the new printer at once: its real state shows here.
    await expect(row.getByTestId("printer-state")).toHaveText("Ready", { timeout: 10_000 });
    expect(await listed()).toHaveLength(1);

    await row.getByTestId("settings-printer-edit").click();
    await expect(page.getByTestId("printer-name")).toHaveValue(name);
    await page.getByTestId("printer-paper-width").selectOption("58");
    await page.getByTestId("printer-receipt").check();
    await page.getByTestId("printer-save").click();
    await expect(row).toContainText("58 mm");
    await expect(row).toContainText("fryer, receipt");
    device.set({ coverOpen: true });
    await expect(row.getByTestId("printer-state")).toHaveText("Cover open", { timeout: 5_000 });
    await page.screenshot({ path: test.info().outputPath("settings-printers.png"), fullPage: true });

    page.once("dialog", (d) => void d.accept());
    await row.getByTestId("settings-printer-remove").click();
    await expect(row).toHaveCount(0);
    expect(await listed()).toEqual([]);
  } finally {
    for (const p of await listed()) await context.request.delete(`/api/printers/${p.id}`, { headers: { origin: configuredOrigin() } });
    await context.close();
    await device.close();
  }
});
