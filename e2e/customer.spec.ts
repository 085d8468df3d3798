/**
 * A guest orders on a phone from the table's QR link, then watches the order go through the
 * kitchen on the track page while the staff act.
 */
import { confirmOrder, expect, test } from "./support/fixtures";

test("phone-sized order from a QR link, followed live through READY", async ({ browser, staff, origin }, testInfo) => {
  const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, hasTouch: true });
  const page = await phone.newPage();
  await page.goto("/order/demo?table=12");
  await expect(page.getByTestId("order-table")).toHaveText("Table 12");

  // Without a mouse: focus and press.
  const cake = page.getByTestId("menu-item").and(page.locator('[data-name="Cheesecake"]'));
  await cake.getByTestId("menu-add").focus();
  await page.keyboard.press("Enter");
  await page.keyboard.press("Enter");
  await expect(cake.getByTestId("menu-quantity")).toHaveText("2");
  await page.getByTestId("cart-notes").first().fill("no sauce <b>please</b>");
  await page.getByTestId("customer-name").fill("Mia");
  await expect(page.getByTestId("cart-total")).toHaveText("$13.00");
  await page.screenshot({ path: testInfo.outputPath("order-phone.png"), fullPage: true });
  await page.getByTestId("place-order").click();
  await expect(page).toHaveURL(/\/track\/\d+\?token=trk_/);
  const orderId = Number(/\/track\/(\d+)/.exec(page.url())![1]);
  await expect(page.getByTestId("track-status")).toHaveAttribute("data-status", "PENDING");
  await expect(page.getByTestId("connection-badge")).toHaveAttribute("data-status", "live");

  // The staff act; the guest sees each step live.
  const post = (path: string, data: unknown) => staff.post(path, { data, headers: { origin } });
  const confirmed = await confirmOrder(staff, orderId, { paymentMethod: "CARD" });
  await expect(page.getByTestId("track-status")).toHaveAttribute("data-status", "CONFIRMED");
  await expect(page.getByTestId("track-number")).toHaveText(String(confirmed.ticketNumber));
  await post(`/api/orders/${orderId}/status`, { status: "PREPARING" });
  await expect(page.getByTestId("track-status")).toHaveAttribute("data-status", "PROCESSING");
  await post(`/api/orders/${orderId}/status`, { status: "READY" });
  await expect(page.getByTestId("track-status")).toHaveAttribute("data-status", "READY");
  await page.screenshot({ path: testInfo.outputPath("track-phone.png"), fullPage: true });

  // Another order's tracking link with this token shows nothing.
  const other = await phone.newPage();
  const token = new URL(page.url()).searchParams.get("token")!;
  await other.goto(`/track/${orderId + 1000}?token=${token}`);
  await expect(other.getByTestId("track-error")).toContainText("cannot find this order");
  await phone.close();
});
