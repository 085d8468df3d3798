/**
 * The back office (issue "The menu", item 4): the operator of a new restaurant builds its whole
 * menu on /menu from nothing, on a tablet, and the public menu API serves exactly that menu;
 * then a guest orders from it on a phone and it goes through the kitchen and the printer.
 */
import path from "node:path";
import { MenuPage } from "./pages/menu-page";
import { OrderPage } from "./pages/order-page";
import { KitchenPage, PrinterPage, disableAutoPrint } from "./pages/screens";
import { configuredOrigin, expect, signIn, test } from "./support/fixtures";
import { ROOT, cli } from "./support/processes";

// The configured server's data directory (playwright.config.ts webServer): the CLI writes beside it.
const DATA_DIR = path.join(ROOT, ".e2e-data");
const SLUG = `bistro-${Date.now().toString(36)}`;
const OPERATOR = { username: `${SLUG}-op`, password: "menu-operator-pass-4821" };
const COOK = { username: `${SLUG}-cook`, password: "menu-kitchen-pass-4821" };
const TABLET = { width: 1180, height: 820 };
// A 1×1 PNG, served for the dish's image URL (nothing leaves the machine).
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");

function run(args: string[]) {
  const out = cli(DATA_DIR, args);
  expect(out.status, `${args.join(" ")}\n${out.stdout}${out.stderr}`).toBe(0);
}

test.beforeAll(() => {
  run(["partner", "add", "--slug", SLUG, "--name", "Bistro Nuevo"]);
  run(["user", "add", "--partner", SLUG, "--role", "operator", "--username", OPERATOR.username, "--password", OPERATOR.password]);
  run(["user", "add", "--partner", SLUG, "--role", "kitchen", "--username", COOK.username, "--password", COOK.password]);
});

test("an operator builds a new restaurant's menu on /menu from nothing", async ({ browser }) => {
  test.setTimeout(180_000);
  const context = await browser.newContext({ viewport: TABLET, hasTouch: true });
  await signIn(context.request, OPERATOR);
  const page = await context.newPage();
  await page.route("https://img.example/**", (route) => route.fulfill({ contentType: "image/png", body: PNG }));
  const menu = new MenuPage(page);

  // Home links the back office for an operator.
  await page.goto("/");
  await expect(page.getByTestId("screen-menu")).toBeVisible();
  await page.getByTestId("screen-menu").click();
  await expect(page).toHaveURL(/\/menu$/);
  await expect(page.getByTestId("menu-partner-name")).toHaveText("Bistro Nuevo");
  await expect(page.getByTestId("dishes-setup")).toBeVisible();
  await page.screenshot({ path: "/tmp/menuscreen-empty.png" });

  // Stations, in the order the pass reads them.
  await menu.tab("stations");
  await menu.addStation("grill", "Grill", "12");
  await menu.addStation("bar", "Bar", "3");
  await expect(page.getByTestId("station-row")).toHaveCount(2);
  await page.screenshot({ path: "/tmp/menuscreen-stations.png" });

  // Categories: add, rename one, and a duplicate is refused under the name field.
  await menu.tab("categories");
  await menu.addCategory("Mains");
  await menu.addCategory("Drink");
  await menu.category("Drink").getByTestId("category-rename").fill("Drinks");
  await menu.category("Drink").getByTestId("category-save").click();
  await expect(menu.category("Drinks")).toBeVisible();
  await page.getByTestId("category-name").fill("mains");
  await page.getByTestId("category-add").click();
  await expect(menu.fieldError(page.getByTestId("category-form"), "name")).toContainText("already exists");
  await expect(page.getByTestId("category-row")).toHaveCount(2);
  await page.screenshot({ path: "/tmp/menuscreen-categories.png" });

  // A required group: min 1, max 1, two options.
  await menu.tab("groups");
  await menu.fillGroup("Doneness", "1", "1", [{ name: "Medium rare" }, { name: "Well done" }]);
  await expect(menu.groupForm().getByTestId("group-required")).toBeVisible();
  await menu.groupForm().getByTestId("group-save").click();
  await expect(menu.groupForm().getByTestId("group-status")).toHaveText("Group added");
  await expect(menu.group("Doneness")).toContainText("Required");

  // An optional group with price deltas; the server's refusal of one option's delta lands under that option.
  await page.getByTestId("new-group").click();
  await menu.fillGroup("Extras", "0", "2", [
    { name: "Bacon", delta: "+2.005" },
    { name: "Extra cheese", delta: "+1.50", allergens: ["milk"] },
  ]);
  await expect(menu.groupForm().getByTestId("group-required")).toHaveCount(0);
  await menu.groupForm().getByTestId("group-save").click();
  const deltaError = menu.fieldError(menu.groupForm(), "options.0.priceDelta");
  await expect(deltaError).toContainText("at most 2 decimals");
  await expect(menu.groupForm().getByTestId("option-row").nth(0)).toContainText("at most 2 decimals");
  await expect(menu.group("Extras")).toHaveCount(0); // nothing written
  await page.screenshot({ path: "/tmp/menuscreen-group-error.png" });
  await menu.groupForm().getByTestId("option-row").nth(0).getByTestId("option-delta").fill("+2.00");
  await menu.groupForm().getByTestId("group-save").click();
  await expect(menu.groupForm().getByTestId("group-status")).toHaveText("Group added");
  await expect(menu.group("Extras")).toContainText("Optional, up to 2");
  // Editing a saved group: a new option, moved to the top by keyboard, saved with the order.
  await menu.groupForm().getByTestId("option-add").click();
  const egg = menu.groupForm().getByTestId("option-row").nth(2);
  await egg.getByTestId("option-name").fill("Fried egg");
  await egg.getByTestId("option-delta").fill("1");
  await egg.getByTestId("drag-handle").focus();
  await page.keyboard.press("Alt+ArrowUp");
  await page.keyboard.press("Alt+ArrowUp");
  for (const [i, name] of ["Fried egg", "Bacon", "Extra cheese"].entries())
    await expect(menu.groupForm().getByTestId("option-name").nth(i)).toHaveValue(name);
  await expect(menu.groupForm().getByTestId("option-row").nth(0).getByTestId("drag-handle")).toBeFocused();
  await menu.groupForm().getByTestId("group-save").click();
  await expect(menu.groupForm().getByTestId("group-status")).toHaveText("Saved");
  await expect(menu.group("Extras")).toContainText("3 option(s)");
  await page.screenshot({ path: "/tmp/menuscreen-groups.png" });

  // Dishes. A wrong price: the client's check, then the server's (2 decimals), each under the price field.
  await menu.tab("dishes");
  const form = menu.dishForm();
  await menu.fillDish({
    name: "Steak frites",
    description: "Grass-fed rib-eye, hand-cut fries",
    imageUrl: "https://img.example/steak.png",
    price: "abc",
    prepMinutes: "15",
    category: "Mains",
    station: "Grill",
    allergens: ["mustard"],
    groups: ["Doneness", "Extras"],
  });
  await form.getByTestId("dish-save").click();
  await expect(menu.fieldError(form, "price")).toHaveText("Use a number, e.g. 12.50");
  await expect(form.getByTestId("dish-price")).toHaveAttribute("aria-invalid", "true");
  await form.getByTestId("dish-price").fill("24.505");
  await form.getByTestId("dish-save").click();
  await expect(menu.fieldError(form, "price")).toContainText("at most 2 decimals");
  await expect(page.getByTestId("dish-row")).toHaveCount(0); // nothing written
  await page.screenshot({ path: "/tmp/menuscreen-price-error.png" });
  await form.getByTestId("dish-price").fill("24.50");
  await form.getByTestId("dish-save").click();
  await expect(form.getByTestId("dish-status")).toHaveText("Dish added");
  await expect(menu.fieldError(form, "price")).toHaveCount(0);

  // The preview is the customer's card of the dish being edited.
  const preview = menu.preview();
  await expect(preview.getByTestId("preview-name")).toHaveText("Steak frites");
  await expect(preview.getByTestId("preview-description")).toHaveText("Grass-fed rib-eye, hand-cut fries");
  await expect(preview.getByTestId("preview-price")).toHaveText("$24.50");
  await expect(preview.getByTestId("preview-image")).toHaveAttribute("src", "https://img.example/steak.png");
  await expect(preview.getByTestId("preview-allergens")).toHaveText("Mustard");
  await expect(preview.getByTestId("preview-group")).toHaveCount(2);
  await expect(preview.getByTestId("preview-group").nth(0)).toContainText("Doneness");
  await expect(preview.getByTestId("preview-group").nth(0).getByTestId("preview-required")).toBeVisible();
  await expect(preview.getByTestId("preview-group").nth(1)).toContainText("Fried egg+$1.00Bacon+$2.00Extra cheese+$1.50");
  await expect(preview.getByTestId("preview-group").nth(1).getByTestId("preview-required")).toHaveCount(0);
  // It follows the draft before saving.
  await form.getByTestId("dish-surcharge").fill("0.50");
  await expect(preview.getByTestId("preview-price")).toHaveText("$25.00");
  await form.getByTestId("dish-surcharge").fill("");
  await expect(preview.getByTestId("preview-price")).toHaveText("$24.50");
  await page.screenshot({ path: "/tmp/menuscreen-preview.png" });

  await page.getByTestId("new-dish").click();
  await menu.fillDish({ name: "Cheeseburger", price: "14.00", category: "Mains", station: "Grill", allergens: ["gluten", "milk"] });
  await form.getByTestId("dish-save").click();
  await expect(form.getByTestId("dish-status")).toHaveText("Dish added");
  await page.getByTestId("new-dish").click();
  await menu.fillDish({ name: "Lemonade", price: "4.00", prepMinutes: "2", category: "Drinks", station: "Bar" });
  await form.getByTestId("dish-save").click();
  await expect(form.getByTestId("dish-status")).toHaveText("Dish added");
  await expect(menu.dishes("Mains")).toHaveText([/Steak frites/, /Cheeseburger/]);

  // Reorder two dishes by keyboard: Alt+ArrowUp on the burger's handle (≥ 44 px).
  const handle = menu.dish("Cheeseburger").getByTestId("drag-handle");
  const box = (await handle.boundingBox())!;
  expect(box.width).toBeGreaterThanOrEqual(44);
  expect(box.height).toBeGreaterThanOrEqual(44);
  await handle.focus();
  await page.keyboard.press("Alt+ArrowUp");
  await expect(menu.dishes("Mains")).toHaveText([/Cheeseburger/, /Steak frites/]);
  await expect(handle).toBeFocused();
  await menu.settled();
  // The order is the server's, not only the screen's.
  await page.reload();
  await expect(menu.dishes("Mains")).toHaveText([/Cheeseburger/, /Steak frites/]);
  await expect(menu.dishes("Drinks")).toHaveText([/Lemonade/]);
  await menu.dish("Steak frites").getByTestId("dish-edit").click();
  await expect(menu.preview().getByTestId("preview-name")).toHaveText("Steak frites");
  await page.screenshot({ path: "/tmp/menuscreen-dishes.png" });
  await page.setViewportSize({ width: 1024, height: 768 });
  await expect(menu.preview()).toBeInViewport();
  await page.screenshot({ path: "/tmp/menuscreen-dishes-1024.png" });

  // GET /api/menu?partner= is exactly that menu, in that order (money as seeds/003 writes it: "24.5").
  const res = await context.request.get(`/api/menu?partner=${SLUG}`);
  expect(res.status()).toBe(200);
  const body = await res.json();
  expect(body.categories.map((c: { name: string }) => c.name)).toEqual(["Mains", "Drinks"]);
  const [mains, drinks] = body.categories.map((c: { id: string }) => c.id);
  const groups = body.modifierGroups as { id: string; name: string }[];
  expect(groups.map((g) => ({ ...g, id: undefined, options: undefined }))).toEqual([
    { name: "Doneness", min: 1, max: 1, required: true, position: 0, archived: false },
    { name: "Extras", min: 0, max: 2, required: false, position: 1, archived: false },
  ]);
  expect(
    body.modifierGroups.map(
      (g: { options: { name: string; priceDelta: string; allergens: string[]; station: string | null; available: boolean }[] }) =>
        g.options.map(({ name, priceDelta, allergens, station, available }) => ({ name, priceDelta, allergens, station, available })),
    ),
  ).toEqual([
    [
      { name: "Medium rare", priceDelta: "0", allergens: [], station: null, available: true },
      { name: "Well done", priceDelta: "0", allergens: [], station: null, available: true },
    ],
    [
      { name: "Fried egg", priceDelta: "1", allergens: [], station: null, available: true },
      { name: "Bacon", priceDelta: "2", allergens: [], station: null, available: true },
      { name: "Extra cheese", priceDelta: "1.5", allergens: ["milk"], station: null, available: true },
    ],
  ]);
  const [doneness, extras] = groups.map((g) => g.id);
  expect(
    body.foods.map((f: Record<string, unknown>) => ({
      name: f.name,
      description: f.description,
      imageUrl: f.imageUrl,
      price: f.price,
      surcharge: f.surcharge,
      category: f.category,
      categoryId: f.categoryId,
      station: f.station,
      prepMinutes: f.prepMinutes,
      allergens: f.allergens,
      available: f.available,
      modifierGroupIds: f.modifierGroupIds,
    })),
  ).toEqual([
    {
      name: "Cheeseburger",
      description: null,
      imageUrl: null,
      price: "14",
      surcharge: "0",
      category: "Mains",
      categoryId: mains,
      station: "grill",
      prepMinutes: null,
      allergens: ["gluten", "milk"],
      available: true,
      modifierGroupIds: [],
    },
    {
      name: "Steak frites",
      description: "Grass-fed rib-eye, hand-cut fries",
      imageUrl: "https://img.example/steak.png",
      price: "24.5",
      surcharge: "0",
      category: "Mains",
      categoryId: mains,
      station: "grill",
      prepMinutes: 15,
      allergens: ["mustard"],
      available: true,
      modifierGroupIds: [doneness, extras],
    },
    {
      name: "Lemonade",
      description: null,
      imageUrl: null,
      price: "4",
      surcharge: "0",
      category: "Drinks",
      categoryId: drinks,
      station: "bar",
      prepMinutes: 2,
      allergens: [],
      available: true,
      modifierGroupIds: [],
    },
  ]);
  const staff = await (await context.request.get(`/api/menu/manage?partner=${SLUG}`)).json();
  expect(staff.stations.map((s: { key: string; name: string; prepMinutes: number | null }) => [s.key, s.name, s.prepMinutes])).toEqual([
    ["grill", "Grill", 12],
    ["bar", "Bar", 3],
  ]);
  await context.close();
});

test("the kitchen may not edit the menu; signed out goes to the login", async ({ browser }) => {
  const context = await browser.newContext({ viewport: TABLET });
  const page = await context.newPage();
  await page.goto("/menu");
  await expect(page).toHaveURL(/\/login\?next=%2Fmenu/);
  await signIn(context.request, COOK);
  await page.goto("/menu");
  await expect(page.getByTestId("menu-forbidden")).toBeVisible();
  await expect(page.getByTestId("menu-screen")).toHaveCount(0);
  await page.goto("/");
  await expect(page.getByTestId("screen-kitchen")).toBeVisible();
  await expect(page.getByTestId("screen-menu")).toHaveCount(0);
  // The API agrees: a kitchen user's write is refused.
  const res = await context.request.post("/api/categories", {
    data: { partner: SLUG, name: "Specials" },
    headers: { origin: new URL(page.url()).origin },
  });
  expect(res.status()).toBe(403);
  await context.close();
});

test("the menu built above, end to end: a guest orders with options and a peanut allergy on a phone; the kitchen shows the band and cannot bump before 'Allergy seen'; the printer slip has the options and the inverted allergy line", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  const office = await browser.newContext({ viewport: TABLET });
  const wall = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  await disableAutoPrint(office);
  await signIn(office.request, OPERATOR);
  await signIn(wall.request, COOK);
  try {
    // The guest, on the restaurant's QR page.
    const order = new OrderPage(await phone.newPage());
    await order.page.route("https://img.example/**", (route) => route.fulfill({ contentType: "image/png", body: PNG }));
    await order.goto(SLUG, { table: "4" });
    await order.openAllergies();
    await order.allergen("peanuts").click();
    await order.closeAllergies();
    await order.openChoices("Steak frites");
    await expect(order.addChoice).toBeDisabled(); // Doneness is required
    await order.option("Doneness", "Medium rare").click();
    await order.option("Extras", "Bacon").click();
    await expect(order.sheet.getByTestId("choice-price")).toHaveText("$26.50");
    await order.page.screenshot({ path: "/tmp/flow-guest-choices.png" });
    await order.addChoice.click();
    await order.dish("Lemonade").getByTestId("menu-add").click();
    await expect(order.cartLine("Steak frites").getByTestId("cart-option")).toHaveText(["+ Medium rare", "+ Bacon (+$2.00)"]);
    await expect(order.total).toHaveText("$30.50");
    await order.page.screenshot({ path: "/tmp/flow-guest-cart.png", fullPage: true });
    await order.placeOrder.click();
    await expect(order.page).toHaveURL(/\/track\/\d+\?token=trk_/);
    const orderId = Number(/\/track\/(\d+)/.exec(order.page.url())![1]);

    // The operator confirms it; kitchen (wall TV) and printer are open.
    const kitchen = new KitchenPage(await wall.newPage());
    const printer = new PrinterPage(await office.newPage());
    await Promise.all([kitchen.goto(), printer.goto()]);
    const res = await office.request.post(`/api/orders/${orderId}/confirm`, {
      data: { paymentMethod: "CARD" },
      headers: { origin: configuredOrigin() },
    });
    expect(res.status(), await res.text()).toBe(200);
    const confirmed = (await res.json()) as { ticketNumber: number; total: string };
    expect(confirmed.total).toBe("30.5");
    const ticket = confirmed.ticketNumber;

    // Kitchen: the red band; the bump is refused until the tap.
    await kitchen.reveal(ticket);
    await expect(kitchen.allergyBand(ticket)).toContainText("ALLERGY: Peanuts");
    await expect(kitchen.ticket(ticket).getByTestId("line-option")).toHaveText(["+ Medium rare", "+ Bacon"]);
    await kitchen.bump(ticket);
    await expect(kitchen.ticket(ticket).getByTestId("bump-refused")).toHaveText("Tap ALLERGY SEEN first");
    await expect(kitchen.ticket(ticket)).toHaveAttribute("data-status", "CONFIRMED");
    await kitchen.page.screenshot({ path: "/tmp/flow-kitchen-band.png" });
    await kitchen.allergySeen(ticket);
    await expect(kitchen.allergyBand(ticket)).toContainText(`Seen by ${COOK.username}`);
    await kitchen.expoBump(ticket);
    await expect(kitchen.ready(ticket)).toBeVisible();

    // Printer: the grill slip with the options and the allergy line white on black.
    const grill = printer.entries("kitchen").and(printer.page.locator(`[data-ticket="${ticket}"][data-station="grill"]`));
    await expect(grill).toHaveCount(1);
    await printer.show(grill);
    const slip = printer.slip();
    await expect(slip.getByTestId("slip-option")).toHaveText(["+ Medium rare", "+ Bacon"]);
    const allergy = slip.getByTestId("slip-allergy");
    await expect(allergy).toHaveText("ALLERGY: PEANUTS");
    expect(await allergy.evaluate((el) => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor])).toEqual([
      "rgb(255, 255, 255)",
      "rgb(0, 0, 0)",
    ]);
    await printer.page.screenshot({ path: "/tmp/flow-printer-slip.png" });
  } finally {
    for (const c of [phone, office, wall]) await c.close();
  }
});
