/**
 * A guest orders on a phone (390×844) from the customer page: a dish with a required group
 * (Add disabled until chosen) and an optional priced option, a peanut allergy declared; the
 * created order carries the options and the allergy and its total is the cart's. The page
 * follows the menu live: a dish the staff 86 turns "Sold out", a price change and a new dish
 * show up, without a reload. The menu the test needs is built through the menu API here.
 */
import AxeBuilder from "@axe-core/playwright";
import type { APIRequestContext, Page } from "@playwright/test";
import { OrderPage } from "./pages/order-page";
import { expect, test } from "./support/fixtures";

const SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96"><rect width="96" height="96" fill="#d97706"/><circle cx="48" cy="52" r="28" fill="#fde68a"/></svg>`;

/** No serious or critical axe violation on what is on screen now (an open sheet included). */
async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).slice(0, 3)})`)).toEqual([]);
}

type Food = { id: string; name: string; price: string };
type Group = { id: string; options: { id: string; name: string }[] };

/** The menu this spec orders from, on the demo partner, with names of this run. */
async function buildMenu(staff: APIRequestContext, origin: string, run: string) {
  const send = async <T>(method: "POST" | "PATCH" | "DELETE", path: string, data?: unknown): Promise<T> => {
    const res = await staff.fetch(path, { method, data, headers: { origin } });
    expect(res.status(), `${method} ${path}: ${await res.text()}`).toBeLessThan(300);
    return (await res.json()) as T;
  };
  const manage = await staff.get("/api/menu/manage?partner=demo");
  expect(manage.status()).toBe(200);
  const station = ((await manage.json()) as { stations: { key: string }[] }).stations[0]!.key;
  const category = await send<{ id: string }>("POST", "/api/categories", { partner: "demo", name: `Bowls ${run}` });
  const base = await send<Group>("POST", "/api/modifier-groups", {
    partner: "demo",
    name: "Base",
    min: 1,
    max: 1,
    options: [{ name: "Rice" }, { name: "Noodles", priceDelta: "0.50", allergens: ["gluten"] }],
  });
  const extras = await send<Group>("POST", "/api/modifier-groups", {
    partner: "demo",
    name: "Extras",
    min: 0,
    max: 3,
    options: [
      { name: "Peanut sauce", priceDelta: "1.20", allergens: ["peanuts"] },
      { name: "Fried egg", priceDelta: "1.00", allergens: ["eggs"] },
      { name: "Chili oil" },
    ],
  });
  const dish = (name: string, price: string, extra: Record<string, unknown> = {}) =>
    send<Food>("POST", "/api/foods", { partner: "demo", name, price, categoryId: category.id, station, ...extra });
  const bowl = await dish(`Satay Bowl ${run}`, "11.50", {
    description: "Grilled tofu, greens and pickles",
    imageUrl: "/e2e-images/bowl.svg",
    allergens: ["soybeans", "sesame"],
    modifierGroupIds: [base.id, extras.id],
  });
  const noodles = await dish(`Peanut Noodles ${run}`, "9.00", { allergens: ["peanuts", "gluten"] });
  const tea = await dish(`Jasmine Tea ${run}`, "3.00");
  return { send, station, category, base, extras, bowl, noodles, tea };
}

test("a guest orders with a required choice, a priced extra and a peanut allergy; the menu follows the staff live", async ({
  browser,
  staff,
  origin,
}, testInfo) => {
  const run = Date.now().toString(36).slice(-5);
  const menu = await buildMenu(staff, origin, run);
  const { send, bowl, noodles, tea } = menu;
  let lassi: Food | null = null;
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  try {
    await phone.route("**/e2e-images/*.svg", (route) => route.fulfill({ contentType: "image/svg+xml", body: SVG }));
    const page = await phone.newPage();
    const order = new OrderPage(page);
    await order.goto("demo", { table: "5" });
    await expect(page.getByTestId("order-table")).toHaveText("Table 5");

    // The card: description, image, price, allergens by name; the new category in its place.
    const bowlCard = order.dish(bowl.name);
    await expect(order.category(`Bowls ${run}`)).toBeVisible();
    await expect(bowlCard.getByTestId("menu-description")).toHaveText("Grilled tofu, greens and pickles");
    await expect(bowlCard.getByTestId("menu-image")).toBeVisible();
    await expect(bowlCard.getByTestId("menu-price")).toHaveText("from $11.50");
    await expect(bowlCard.getByTestId("allergen-badge")).toHaveText(["Soy", "Sesame"]);
    await bowlCard.scrollIntoViewIfNeeded();
    await expect
      .poll(() => bowlCard.getByTestId("menu-image").evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0)))
      .toBeGreaterThan(0);
    await page.screenshot({ path: testInfo.outputPath("guest-menu-390.png") });

    // Allergies: a peanut allergy and a note; the peanut dish is flagged, the bowl is not.
    await order.openAllergies();
    await expect(order.allergySheet.getByTestId("allergen-chip")).toHaveCount(14);
    await order.allergen("peanuts").click();
    await expect(order.allergen("peanuts")).toHaveAttribute("aria-pressed", "true");
    await order.allergySheet.getByTestId("allergy-note").fill("severe, please take care");
    await page.screenshot({ path: testInfo.outputPath("guest-allergy-sheet-390.png") });
    await expectAccessible(page);
    await order.closeAllergies();
    await expect(page.getByTestId("allergies-summary")).toHaveText("Avoiding: Peanuts, severe, please take care");
    await expect(order.dish(noodles.name).getByTestId("allergy-warning")).toHaveText("⚠ Contains Peanuts");
    await expect(bowlCard.getByTestId("allergy-warning")).toHaveCount(0);

    // The choice sheet: rules per group, Add disabled until the required base is chosen.
    await order.openChoices(bowl.name);
    await expect(order.group("Base").getByTestId("choice-rule")).toHaveText("Choose 1");
    await expect(order.group("Extras").getByTestId("choice-rule")).toHaveText("Up to 3");
    await expect(order.option("Base", "Rice").locator("input")).toHaveAttribute("type", "radio");
    await expect(order.option("Extras", "Fried egg").locator("input")).toHaveAttribute("type", "checkbox");
    await expect(order.option("Extras", "Peanut sauce").getByTestId("allergy-warning")).toHaveText("⚠ Contains Peanuts");
    await expect(order.addChoice).toBeDisabled();
    await expect(order.sheet.getByTestId("choice-missing")).toHaveText("Choose a base to add this dish");
    await expect(order.sheet.getByTestId("choice-price")).toHaveText("$11.50");
    await order.option("Extras", "Fried egg").click();
    await expect(order.sheet.getByTestId("choice-price")).toHaveText("$12.50");
    await expect(order.addChoice).toBeDisabled();
    await order.option("Base", "Noodles").click();
    await expect(order.sheet.getByTestId("choice-price")).toHaveText("$13.00");
    await expect(order.addChoice).toBeEnabled();
    await expect(order.sheet.getByTestId("choice-missing")).toHaveText("");
    await page.screenshot({ path: testInfo.outputPath("guest-choice-sheet-390.png") });
    await expectAccessible(page);
    await order.addChoice.click();
    await expect(order.sheet).toBeHidden();

    // The cart: the options under the line, unit price = price + deltas.
    await order.dish(tea.name).getByTestId("menu-add").click();
    const bowlLine = order.cartLine(bowl.name);
    await expect(bowlLine.getByTestId("cart-option")).toHaveText(["+ Noodles (+$0.50)", "+ Fried egg (+$1.00)"]);
    await expect(bowlLine.getByTestId("cart-line-total")).toHaveText("$13.00");
    await expect(order.total).toHaveText("$16.00");
    await expect(page.getByTestId("cart-bar")).toContainText("2 items");

    // Live: the staff 86 the tea — sold out on the card (not gone) and in the cart, without a reload.
    const teaCard = order.dish(tea.name);
    const t0 = Date.now();
    await send("POST", `/api/foods/${tea.id}/availability`, { available: false });
    await expect(teaCard.getByTestId("sold-out")).toBeVisible({ timeout: 2_000 });
    const soldOutAfterMs = Date.now() - t0;
    await expect(teaCard).toHaveAttribute("data-available", "false");
    await expect(teaCard.getByTestId("menu-add")).toHaveCount(0);
    await expect(order.cartLine(tea.name).getByTestId("cart-sold-out")).toBeVisible();
    await expect(order.placeOrder).toBeDisabled();
    console.log(`guest-menu: 86 → "Sold out" on the phone in ${soldOutAfterMs} ms`);
    expect(soldOutAfterMs).toBeLessThan(2_000);
    // A new dish appears, a price changes.
    lassi = await send<Food>("POST", "/api/foods", {
      partner: "demo",
      name: `Mango Lassi ${run}`,
      price: "4.00",
      categoryId: menu.category.id,
      station: menu.station,
    });
    await expect(order.dish(`Mango Lassi ${run}`)).toBeVisible({ timeout: 2_000 });
    await send("PATCH", `/api/foods/${bowl.id}`, { price: "12.00" });
    await expect(bowlCard.getByTestId("menu-price")).toHaveText("from $12.00", { timeout: 2_000 });
    await expect(bowlLine.getByTestId("cart-line-total")).toHaveText("$13.50");
    // The tea comes back; the cart can be sent again.
    await send("POST", `/api/foods/${tea.id}/availability`, { available: true });
    await expect(teaCard.getByTestId("sold-out")).toHaveCount(0, { timeout: 2_000 });
    await expect(order.placeOrder).toBeEnabled();
    await expect(order.total).toHaveText("$16.50");
    await page.getByTestId("cart").scrollIntoViewIfNeeded();
    await page.screenshot({ path: testInfo.outputPath("guest-menu-cart-390.png") });

    // Place it: the tracking page, and the order as the staff read it.
    await order.placeOrder.click();
    await expect(page).toHaveURL(/\/track\/\d+\?token=trk_/);
    await expect(page.getByTestId("track-status")).toHaveAttribute("data-status", "PENDING");
    const orderId = Number(/\/track\/(\d+)/.exec(page.url())![1]);
    const res = await staff.get(`/api/orders/${orderId}`);
    expect(res.status()).toBe(200);
    const created = await res.json();
    expect(created.total).toBe("16.5");
    expect(created.table).toBe("5");
    expect(created.allergies).toEqual({ codes: ["peanuts"], note: "severe, please take care" });
    expect(created.allergyAlert).toBe(true);
    const line = created.orderItems.find((i: { name: string }) => i.name === bowl.name);
    expect(line).toMatchObject({ quantity: 1, unitPrice: "13.5" });
    expect(line.modifiers).toEqual([
      { groupId: menu.base.id, groupName: "Base", options: [expect.objectContaining({ name: "Noodles", priceDelta: "0.5" })] },
      { groupId: menu.extras.id, groupName: "Extras", options: [expect.objectContaining({ name: "Fried egg", priceDelta: "1" })] },
    ]);
    // food ∪ options, in the EU 14 order
    expect(line.allergens).toEqual(["gluten", "eggs", "soybeans", "sesame"]);
    await expect(page.getByTestId("track-options").first()).toHaveText("+ Noodles · + Fried egg");
    await expect(page.getByTestId("track-allergies")).toContainText("Peanuts, severe, please take care");
    await page.screenshot({ path: testInfo.outputPath("guest-menu-track-390.png"), fullPage: true });
  } finally {
    await phone.close();
    // Leave the demo menu as it was for the specs that follow.
    for (const f of [bowl, noodles, tea, lassi]) if (f) await staff.fetch(`/api/foods/${f.id}`, { method: "DELETE", headers: { origin } });
    for (const g of [menu.base, menu.extras]) await staff.fetch(`/api/modifier-groups/${g.id}`, { method: "DELETE", headers: { origin } });
    await staff.fetch(`/api/categories/${menu.category.id}`, { method: "DELETE", headers: { origin } });
  }
});
