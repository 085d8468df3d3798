/**
 * The cashier in a rush (issue "Cashier and back office" items 1 and 3), on a 1280×800 tablet,
 * for a French restaurant (EUR, fr-FR, card by default): six compact cards with the RUSH first,
 * ten orders confirmed and handed over with the keyboard only, quick discounts with the resulting
 * total and a message for anything refused, cash tendered and change, a split bill, served /
 * picked up / delivered, a courier, one-tap 86 — and every amount in euros the French way on the
 * cashier, the guest's order page and the track page.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { APIRequestContext, Browser, Page } from "@playwright/test";
import { OrderPage } from "./pages/order-page";
import { CashierPage, PrinterPage, disableAutoPrint } from "./pages/screens";
import { configuredOrigin, confirmOrder, expect, placeOrder, signIn, test, type CreatedOrder } from "./support/fixtures";
import { ROOT, cli } from "./support/processes";

const DATA_DIR = path.join(ROOT, ".e2e-data");
const SLUG = `chez-${Date.now().toString(36)}`;
const OPERATOR = { username: `${SLUG}-op`, password: "cashier-operator-pass-4821" };
const TABLET = { width: 1280, height: 800 };
const EUR = new Intl.NumberFormat("fr-FR", { style: "currency", currency: "EUR" });
/** "11,50 €" as fr-FR writes it: decimal comma, a no-break space before the sign. */
const euros = (amount: string | number) => EUR.format(Number(amount));
const EURO_TEXT = /^\d{1,3}(?:\u202f\d{3})*,\d\d\u00a0€$/;

function run(args: string[]) {
  const out = cli(DATA_DIR, args);
  expect(out.status, `${args.join(" ")}\n${out.stdout}${out.stderr}`).toBe(0);
  return out.stdout;
}

test.beforeAll(async ({ playwright }) => {
  // A restaurant with the demo's dishes, then made French by its operator the way the back office
  // saves it (PATCH /api/partners/{slug}).
  run(["partner", "add", "--slug", SLUG, "--name", "Chez Pass"]);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pass-menu-")), "menu.json");
  fs.writeFileSync(file, run(["menu", "export", "--partner", "demo"]));
  run(["menu", "import", file, "--partner", SLUG]);
  run(["user", "add", "--partner", SLUG, "--role", "operator", "--username", OPERATOR.username, "--password", OPERATOR.password]);
  const api = await playwright.request.newContext({ baseURL: configuredOrigin() });
  await signIn(api, OPERATOR);
  const res = await api.patch(`/api/partners/${SLUG}`, {
    data: { currency: "EUR", locale: "fr-FR", defaultPaymentMethod: "CARD" },
    headers: { origin: configuredOrigin() },
  });
  expect(res.status(), await res.text()).toBe(200);
  await api.dispose();
});

async function tablet(browser: Browser) {
  const context = await browser.newContext({ viewport: TABLET });
  await signIn(context.request, OPERATOR);
  const page = await context.newPage();
  return { context, api: context.request, page, cashier: new CashierPage(page, SLUG) };
}

const place = (api: APIRequestContext, extra: Parameters<typeof placeOrder>[1] = {}) =>
  placeOrder(api, { partner: SLUG, as: "staff", source: "counter", ...extra });

async function setStatus(api: APIRequestContext, id: number, status: string, reason?: string) {
  const res = await api.post(`/api/orders/${id}/status`, {
    data: { status, ...(reason ? { reason } : {}) },
    headers: { origin: configuredOrigin() },
  });
  expect(res.status(), await res.text()).toBe(200);
}

async function getOrder(api: APIRequestContext, id: number) {
  const res = await api.get(`/api/orders/${id}`);
  expect(res.status()).toBe(200);
  return (await res.json()) as {
    status: string;
    total: string;
    discount: string;
    paymentMethod: string;
    courierName: string | null;
    payments: { method: string; amount: string; tendered: string | null; change: string | null }[];
  };
}

/** Cancels whatever this restaurant still has pending, so each test starts from an empty "Incoming". */
async function clearPending(api: APIRequestContext) {
  const res = await api.get("/api/orders?status=PENDING");
  for (const o of ((await res.json()) as { orders: { id: number }[] }).orders) await setStatus(api, o.id, "CANCELLED", "end of the test");
}

// This restaurant's tickets would stay open on every admin's kitchen and board for the specs that
// run after this one: hand them all over (or cancel them) when done.
test.afterAll(async ({ browser }) => {
  const { context, api } = await tablet(browser);
  const res = await api.get("/api/orders?status=PENDING,CONFIRMED,PREPARING,READY");
  expect(res.status()).toBe(200);
  for (const o of ((await res.json()) as { orders: { id: number; status: string }[] }).orders) {
    if (o.status === "READY") await setStatus(api, o.id, "PICKED_UP");
    else await setStatus(api, o.id, "CANCELLED", "end of the test");
  }
  await context.close();
});

/** Cards wholly inside the viewport. */
async function cardsInView(page: Page) {
  const boxes = await page.getByTestId("pending-order").evaluateAll((els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect();
      return r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth;
    }),
  );
  return boxes.filter(Boolean).length;
}

test("six pending orders fit a 1280×800 tablet, the RUSH first with its badge; amounts in euros", async ({ browser }, testInfo) => {
  const { context, api, page, cashier } = await tablet(browser);
  await clearPending(api);
  const normal: CreatedOrder[] = [];
  for (let i = 0; i < 6; i++)
    // Half of them a burger with fries, as lunch orders often are.
    normal.push(
      await place(api, {
        items: i % 2 ? [{ food: i }] : [{ food: i }, { food: "Fries" }],
        table: String(10 + i),
        serviceType: i % 2 ? "takeaway" : "dine-in",
      }),
    );
  const rush = await place(api, { priority: "HIGH", items: [{ food: 1 }], customer: "Rush" });
  await cashier.goto();
  await expect(cashier.pending()).toHaveCount(7);

  const first = cashier.pending().first();
  await expect(first).toHaveAttribute("data-code", rush.displayCode);
  await expect(first.getByTestId("rush-badge")).toHaveText("URGENT");
  await expect(first).toHaveAttribute("data-selected", "true");
  await expect(cashier.pending(normal[1]!.displayCode).getByTestId("service-type")).toHaveText("À emporter");
  await expect(cashier.pending(normal[0]!.displayCode).getByTestId("service-type")).toHaveText("Sur place");
  // The table, and where the order came from in the restaurant's words, on a line of their own.
  await expect(cashier.pending(normal[0]!.displayCode).getByTestId("pending-where")).toHaveText("T10 · Comptoir");
  await expect(first.getByTestId("pending-where")).toHaveText("Rush · Comptoir");
  expect(await cardsInView(page)).toBeGreaterThanOrEqual(6);
  // Still six once sound is on (the SOUND OFF bar gone), the way a cashier works after the first tap.
  await page.keyboard.press("ArrowDown");
  await expect(page.getByTestId("sound-off")).toHaveCount(0);
  expect(await cardsInView(page)).toBeGreaterThanOrEqual(6);
  // The restaurant's words (lib/i18n/fr.ts); the shortcut letters stay the same.
  await expect(page.getByTestId("shortcut-legend")).toContainText("C confirmer espèces");
  await expect(page.getByRole("heading", { name: /^À confirmer/ })).toBeVisible();
  await expect(first.getByTestId("confirm-open")).toHaveText("Confirmer");
  await expect(first.getByTestId("cancel-open")).toHaveText("Annuler");

  // Every amount the French way.
  const total = cashier.pending(rush.displayCode).getByTestId("pending-total");
  await expect(total).toHaveText(euros(rush.total));
  expect(await total.textContent()).toMatch(EURO_TEXT);
  await page.screenshot({ path: testInfo.outputPath("cashier-rush.png") });
  await page.screenshot({ path: "/tmp/cashier-rush.png" });
  await context.close();
});

test("the confirm dialog: 10 % off, a refused discount, cash change, a split bill, one-tap 86", async ({ browser }, testInfo) => {
  const { context, api, page, cashier } = await tablet(browser);
  await clearPending(api);
  const a = await place(api, { items: [{ food: 0, quantity: 2 }] });
  const b = await place(api, { items: [{ food: 0, quantity: 2 }] });
  const c = await place(api, { items: [{ food: 0, quantity: 2 }] });
  const bill = Math.round((Number(a.subTotal) + Number(a.surcharge)) * 100);
  await cashier.goto();

  // The restaurant pays by card by default.
  await cashier.pending(a.displayCode).getByTestId("confirm-open").click();
  const dialog = page.getByTestId("confirm-dialog");
  await expect(dialog.getByTestId("pay-CARD")).toBeChecked();
  await expect(dialog.getByTestId("confirm-total")).toHaveText(euros(bill / 100));

  // 10 %: the total follows; typing "10%" is the same thing.
  await dialog.getByTestId("discount-10").click();
  const tenth = bill - Math.round(bill / 10);
  await expect(dialog.getByTestId("confirm-total")).toHaveText(euros(tenth / 100));
  await dialog.getByTestId("discount").fill("10 %");
  await expect(dialog.getByTestId("confirm-total")).toHaveText(euros(tenth / 100));

  // Refused on screen, with a message and no NaN: garbage, above the bill, above 100 %.
  for (const [typed, message] of [
    ["abc", /saisissez un montant comme 2,50 ou un pourcentage comme 10%/],
    [String(bill / 100 + 1), /plus que l'addition/],
    ["150%", /ne dépasse pas 100 %/],
  ] as const) {
    await dialog.getByTestId("discount").fill(typed);
    await expect(dialog.getByTestId("confirm-problem")).toContainText(message);
    await expect(dialog.getByTestId("confirm-submit")).toBeDisabled();
    await expect(dialog).not.toContainText("NaN");
    await expect(dialog.getByTestId("confirm-total")).not.toContainText("-");
  }
  await page.screenshot({ path: testInfo.outputPath("cashier-refused.png") });
  await page.screenshot({ path: "/tmp/cashier-refused.png" });
  // The server refuses the same (a client that skips the screen): 400 naming the field.
  for (const [data, field] of [
    [{ paymentMethod: "CARD", discountPercent: 101 }, "discountPercent"],
    [{ paymentMethod: "CARD", discount: String(bill / 100 + 1) }, "discount"],
    [{ paymentMethod: "CASH", tendered: "0.5" }, "tendered"],
    [
      {
        payments: [
          { method: "CASH", amount: "1" },
          { method: "CARD", amount: "1" },
        ],
      },
      "payments",
    ],
  ] as const) {
    const res = await api.post(`/api/orders/${a.id}/confirm`, { data, headers: { origin: configuredOrigin() } });
    expect(res.status()).toBe(400);
    expect(((await res.json()) as { error: { details: { field: string } } }).error.details.field).toBe(field);
  }
  expect((await getOrder(api, a.id)).status).toBe("PENDING");

  // 10 % by card, confirmed.
  await dialog.getByTestId("discount-10").click();
  await dialog.getByTestId("confirm-submit").click();
  await expect(cashier.today(a.displayCode).getByTestId("today-total")).toHaveText(euros(tenth / 100));
  expect(await getOrder(api, a.id)).toMatchObject({
    status: "CONFIRMED",
    paymentMethod: "CARD",
    discount: String(Math.round(bill / 10) / 100),
  });

  // Cash: below the total is refused, 50 gives the change.
  await cashier.pending(b.displayCode).getByTestId("confirm-open").click();
  await dialog.getByTestId("pay-CASH").check({ force: true });
  await dialog.getByTestId("tendered").fill("1");
  await expect(dialog.getByTestId("confirm-problem")).toContainText(`inférieur au total ${euros(bill / 100)}`);
  await expect(dialog.getByTestId("confirm-submit")).toBeDisabled();
  await dialog.getByTestId("tendered").fill("50");
  await expect(dialog.getByTestId("change")).toHaveText(euros(50 - bill / 100));
  await page.screenshot({ path: testInfo.outputPath("cashier-change.png") });
  await page.screenshot({ path: "/tmp/cashier-change.png" });
  await dialog.getByTestId("confirm-submit").click();
  await expect(cashier.today(b.displayCode).getByTestId("today-payments")).toContainText(`rendu ${euros(50 - bill / 100)}`);
  expect((await getOrder(api, b.id)).payments).toEqual([
    { method: "CASH", amount: b.total, tendered: "50", change: String((5000 - bill) / 100) },
  ]);

  // A split: 5 € cash, the rest by card (filled in); a sum that is not the total is refused.
  await cashier.pending(c.displayCode).getByTestId("confirm-open").click();
  await dialog.getByTestId("split-toggle").click();
  await dialog.getByTestId("split-amount-0").fill("5");
  await expect(dialog.getByTestId("split-amount-1")).toHaveValue(String((bill - 500) / 100));
  await dialog.getByTestId("split-amount-1").fill("1");
  await expect(dialog.getByTestId("confirm-problem")).toContainText(`les paiements font ${euros(6)}, le total est ${euros(bill / 100)}`);
  await expect(dialog.getByTestId("confirm-submit")).toBeDisabled();
  await dialog.getByTestId("split-amount-1").fill(String((bill - 500) / 100).replace(".", ","));

  // One tap 86s the dish until the end of the day; one more brings it back.
  const dish = dialog.getByTestId("quick-86-dish").first();
  await expect(dish).toHaveAttribute("data-available", "true");
  await dish.click();
  await expect(dish).toHaveAttribute("data-available", "false");
  await expect(page.getByTestId("sold-out-open")).toHaveAttribute("data-count", "1");
  await page.screenshot({ path: testInfo.outputPath("cashier-split.png") });
  await page.screenshot({ path: "/tmp/cashier-split.png" });
  await dish.click();
  await expect(dish).toHaveAttribute("data-available", "true");

  await dialog.getByTestId("confirm-submit").click();
  await expect(cashier.today(c.displayCode).getByTestId("today-payments")).toContainText(
    `espèces ${euros(5)} + carte ${euros((bill - 500) / 100)}`,
  );
  expect((await getOrder(api, c.id)).payments).toEqual([
    { method: "CASH", amount: "5", tendered: null, change: null },
    { method: "CARD", amount: String((bill - 500) / 100), tendered: null, change: null },
  ]);
  await context.close();
});

test("a cashier serves 10 orders with the keyboard only", async ({ browser }, testInfo) => {
  test.setTimeout(120_000);
  const { context, api, page, cashier } = await tablet(browser);
  await clearPending(api);
  const orders: CreatedOrder[] = [];
  for (let i = 0; i < 10; i++) orders.push(await place(api, { items: [{ food: i }] }));
  await cashier.goto();
  await expect(cashier.pending()).toHaveCount(10);

  // J / K move the selection (it wraps), C confirms cash, D card; Enter in the dialog confirms.
  await page.keyboard.press("j");
  await expect(cashier.pending(orders[1]!.displayCode)).toHaveAttribute("data-selected", "true");
  await page.keyboard.press("k");
  await page.keyboard.press("k");
  await expect(cashier.pending(orders[9]!.displayCode)).toHaveAttribute("data-selected", "true");
  await page.keyboard.press("ArrowDown");
  await expect(cashier.pending(orders[0]!.displayCode)).toHaveAttribute("data-selected", "true");
  for (let i = 0; i < 10; i++) {
    await page.keyboard.press(i % 2 ? "d" : "c");
    await expect(page.getByTestId("confirm-dialog")).toBeVisible();
    if (i === 0) await page.screenshot({ path: "/tmp/cashier-keyboard-dialog.png" });
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("confirm-dialog")).toHaveCount(0);
    await expect(cashier.pending()).toHaveCount(9 - i);
  }
  for (const [i, o] of orders.entries()) {
    expect((await getOrder(api, o.id)).paymentMethod).toBe(i % 2 ? "CARD" : "CASH");
  }

  // The kitchen finishes them; P hands over the one ready the longest, ten times.
  for (const o of orders) {
    await setStatus(api, o.id, "PREPARING");
    await setStatus(api, o.id, "READY");
  }
  await expect(page.locator('[data-testid="today-order"][data-status="READY"]')).toHaveCount(10);
  await page.screenshot({ path: testInfo.outputPath("cashier-ready.png") });
  for (let i = 0; i < 10; i++) {
    await page.keyboard.press("p");
    await expect(page.locator('[data-testid="today-order"][data-status="READY"]')).toHaveCount(9 - i);
  }
  for (const o of orders) expect((await getOrder(api, o.id)).status).toBe("PICKED_UP");
  await context.close();
});

test("served, picked up and delivered buttons; a delivery's courier assigned and changed", async ({ browser }, testInfo) => {
  const { context, api, page, cashier } = await tablet(browser);
  const dineIn = await place(api, { serviceType: "dine-in" });
  const delivery = await place(api, { source: "delivery", customer: "Ines" });
  for (const o of [dineIn, delivery]) {
    const res = await api.post(`/api/orders/${o.id}/confirm`, { data: { paymentMethod: "CARD" }, headers: { origin: configuredOrigin() } });
    expect(res.status()).toBe(200);
  }
  await cashier.goto();
  const row = cashier.today(delivery.displayCode);
  await row.getByTestId("courier-input").fill("Samir");
  await row.getByTestId("courier-assign").click();
  await expect(row.getByTestId("courier-name")).toHaveText("Samir");
  await row.getByTestId("courier-input").fill("Léa");
  await row.getByTestId("courier-assign").click();
  await expect(row.getByTestId("courier-name")).toHaveText("Léa");
  expect((await getOrder(api, delivery.id)).courierName).toBe("Léa");

  for (const o of [dineIn, delivery]) {
    await setStatus(api, o.id, "PREPARING");
    await setStatus(api, o.id, "READY");
  }
  await expect(cashier.today(dineIn.displayCode).getByTestId("handover")).toHaveText("Servie");
  await expect(row.getByTestId("handover")).toHaveText("Retirée");
  await page.screenshot({ path: testInfo.outputPath("cashier-today.png") });
  await page.screenshot({ path: "/tmp/cashier-today.png" });
  await cashier.today(dineIn.displayCode).getByTestId("handover").click();
  await expect(cashier.today(dineIn.displayCode)).toHaveAttribute("data-status", "PICKED_UP");
  await expect(cashier.today(dineIn.displayCode).getByTestId("handover")).toHaveCount(0);
  await row.getByTestId("handover").click();
  await expect(row.getByTestId("handover")).toHaveText("Livrée");
  await row.getByTestId("handover").click();
  await expect(row).toHaveAttribute("data-status", "DELIVERED");
  await expect(row.getByTestId("courier-input")).toHaveCount(0);
  await context.close();
});

test("prices in euros, the French way, on the guest's order page and the track page", async ({ browser }, testInfo) => {
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true });
  const page = await phone.newPage();
  const order = new OrderPage(page);
  await page.goto(`/order/${SLUG}`);
  const prices = await page.getByTestId("menu-price").allTextContents();
  expect(prices.length).toBeGreaterThan(0);
  // A fr-FR restaurant: French words (lib/i18n) and French amounts.
  for (const p of prices) expect(p.replace(/^dès /, "")).toMatch(EURO_TEXT);
  await expect(order.dish("Classic Burger").getByTestId("menu-price")).toHaveText(/^dès 11,50\u00a0€$/);
  await order.dish("Cheesecake").getByTestId("menu-add").click();
  await expect(order.total).toHaveText(/^\d+,\d\d\u00a0€$/);
  const cartTotal = (await order.total.textContent())!;
  await page.screenshot({ path: testInfo.outputPath("order-eur.png") });
  await page.screenshot({ path: "/tmp/order-eur.png" });
  await order.placeOrder.click();
  await expect(page).toHaveURL(/\/track\/\d+/);
  await expect(page.getByTestId("track-total")).toHaveText(cartTotal);
  await expect(page.getByTestId("track-line-total").first()).toHaveText(EURO_TEXT);
  await page.screenshot({ path: testInfo.outputPath("track-eur.png") });
  await page.screenshot({ path: "/tmp/track-eur.png" });
  await phone.close();
});

test("the printer's receipt and the dashboard in euros, the French way", async ({ browser }) => {
  const { context, api, page } = await tablet(browser);
  await disableAutoPrint(context);
  const printer = new PrinterPage(page);
  await printer.goto();
  const placed = await place(api, { items: [{ food: 0, quantity: 2 }, { food: 4 }], table: "12" });
  const { ticketNumber } = await confirmOrder(api, placed.id);

  // The receipt the print station made for it: every amount "12,50 €", the total the order's.
  const receipt = page.getByTestId("print-entry").and(page.locator(`[data-kind="receipt"][data-ticket="${ticketNumber}"]`));
  await expect(receipt).toHaveCount(1);
  await printer.show(receipt);
  const slip = printer.slip();
  await expect(slip).toHaveAttribute("data-ticket", String(ticketNumber));
  await expect(slip.locator(".slip-total")).toHaveText(`TOTAL${euros(placed.total)}`);
  const amounts = await slip.locator(".slip-row > span:last-child").allTextContents();
  expect(amounts.length).toBeGreaterThanOrEqual(4); // two lines, the subtotal, the total
  for (const a of amounts) expect(a).toMatch(EURO_TEXT);
  await page.screenshot({ path: "/tmp/printer-receipt-eur.png" });

  // The dashboard: today's takings and the order's own view.
  await page.goto("/dashboard");
  await expect(page.getByTestId("connection-badge")).toHaveAttribute("data-status", "live");
  const orders = (await (await api.get("/api/orders")).json()) as { orders: { status: string; total: string }[] };
  const takings = orders.orders
    .filter((o) => o.status !== "CANCELLED" && o.status !== "PENDING")
    .reduce((sum, o) => sum + Math.round(Number(o.total) * 100), 0);
  await expect(page.getByTestId("fig-revenue")).toHaveText(euros(takings / 100));
  expect(await page.getByTestId("fig-revenue").textContent()).toMatch(EURO_TEXT);
  const row = page.locator(`[data-testid="dashboard-row"][data-partner="${SLUG}"][data-code="${placed.displayCode}"]`);
  await row.getByTestId("open-order").click();
  await expect(page.getByTestId("order-view-total")).toHaveText(`Total ${euros(placed.total)}`);
  await page.screenshot({ path: "/tmp/dashboard-eur.png" });
  await context.close();
});
