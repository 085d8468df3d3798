import { LivePage, openStreams } from "./pages/live-page";
import { expect, placeOrder, signIn, test } from "./support/fixtures";

test("the live page shows the raw stream, and all tabs of a browser share one connection", async ({
  staff,
  adminPage: page,
  context,
}, testInfo) => {
  const first = new LivePage(page);
  await first.goto("cashier");
  await expect(first.badge()).toHaveAttribute("data-status", "live");
  await expect(first.events("connected")).toHaveCount(1);

  const order = await placeOrder(staff, { customer: "Ada" });
  await expect(first.events("new-order")).toHaveCount(1);
  await expect(first.events("new-order").first()).toContainText(`"displayCode":"${order.displayCode}"`);

  // A second tab follows through the first one's stream: still one connection on the server.
  const second = new LivePage(await context.newPage());
  await second.goto("cashier");
  await expect(second.badge()).toHaveAttribute("data-status", "live");
  await expect.poll(() => openStreams(staff)).toBe(1);

  await placeOrder(staff, { customer: "Grace" });
  await expect(first.events("new-order")).toHaveCount(2);
  await expect(second.events("new-order")).toHaveCount(1);
  await page.screenshot({ path: testInfo.outputPath("live-cashier.png") });

  // The leader tab closes: the other tab takes the stream over and misses nothing.
  await page.close();
  await placeOrder(staff, { customer: "Linus" });
  await expect(second.events("new-order")).toHaveCount(2);
  await expect(second.badge()).toHaveAttribute("data-status", "live");
  await expect.poll(() => openStreams(staff)).toBe(1);
  const ids = await second.events("new-order").evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-id"))));
  expect(new Set(ids).size).toBe(ids.length);
});

test("a channel the user may not read is not found; signed-out users go to login", async ({ page, context }) => {
  await page.goto("/live/cashier");
  await expect(page).toHaveURL(/\/login\?next=\/live\/cashier$/);
  await signIn(context.request);
  const res = await page.goto("/live/nope");
  expect(res?.status()).toBe(404);
});
