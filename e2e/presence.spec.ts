/**
 * The dashboard's health panel (issue 17 item 3, docs/architecture.md "Presence"): a device is
 * listed once by its name however many tabs it has open, a closed screen leaves the panel within
 * 30 s (at once: its tab says so as it closes), and the day's disconnects show it — still gone,
 * then back. Renaming the device in Settings renames it on the panel.
 */
import path from "node:path";
import type { Browser, BrowserContext } from "@playwright/test";
import { configuredOrigin, expect, signIn, test } from "./support/fixtures";
import { ROOT } from "./support/processes";

const SHOTS = path.join(ROOT, "test-results", "presence");
const TAG = Date.now().toString(36);

/** A device token for the demo restaurant, issued as Settings would; returns its secret. */
async function issueToken(ctx: BrowserContext, name: string, role: "kitchen" | "display"): Promise<{ id: string; token: string }> {
  const res = await ctx.request.post("/api/partners/demo/devices", { data: { name, role }, headers: { origin: configuredOrigin() } });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as { id: string; token: string };
}

/** A browser that is that device: its token in the httpOnly cookie a paired screen holds. */
async function deviceContext(browser: Browser, token: string): Promise<BrowserContext> {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await ctx.addCookies([{ name: "pass_device", value: token, url: configuredOrigin(), httpOnly: true, sameSite: "Lax" }]);
  return ctx;
}

test("a device is listed once by name with two tabs; a closed screen leaves the panel within 30 s and shows in the day's disconnects", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const admin = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  await signIn(admin.request);
  const grillName = `Grill TV ${TAG}`;
  const barName = `Bar board ${TAG}`;
  const grill = await issueToken(admin, grillName, "kitchen");
  const bar = await issueToken(admin, barName, "display");
  const tv = await deviceContext(browser, grill.token);
  const board = await deviceContext(browser, bar.token);
  try {
    const dashboard = await admin.newPage();
    await dashboard.goto("/dashboard");
    const panel = dashboard.getByTestId("screens-health");
    const device = (name: string) => panel.locator(`[data-testid="screen-health"][data-name="${name}"]`);
    const disconnect = (name: string) => dashboard.locator(`[data-testid="disconnect"][data-name="${name}"]`);

    // The grill TV with two tabs open: one device, by its name, "2 tabs".
    const tab1 = await tv.newPage();
    await tab1.goto("/kitchen?station=grill");
    const tab2 = await tv.newPage();
    await tab2.goto("/kitchen?station=grill");
    await expect(device(grillName)).toHaveCount(1, { timeout: 15_000 });
    await expect(device(grillName)).toHaveAttribute("data-tabs", "2", { timeout: 15_000 });
    await expect(device(grillName).getByTestId("device-tabs")).toHaveText("2 tabs");

    // The bar's board: a second device.
    const boardPage = await board.newPage();
    await boardPage.goto("/board");
    await expect(device(barName)).toHaveCount(1, { timeout: 15_000 });
    await expect(disconnect(barName)).toHaveCount(0);

    // Close the board: gone from the panel within 30 s, and in the day's disconnects.
    const closedAt = Date.now();
    await boardPage.close({ runBeforeUnload: true });
    await expect(device(barName)).toHaveCount(0, { timeout: 30_000 });
    const leftAfterMs = Date.now() - closedAt;
    console.log(`presence: the closed board left the health panel after ${leftAfterMs} ms`);
    expect(leftAfterMs).toBeLessThan(30_000);
    await expect(disconnect(barName)).toHaveAttribute("data-back", "false");
    await expect(disconnect(barName)).toContainText("offline since");

    // Closing one of the TV's tabs leaves the TV listed, with one tab.
    await tab2.close({ runBeforeUnload: true });
    await expect(device(grillName)).toHaveAttribute("data-tabs", "1", { timeout: 30_000 });
    await expect(disconnect(grillName)).toHaveCount(0);
    await dashboard.getByTestId("screens-health").scrollIntoViewIfNeeded();
    await dashboard.locator('section[aria-labelledby="screens-heading"]').screenshot({ path: path.join(SHOTS, "health-panel.png") });

    // The operator renames the TV in Settings → Devices: the panel follows.
    const settings = await admin.newPage();
    await settings.goto("/settings?tab=devices&partner=demo");
    const row = settings.locator(`[data-testid="device-row"][data-name="${grillName}"]`);
    await row.getByTestId("device-rename").click();
    await row.getByTestId("device-rename-input").fill(`Grill wall TV ${TAG}`);
    await row.screenshot({ path: path.join(SHOTS, "device-rename.png") });
    await row.getByTestId("device-rename-save").click();
    await expect(settings.locator(`[data-testid="device-row"][data-name="Grill wall TV ${TAG}"]`)).toHaveCount(1);
    await settings.close();
    await expect(device(`Grill wall TV ${TAG}`)).toHaveCount(1, { timeout: 15_000 });

    // The board comes back after the gap: its disconnect is kept, with when it came back.
    await dashboard.waitForTimeout(Math.max(0, 16_000 - (Date.now() - closedAt)));
    const again = await board.newPage();
    await again.goto("/board");
    await expect(device(barName)).toHaveCount(1, { timeout: 15_000 });
    await expect(disconnect(barName)).toHaveAttribute("data-back", "true", { timeout: 15_000 });
    await expect(disconnect(barName)).toHaveAttribute("data-reason", "closed");
    await expect(disconnect(barName)).toContainText("back");
    await dashboard.locator('section[aria-labelledby="screens-heading"]').screenshot({ path: path.join(SHOTS, "health-panel-back.png") });

    // A screen that stops without a word (its network gone: every heartbeat fails) is dropped
    // within 30 s, and its disconnect says the heartbeat was lost.
    await tab1.route("**/api/screens/heartbeat", (route) => route.abort());
    const silentFrom = Date.now();
    await expect(device(`Grill wall TV ${TAG}`)).toHaveCount(0, { timeout: 40_000 });
    const silentMs = Date.now() - silentFrom;
    console.log(`presence: the silent TV left the health panel ${silentMs} ms after its heartbeats stopped`);
    expect(silentMs).toBeLessThan(30_000);
    await expect(disconnect(`Grill wall TV ${TAG}`)).toHaveAttribute("data-reason", "lost");
    await expect(disconnect(`Grill wall TV ${TAG}`)).toHaveAttribute("data-back", "false");
    await dashboard.locator('section[aria-labelledby="screens-heading"]').screenshot({ path: path.join(SHOTS, "health-panel-lost.png") });
  } finally {
    await tv.close();
    await board.close();
    await admin.close();
  }
});
