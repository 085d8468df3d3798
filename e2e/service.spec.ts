/**
 * One service with the five screens open at once, in one browser, against the built app.
 */
import type { Page } from "@playwright/test";
import { BoardPage, CashierPage, DashboardPage, KitchenPage, PrinterPage, disableAutoPrint } from "./pages/screens";
import { confirmOrder, expect, fetchMenu, placeOrder, signIn, test } from "./support/fixtures";

const XSS_NAME = `<img src=x onerror="window.__xss=1">Eve`;
const XSS_NOTE = `<script>window.__xss=2</script>no onions`;

const placeKioskOrder = (page: Page, { customer = "Ada", notes = "no onions" } = {}) =>
  placeOrder(page.request, {
    source: "kiosk",
    table: "4",
    customer,
    items: [
      { food: "Cheeseburger", quantity: 2, notes },
      { food: "Lemonade", quantity: 1 },
    ],
  });

test("a kiosk order through cashier, kitchen, board, printer and dashboard", async ({ browser }, testInfo) => {
  test.setTimeout(120_000);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await disableAutoPrint(context);
  await signIn(context.request);
  const dialogs: string[] = [];
  const open = async () => {
    const p = await context.newPage();
    p.on("dialog", (d) => (dialogs.push(d.message()), void d.dismiss()));
    return p;
  };

  const cashier = new CashierPage(await open());
  const kitchen = new KitchenPage(await open());
  const board = new BoardPage(await open());
  const printer = new PrinterPage(await open());
  const dashboard = new DashboardPage(await open());
  await Promise.all([cashier.goto(), kitchen.goto(), board.goto(), printer.goto(), dashboard.goto()]);

  // Sound is locked until a tap; after it, arrivals alert and repeat until acknowledged.
  await expect(cashier.page.getByTestId("sound-unlock")).toBeVisible();
  await cashier.page.getByTestId("sound-unlock").click();
  await expect(cashier.page.getByTestId("sound-toggle")).toHaveAttribute("data-muted", "false");

  const placedAt = Date.now();
  const order = await placeKioskOrder(cashier.page, { customer: XSS_NAME, notes: XSS_NOTE });
  await expect(cashier.pending(order.displayCode)).toHaveAttribute("data-alert", "true", { timeout: 1_000 });
  expect(Date.now() - placedAt).toBeLessThan(1_500);
  await expect.poll(() => cashier.page.evaluate(() => window.__passSound?.played ?? 0)).toBeGreaterThanOrEqual(1);
  await expect.poll(() => cashier.page.evaluate(() => window.__passSound?.played ?? 0), { timeout: 10_000 }).toBeGreaterThanOrEqual(2); // repeats
  await expect(cashier.pending(order.displayCode)).toContainText(XSS_NAME);
  await expect(cashier.pending(order.displayCode)).toContainText(XSS_NOTE);
  await cashier.page.screenshot({ path: testInfo.outputPath("cashier.png") });

  // Confirm with a discount: the dialog shows the total before confirming.
  const dialog = await cashier.confirm(order.displayCode, { discount: "2", payment: "CASH" });
  const expected = `$${(Number(order.subTotal) + Number(order.surcharge) - 2).toFixed(2)}`;
  await expect(dialog.getByTestId("confirm-total")).toHaveText(expected);
  await cashier.page.screenshot({ path: testInfo.outputPath("cashier-confirm.png") });
  await dialog.getByTestId("confirm-submit").click();
  await expect(cashier.pending(order.displayCode)).toHaveCount(0);
  await expect(cashier.today(order.displayCode)).toContainText("Confirmed");
  await expect(cashier.today(order.displayCode)).toContainText(expected);
  const ticket = Number((await cashier.today(order.displayCode).locator("strong").first().textContent())!.replace("#", ""));
  expect(ticket).toBeGreaterThan(0);

  // Kitchen (expo) shows the ticket; the bar station only the lemonade; cold nothing.
  await kitchen.reveal(ticket);
  await expect(kitchen.ticket(ticket)).toContainText("2× Cheeseburger");
  await expect(kitchen.ticket(ticket)).toContainText(XSS_NOTE);
  const bar = new KitchenPage(await open());
  await bar.goto("bar");
  await bar.reveal(ticket);
  await expect(bar.ticket(ticket)).toContainText("1× Lemonade");
  await expect(bar.ticket(ticket)).not.toContainText("Cheeseburger");
  // The cold station has nothing of this order (the admin's kitchen also shows the other
  // restaurants other specs created, so "empty" is not the question).
  await bar.goto("cold");
  await expect(bar.ticket(ticket).filter({ hasText: /Cheeseburger|Lemonade/ })).toHaveCount(0);
  await bar.page.close();

  await expect(board.preparing(ticket)).toBeVisible();
  // Printer: a kitchen ticket for grill and bar, and the receipt.
  await expect(printer.entries("kitchen", false)).toHaveCount(2);
  await expect(printer.entries("receipt", false)).toHaveCount(1);
  await expect(dashboard.row(order.displayCode)).toHaveAttribute("data-status", "CONFIRMED");

  // Expo's bump (forced: grill and bar are still open) → board Ready; recall → Preparing again.
  await kitchen.expoBump(ticket);
  await expect(board.ready(ticket)).toHaveAttribute("data-highlight", "true");
  await expect(kitchen.ready(ticket)).toBeVisible();
  await expect(dashboard.row(order.displayCode)).toHaveAttribute("data-status", "READY");
  await board.page.screenshot({ path: testInfo.outputPath("board.png") });
  await kitchen.ready(ticket).getByTestId("recall").click();
  await expect(board.preparing(ticket)).toBeVisible();
  await expect(kitchen.ticket(ticket)).toHaveAttribute("data-status", "PREPARING");

  // Reprint one item: the printer prints it again, stamped REPRINT.
  await cashier.today(order.displayCode).getByTestId("reprint-open").click();
  const reprint = cashier.page.getByTestId("reprint-dialog");
  await reprint.getByTestId("reprint-item").first().check();
  await reprint.getByTestId("reprint-submit").click();
  await expect(printer.entries("kitchen", true)).toHaveCount(1);
  await expect(printer.entries("kitchen", true)).toContainText("REPRINT");
  const printed = await printer.printed();
  expect(printed.filter((p) => p.reprint)).toEqual([
    {
      key: expect.any(String),
      kind: "kitchen",
      station: "grill",
      items: [expect.any(String)],
      courses: [],
      fired: false,
      reprint: true,
      fallback: false,
      ticketNumber: ticket,
    },
  ]);

  await kitchen.page.screenshot({ path: testInfo.outputPath("kitchen.png") });
  await printer.page.screenshot({ path: testInfo.outputPath("printer.png") });
  await dashboard.page.screenshot({ path: testInfo.outputPath("dashboard.png") });

  // Nothing a customer typed ran as code, on any screen.
  for (const p of [cashier.page, kitchen.page, board.page, printer.page, dashboard.page]) {
    expect(await p.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  }
  expect(dialogs).toEqual([]);

  // Reloading the printer prints nothing again; even replaying everything only skips.
  // Jobs are keyed by their log event: the same keys again would be this order printed twice (ticket
  // numbers alone repeat across the restaurants an admin's printer serves).
  const keys = new Set((await printer.printed()).filter((p) => p.ticketNumber === ticket).map((p) => p.key));
  expect(keys.size).toBe(4);
  const again = (list: { key: string }[]) => list.filter((p) => keys.has(p.key));
  await printer.page.reload();
  await expect(printer.page.getByTestId("connection-badge")).toHaveAttribute("data-status", "live");
  await printer.page.waitForTimeout(500);
  expect(again(await printer.printed())).toHaveLength(0);
  // Rewind the printer's stream position to the start of the log: everything replays, nothing prints.
  await printer.page.evaluate(() =>
    localStorage.setItem("pass.stream:/api/events/printer", JSON.stringify({ lastEventId: 0, epoch: null })),
  );
  await printer.page.goto("/printer?replay=1");
  await expect(printer.page.getByTestId("connection-badge")).toHaveAttribute("data-status", "live");
  await printer.page.waitForTimeout(500);
  expect(again(await printer.printed())).toHaveLength(0);
  await expect(printer.page.locator('[data-testid="print-entry"][data-result="skipped (already printed)"]').first()).toBeVisible();

  await context.close();
});

test("the kitchen at 1920×1080 with a full rail", async ({ browser }, testInfo) => {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  await signIn(context.request);
  const page = await context.newPage();
  const kitchen = new KitchenPage(page);
  await kitchen.goto();
  // Six more tickets, one of them RUSH, confirmed by the admin through the API.
  const menu = await fetchMenu(page.request);
  for (let i = 0; i < 6; i++) {
    const created = await placeOrder(page.request, {
      as: "staff",
      menu,
      source: "counter",
      priority: i === 4 ? "HIGH" : "NORMAL",
      table: String(10 + i),
      items: [
        { food: i, quantity: 1 + (i % 3), notes: i % 2 ? "allergy: peanuts" : undefined },
        { food: i + 5, quantity: 1 },
      ],
    });
    await confirmOrder(page.request, created.id, { paymentMethod: "CARD" });
  }
  await expect.poll(() => page.getByTestId("ticket").count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(6);
  await expect(page.getByTestId("ticket").first()).toContainText("RUSH");
  await page.screenshot({ path: testInfo.outputPath("kitchen-1920.png") });

  // A bump bar is a keyboard: the first (RUSH) ticket is selected; S starts it, Enter bumps it
  // (expo: a second Enter confirms "Force ready?", its stations being still open).
  const rush = page.getByTestId("ticket").first();
  const number = await rush.getAttribute("data-ticket");
  await expect(rush).toHaveAttribute("data-selected", "true");
  await page.keyboard.press("s");
  await expect(page.locator(`[data-testid="ticket"][data-ticket="${number}"]`)).toHaveAttribute("data-status", "PREPARING");
  await page.keyboard.press("Enter");
  await expect(rush.getByTestId("force-confirm")).toBeVisible();
  await page.keyboard.press("Enter");
  await expect(page.locator(`[data-testid="ready-ticket"][data-ticket="${number}"]`)).toBeVisible();
  await page.keyboard.press("r");
  await expect(page.locator(`[data-testid="ticket"][data-ticket="${number}"]`)).toHaveAttribute("data-status", "PREPARING");
  await context.close();
});
