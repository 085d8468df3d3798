/**
 * Jobs and notifications in the browser (issue "Jobs and notifications"): the guest's /track page
 * registers its service worker, and a push event dispatched to it shows the notification (no
 * browser vendor's push service is reachable here; the sending side is tested against a fake
 * push endpoint in lib/notifications/notifications.test.ts). An order the auto-cancel job
 * cancels shows a toast on the cashier and the reason on the guest's /track page.
 */
import path from "node:path";
import Database from "better-sqlite3";
import { CashierPage, DashboardPage } from "./pages/screens";
import { cancelOrder, expect, placeOrder, test } from "./support/fixtures";

/** The e2e server's own database (playwright.config.ts DATA_DIR), for what no API sets here. */
const dbFile = path.resolve(import.meta.dirname, "../.e2e-data/pass.sqlite");

test("the /track page registers its service worker, which shows a pushed notification", async ({
  browser,
  request,
  staff,
  origin,
}, testInfo) => {
  const order = await placeOrder(request);
  const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, hasTouch: true });
  await phone.grantPermissions(["notifications"], { origin });
  const page = await phone.newPage();
  await page.goto(`/track/${order.id}?token=${order.trackingToken}`);
  const button = page.getByTestId("push-notify");
  await expect(button).toHaveAttribute("data-registered", "true");
  await expect(button).toHaveText(/Notify me when it's ready/);
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).active?.scriptURL);
  expect(scope).toBe(`${origin}/sw.js`);
  await page.screenshot({ path: testInfo.outputPath("track-notify.png"), fullPage: true });

  // Deliver a push message to the worker, as the push service would (Chromium's DevTools protocol).
  const cdp = await phone.newCDPSession(page);
  const registrationId = new Promise<string>((resolve) =>
    cdp.on("ServiceWorker.workerRegistrationUpdated", ({ registrations }) => {
      const mine = registrations.find((r: { scopeURL: string; isDeleted: boolean }) => r.scopeURL === `${origin}/` && !r.isDeleted);
      if (mine) resolve(mine.registrationId);
    }),
  );
  await cdp.send("ServiceWorker.enable");
  const payload = {
    title: `Order ${order.displayCode} is ready`,
    body: "Please collect it at the counter.",
    url: `/track/${order.id}`,
    orderId: order.id,
    status: "READY",
    tag: `order-${order.id}`,
  };
  const shown = () =>
    page.evaluate(async () => (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => [n.title, n.body, n.tag]));
  // DevTools' delivery was lost once in CI (a worker just activated): deliver again until it shows.
  // The notification's tag makes a repeated delivery replace it, so it is still shown once.
  const id = await registrationId;
  for (let attempt = 0; attempt < 4 && (await shown()).length === 0; attempt++) {
    await cdp.send("ServiceWorker.deliverPushMessage", { origin, registrationId: id, data: JSON.stringify(payload) });
    await expect
      .poll(async () => (await shown()).length, { timeout: 4_000 })
      .toBeGreaterThan(0)
      .catch(() => undefined);
  }
  await expect.poll(shown).toEqual([[payload.title, payload.body, payload.tag]]);
  await phone.close();
  await cancelOrder(staff, order.id);
});

test("an order the auto-cancel job cancels: a toast on the cashier, the reason on /track", async ({
  browser,
  adminPage,
  request,
}, testInfo) => {
  const order = await placeOrder(request);
  const phone = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const track = await phone.newPage();
  await track.goto(`/track/${order.id}?token=${order.trackingToken}`);
  await expect(track.getByTestId("track-status")).toHaveAttribute("data-status", "PENDING");
  const cashier = new CashierPage(adminPage);
  await cashier.goto();
  await expect(cashier.pending(order.displayCode)).toBeVisible();

  // The partner cancels unconfirmed orders after 10 minutes; this one is 11 minutes old. The sweep
  // runs every minute; here it is queued at once (the running server's embedded queue picks it up).
  const db = new Database(dbFile);
  try {
    const now = new Date().toISOString();
    db.prepare(`update partners set "autoCancelMinutes" = 10 where slug = 'demo'`).run();
    db.prepare(`update orders set "createdAt" = ? where id = ?`).run(new Date(Date.now() - 11 * 60_000).toISOString(), order.id);
    db.prepare(
      `insert into jobs (task, payload, "runAt", attempts, "maxAttempts", "createdAt", "updatedAt") values ('order:auto_cancel', '{}', ?, 0, 8, ?, ?)`,
    ).run(now, now, now);
  } finally {
    db.close();
  }
  try {
    const toast = adminPage.getByTestId("auto-cancel-toast").and(adminPage.locator(`[data-order-id="${order.id}"]`));
    await expect(toast).toHaveText(`${order.displayCode} was cancelled: not confirmed in time`);
    await expect(cashier.pending(order.displayCode)).toHaveCount(0);
    await adminPage.screenshot({ path: testInfo.outputPath("cashier-auto-cancel.png") });
    await expect(track.getByTestId("track-status")).toHaveAttribute("data-status", "CANCELLED");
    await expect(track.getByTestId("track-cancelled")).toHaveText("Cancelled: not confirmed in time");
    await track.screenshot({ path: testInfo.outputPath("track-auto-cancel.png"), fullPage: true });
    await phone.close();
  } finally {
    // Put the partner back for the specs after this one, whatever happened here (an auto-cancel
    // left on would cancel their pending orders).
    const reset = new Database(dbFile);
    reset.prepare(`update partners set "autoCancelMinutes" = null where slug = 'demo'`).run();
    reset.close();
  }

  // Nothing failed, so the dashboard shows no failed-jobs panel; a job that gave up is listed with its error.
  const dashboard = new DashboardPage(adminPage);
  await dashboard.goto();
  await expect(adminPage.getByTestId("failed-jobs")).toHaveCount(0);
  const failedDb = new Database(dbFile);
  const now = new Date().toISOString();
  const { lastInsertRowid } = failedDb
    .prepare(
      `insert into jobs (task, payload, "runAt", attempts, "maxAttempts", "lastError", "failedAt", "createdAt", "updatedAt") values ('notification:send', ?, ?, 8, 8, 'webhook https://hooks.example.com/x: answered 503', ?, ?, ?)`,
    )
    .run(JSON.stringify({ outboxId: "e2e", orderId: order.id }), now, now, now, now);
  failedDb.close();
  try {
    await adminPage.reload();
    const failed = adminPage.getByTestId("failed-job").and(adminPage.locator('[data-task="notification:send"]'));
    await expect(failed).toContainText(`Notification for order #${order.id}: tried 8×`);
    await expect(failed.getByTestId("failed-job-error")).toHaveText("webhook https://hooks.example.com/x: answered 503");
    await adminPage.getByTestId("failed-jobs").screenshot({ path: testInfo.outputPath("dashboard-failed-jobs.png") });
  } finally {
    const cleanup = new Database(dbFile);
    cleanup.prepare("delete from jobs where id = ?").run(lastInsertRowid);
    cleanup.close();
  }
});
