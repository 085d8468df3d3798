/**
 * Per-station printers follow firing (issue "Station workflow" item 8), on /printer: a two-course
 * order prints course 1's station slip and the receipt at confirmation, and course 2's slip only
 * when course 1 is bumped at its station (through the station API); a scheduled order prints its
 * receipt at confirmation and its station slip when the node's timer fires it. Nothing prints twice.
 */
import { PrinterPage, disableAutoPrint } from "./pages/screens";
import { cancelOrder, confirmOrder, expect, placeOrder, signIn, stationAction, test } from "./support/fixtures";

test("a held course prints its station slip when it fires; a scheduled order prints at its fire time", async ({ browser }) => {
  test.setTimeout(90_000);
  // A printer screen in another zone than the restaurant's (UTC): the slip's "FOR" is the restaurant's clock.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: "America/Los_Angeles" });
  await disableAutoPrint(context);
  await signIn(context.request);
  const printer = new PrinterPage(await context.newPage());
  await printer.goto();
  const api = context.request;
  const mine = async (ticket: number) => (await printer.printed()).filter((p) => p.ticketNumber === ticket);

  // Fries (fryer) first, the cheesecake (cold) as course 2.
  const placed = await placeOrder(api, {
    as: "staff",
    customer: "Courses",
    items: [
      { food: "Fries", course: 1 },
      { food: "Cheesecake", course: 2 },
    ],
  });
  const order = await confirmOrder(api, placed.id);
  const entries = printer.page.getByTestId("print-entry").and(printer.page.locator(`[data-ticket="${order.ticketNumber}"]`));
  await expect(entries).toHaveCount(2);
  await expect(entries.and(printer.page.locator('[data-kind="kitchen"]'))).toHaveAttribute("data-station", "fryer");
  await expect(entries.and(printer.page.locator('[data-kind="receipt"]'))).toHaveCount(1);
  // Course 2 stays unprinted while course 1 cooks (starting it fires nothing).
  await stationAction(api, order.id, "fryer", "start");
  await printer.page.waitForTimeout(1_000);
  expect((await mine(order.ticketNumber)).map((p) => `${p.kind}:${p.station ?? ""}`)).toEqual(["kitchen:fryer", "receipt:"]);

  await stationAction(api, order.id, "fryer", "bump");
  const cold = entries.and(printer.page.locator('[data-station="cold"]'));
  await expect(cold).toHaveCount(1);
  await expect(cold).toHaveAttribute("data-fired", "true");
  await expect(cold).toHaveAttribute("data-courses", "2");
  await expect(cold).toContainText("FIRED");
  await printer.show(cold);
  await expect(printer.slip()).toContainText("COLD · COURSE 2");
  await expect(printer.slip()).toContainText("1 × Cheesecake");
  await expect(printer.slip()).not.toContainText("Fries");
  await printer.page.screenshot({ path: "/tmp/fire-printer-course2.png" });
  const printed = await mine(order.ticketNumber);
  expect(printed.map((p) => `${p.kind}:${p.station ?? ""}`)).toEqual(["kitchen:fryer", "receipt:", "kitchen:cold"]);
  expect(new Set(printed.map((p) => p.key)).size).toBe(3);

  // Scheduled: Fries take 6 minutes, so promised 6 min 8 s from now it fires in about 8 s.
  const promisedAt = new Date(Date.now() + 6 * 60_000 + 8_000).toISOString();
  const later = await placeOrder(api, { as: "staff", customer: "Later", items: [{ food: "Fries" }], promisedAt });
  const scheduled = await confirmOrder(api, later.id);
  const laterEntries = printer.page.getByTestId("print-entry").and(printer.page.locator(`[data-ticket="${scheduled.ticketNumber}"]`));
  await expect(laterEntries).toHaveCount(1);
  await expect(laterEntries).toHaveAttribute("data-kind", "receipt");
  await expect(laterEntries.and(printer.page.locator('[data-kind="kitchen"]'))).toHaveCount(1, { timeout: 25_000 });
  await expect(laterEntries.and(printer.page.locator('[data-kind="kitchen"]'))).toHaveAttribute("data-fired", "true");
  await printer.show(laterEntries.and(printer.page.locator('[data-kind="kitchen"]')));
  const forUtc = new Date(promisedAt).toLocaleTimeString("en-GB", {
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone: "UTC",
  });
  await expect(printer.slip().getByTestId("slip-promised")).toHaveText(`FOR ${forUtc}`);
  await printer.page.screenshot({ path: "/tmp/fire-printer-scheduled.png" });
  expect((await mine(scheduled.ticketNumber)).map((p) => `${p.kind}:${p.station ?? ""}`)).toEqual(["receipt:", "kitchen:fryer"]);
  // Leave the station screens empty for the specs after this one.
  for (const id of [order.id, scheduled.id]) await cancelOrder(api, id);
  await context.close();
});
