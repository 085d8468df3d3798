/**
 * /reports (issue "Reports and end of day"): an operator opens the reports of their restaurant on a
 * tablet, sees today's orders, revenue, payment split, cancellations, speed of service and the
 * heat map, exports a table as CSV; another restaurant's report is a 404 for them. A fresh
 * restaurant, so the figures are exactly this spec's orders.
 */
import path from "node:path";
import { cancelOrder, confirmOrder, configuredOrigin, expect, placeOrder, signIn, stationAction, test } from "./support/fixtures";
import { ROOT, cli } from "./support/processes";

const DATA_DIR = path.join(ROOT, ".e2e-data");
const SLUG = `reports-${Date.now().toString(36)}`;
const OPERATOR = { username: `${SLUG}-op`, password: "reports-operator-pass-4821" };
const TABLET = { width: 1280, height: 800 };

function run(args: string[]) {
  const out = cli(DATA_DIR, args);
  expect(out.status, `${args.join(" ")}\n${out.stdout}${out.stderr}`).toBe(0);
}

test.beforeAll(async ({ playwright }) => {
  run(["partner", "add", "--slug", SLUG, "--name", "Report Bistro"]);
  run(["user", "add", "--partner", SLUG, "--role", "operator", "--username", OPERATOR.username, "--password", OPERATOR.password]);
  const api = await playwright.request.newContext({ baseURL: configuredOrigin() });
  await signIn(api, OPERATOR);
  const headers = { origin: configuredOrigin() };
  expect((await api.post("/api/stations", { data: { partner: SLUG, key: "grill", name: "Grill" }, headers })).status()).toBe(201);
  const category = await api.post("/api/categories", { data: { partner: SLUG, name: "Mains" }, headers });
  const food = await api.post("/api/foods", {
    data: { partner: SLUG, name: "Steak frites", price: "18.5", categoryId: (await category.json()).id, station: "grill" },
    headers,
  });
  expect(food.status(), await food.text()).toBe(201);
  // Two paid orders (cash 18.50, card 37.00), the first bumped at the grill; one cancelled while pending.
  const a = await placeOrder(api, { partner: SLUG, items: [{ food: "Steak frites" }] });
  await confirmOrder(api, a.id, { paymentMethod: "CASH" });
  await stationAction(api, a.id, "grill", "bump");
  const b = await placeOrder(api, { partner: SLUG, items: [{ food: "Steak frites", quantity: 2 }] });
  await confirmOrder(api, b.id, { paymentMethod: "CARD" });
  const c = await placeOrder(api, { partner: SLUG, items: [{ food: "Steak frites" }] });
  await cancelOrder(api, c.id);
  await api.dispose();
});

test("an operator reads today's figures on a tablet and exports a table as CSV", async ({ browser }) => {
  const context = await browser.newContext({ viewport: TABLET, hasTouch: true });
  await signIn(context.request, OPERATOR);
  const page = await context.newPage();
  await page.goto("/reports");
  await page.getByRole("button", { name: "Today" }).click();
  await expect(page.getByTestId("kpi-orders")).toContainText("2");
  await expect(page.getByTestId("kpi-revenue")).toContainText("$55.50");
  await expect(page.getByTestId("kpi-cancelled")).toContainText("1 · $18.50");
  await expect(page.getByTestId("payments-table")).toContainText("CARD");
  await expect(page.getByTestId("payments-table")).toContainText("$37.00");
  await expect(page.getByTestId("payments-table")).toContainText("CASH");
  await expect(page.getByTestId("cancellations-table")).toContainText("end of the test");
  await expect(page.getByTestId("items-table")).toContainText("Steak frites");
  await expect(page.getByTestId("stations-table")).toContainText("grill");
  await expect(page.locator('[data-testid^="heat-"]')).toHaveCount(1);
  await expect(page.getByTestId("reports-by-day").locator(".recharts-bar-rectangle").first()).toBeVisible();
  await page.screenshot({ path: "/tmp/reports-tablet.png", fullPage: true });

  // Every table's CSV button is a download of that table.
  const href = await page.getByTestId("reports-payments").getByTestId("csv-link").getAttribute("href");
  const csv = await context.request.get(href!);
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  expect(await csv.text()).toBe("method,orders,amount\r\nCARD,1,37.00\r\nCASH,1,18.50\r\n");

  // Another restaurant's report is not found for this operator; a bad date names its field.
  expect((await context.request.get("/api/reports/summary?partner=demo&from=2026-01-01&to=2026-01-02")).status()).toBe(404);
  const bad = await context.request.get(`/api/reports/summary?partner=${SLUG}&from=2026-13-01&to=2026-01-02`);
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error.details.field).toBe("from");
  // The Z reports: none yet for a restaurant opened today; a day's PDF path reaches the route (its JSON 404, not a page).
  const z = await context.request.get(`/api/reports/z?partner=${SLUG}`);
  expect(await z.json()).toEqual({ partner: SLUG, reports: [] });
  const pdf = await context.request.get(`/api/reports/z/2026-01-01.pdf?partner=${SLUG}`);
  expect(pdf.status()).toBe(404);
  expect((await pdf.json()).error.code).toBe("NOT_FOUND");
  await context.close();
});
