/**
 * Scheduled orders on the cashier (issue "Station workflow" item 6): an order placed for later
 * (`promisedAt`) shows its time on the incoming card ("For 19:30 · fires 19:05"), is listed under
 * "Scheduled" once confirmed, held until its fire time, and shows "fired" when the node's timer
 * has sent it to the kitchen. The times are the restaurant's clock (the demo restaurant is on UTC),
 * though this cashier's browser is five and a half hours ahead.
 */
import { CashierPage } from "./pages/screens";
import { cancelOrder, expect, placeOrder, test } from "./support/fixtures";

// The screen's own zone is not the restaurant's: a time read in the browser's zone would be 5:30 off.
test.use({ timezoneId: "Asia/Kolkata" });
const ZONE = "UTC"; // the demo restaurant's (lib/bootstrap.ts)

test("a scheduled order shows its promised and fire times on the cashier, then that it fired", async ({ adminPage, staff }) => {
  test.setTimeout(90_000);
  await adminPage.setViewportSize({ width: 1366, height: 900 });
  const cashier = new CashierPage(adminPage);
  await cashier.goto();

  // Fries take 6 minutes: promised in 2 hours, they fire 6 minutes before.
  const promisedAt = new Date(Date.now() + 2 * 3600_000).toISOString();
  const later = await placeOrder(staff, { customer: "Tonight", items: [{ food: "Fries" }], promisedAt });
  const fireAt = new Date(Date.parse(promisedAt) - 6 * 60_000).toISOString();
  const [promised, fires] = [cashier.clock(promisedAt, ZONE), cashier.clock(fireAt, ZONE)];
  expect(await adminPage.evaluate(() => new Date().getTimezoneOffset())).toBe(-330);

  const card = cashier.pending(later.displayCode).getByTestId("scheduled-badge");
  await expect(card).toContainText(`For ${promised}`);
  await expect(card).toContainText(`fires ${fires}`);

  const dialog = await cashier.confirm(later.displayCode);
  await dialog.getByTestId("confirm-submit").click();
  const row = cashier.scheduled(later.displayCode);
  await expect(row).toBeVisible();
  await expect(row).toHaveAttribute("data-held", "true");
  await expect(row.getByTestId("scheduled-badge")).toContainText(`For ${promised}`);
  await expect(row.getByTestId("scheduled-badge")).toContainText(`fires ${fires}`);
  await expect(cashier.today(later.displayCode).getByTestId("scheduled-mark")).toHaveText(`for ${promised}`);

  // One due in about 8 s: it moves from "fires" to "fired" when the timer sends it to the kitchen.
  const soon = await placeOrder(staff, {
    customer: "Soon",
    items: [{ food: "Fries" }],
    promisedAt: new Date(Date.now() + 6 * 60_000 + 8_000).toISOString(),
  });
  await (await cashier.confirm(soon.displayCode)).getByTestId("confirm-submit").click();
  const soonRow = cashier.scheduled(soon.displayCode);
  await expect(soonRow).toHaveAttribute("data-held", "true");
  await expect(soonRow.getByTestId("scheduled-badge")).toContainText("fires");
  await adminPage.screenshot({ path: "/tmp/fire-cashier-scheduled.png" });
  await expect(soonRow).toHaveAttribute("data-held", "false", { timeout: 25_000 });
  await expect(soonRow.getByTestId("scheduled-badge")).toContainText("fired");
  // Soonest promise first.
  const codes = await adminPage.getByTestId("scheduled-order").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-code")));
  expect(codes.indexOf(soon.displayCode)).toBeLessThan(codes.indexOf(later.displayCode));
  await adminPage.screenshot({ path: "/tmp/fire-cashier-fired.png" });
  // Leave the station screens empty for the specs after this one.
  for (const id of [later.id, soon.id]) await cancelOrder(staff, id);
});
