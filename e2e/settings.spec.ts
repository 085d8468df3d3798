/**
 * The back office (issue "Cashier and back office", item 2): an operator sets the restaurant's
 * currency and locale on /settings; a wall TV pairs by code and shows the kitchen without anyone
 * typing a password on it; the tables' QR sheet renders for A4. A fresh restaurant, so the demo's
 * money stays as the other specs expect it.
 */
import path from "node:path";
import QRCode from "qrcode";
import { KitchenPage } from "./pages/screens";
import { PairPage, SettingsPage } from "./pages/settings-page";
import { confirmOrder, configuredOrigin, expect, placeOrder, signIn, test } from "./support/fixtures";
import { ROOT, cli } from "./support/processes";

const DATA_DIR = path.join(ROOT, ".e2e-data");
const SLUG = `office-${Date.now().toString(36)}`;
const OPERATOR = { username: `${SLUG}-op`, password: "office-operator-pass-4821" };
const TABLET = { width: 1280, height: 800 };
const TV = { width: 1920, height: 1080 };

function run(args: string[]) {
  const out = cli(DATA_DIR, args);
  expect(out.status, `${args.join(" ")}\n${out.stdout}${out.stderr}`).toBe(0);
}

test.beforeAll(async ({ playwright }) => {
  run(["partner", "add", "--slug", SLUG, "--name", "Office Café"]);
  run(["user", "add", "--partner", SLUG, "--role", "operator", "--username", OPERATOR.username, "--password", OPERATOR.password]);
  // The grill the wall TV will show (the menu API, as /menu would).
  const api = await playwright.request.newContext({ baseURL: configuredOrigin() });
  await signIn(api, OPERATOR);
  const headers = { origin: configuredOrigin() };
  const res = await api.post("/api/stations", { data: { partner: SLUG, key: "grill", name: "Grill" }, headers });
  expect(res.status(), await res.text()).toBe(201);
  // A dish cooked there, for the ticket the TV shows once paired.
  const category = await api.post("/api/categories", { data: { partner: SLUG, name: "Mains" }, headers });
  expect(category.status(), await category.text()).toBe(201);
  const food = await api.post("/api/foods", {
    data: { partner: SLUG, name: "Steak frites", price: "18.5", categoryId: (await category.json()).id, station: "grill" },
    headers,
  });
  expect(food.status(), await food.text()).toBe(201);
  await api.dispose();
});

test("an operator changes the currency to EUR and the locale to fr-FR; a bad currency is refused under its field", async ({ browser }) => {
  const context = await browser.newContext({ viewport: TABLET, hasTouch: true });
  await signIn(context.request, OPERATOR);
  const page = await context.newPage();
  const settings = new SettingsPage(page);
  await settings.goto();
  await expect(page.getByTestId("settings-partner-name")).toHaveText("Office Café");
  await expect(page.getByTestId("profile-currency")).toHaveValue("USD");
  await expect(page.getByTestId("profile-money-preview")).toHaveText("$1,234.50");

  // Refused by the server, named under the input; nothing saved.
  await page.getByTestId("profile-currency").fill("EUX");
  await page.getByTestId("profile-save").click();
  await expect(settings.fieldError("currency")).toContainText("unknown currency");
  expect((await (await context.request.get(`/api/partners/${SLUG}`)).json()).currency).toBe("USD");

  await page.getByTestId("profile-currency").fill("EUR");
  await page.getByTestId("profile-locale").fill("fr-FR");
  // fr-FR groups with a narrow no-break space and puts the sign after.
  await expect(page.getByTestId("profile-money-preview")).toHaveText(/^1\s234,50\s€$/);
  await page.getByTestId("profile-payment").selectOption("CARD");
  await page.locator('[data-testid="profile-auto-source"][data-source="kiosk"]').click();
  await settings.saveProfile();
  await expect(settings.fieldError("currency")).toHaveCount(0);
  await page.screenshot({ path: "/tmp/settings-restaurant.png", fullPage: true });

  await page.reload();
  await expect(page.getByTestId("profile-currency")).toHaveValue("EUR");
  await expect(page.getByTestId("profile-locale")).toHaveValue("fr-FR");
  const profile = await (await context.request.get(`/api/partners/${SLUG}`)).json();
  expect(profile).toMatchObject({ currency: "EUR", locale: "fr-FR", defaultPaymentMethod: "CARD", autoConfirmSources: ["kiosk"] });
  // Reloaded, the back office speaks the restaurant's language (lib/i18n).
  await expect(settings.tab("users")).toHaveText("Utilisateurs");
  await expect(page.getByTestId("profile-save")).toHaveText("Enregistrer");
  await expect(page.getByTestId("profile-expo")).toContainText("La passe confirme PRÊT : non");
  await page.screenshot({ path: "/tmp/settings-restaurant-fr.png", fullPage: true });

  // The later tests read the English words: the restaurant speaks English again.
  const back = await context.request.patch(`/api/partners/${SLUG}`, { data: { locale: "en-US" }, headers: { origin: configuredOrigin() } });
  expect(back.status(), await back.text()).toBe(200);
  await context.close();
});

test("a wall TV opens /pair, the operator enters its code and picks kitchen / grill, and the TV shows the kitchen — no password typed on it", async ({
  browser,
}) => {
  const tvContext = await browser.newContext({ viewport: TV });
  const tv = await tvContext.newPage();
  const pair = new PairPage(tv);
  await pair.goto();
  const code = await pair.code();
  expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
  const link = await pair.qrLink();
  expect(link).toBe(`${configuredOrigin()}/settings/devices?pair=${code.replace("-", "")}`);
  await tv.screenshot({ path: "/tmp/pair-tv.png" });

  // The operator's phone "scans" the QR: its link opens the devices tab with the code filled in.
  const opContext = await browser.newContext({ viewport: { width: 820, height: 1180 }, hasTouch: true });
  await signIn(opContext.request, OPERATOR);
  const op = await opContext.newPage();
  await op.goto(link.replace(configuredOrigin(), ""));
  const settings = new SettingsPage(op);
  await expect(op.getByTestId("pair-code-input")).toHaveValue(code.replace("-", ""));
  await expect(op.getByTestId("pair-warning")).toBeVisible();
  // A mistyped code first: refused under the code, the TV keeps waiting.
  await op.getByTestId("pair-code-input").fill("ZZZZ-ZZZZ");
  await op.getByTestId("pair-submit").click();
  await expect(settings.fieldError("code")).toBeVisible();
  await expect(tv.getByTestId("pair-screen")).toHaveAttribute("data-state", "waiting");

  // Typed as read off the TV, with the dash.
  await op.getByTestId("pair-code-input").fill(code);
  await op.getByTestId("pair-role").selectOption("kitchen");
  await op.getByTestId("pair-station").selectOption("grill");
  await op.getByTestId("pair-name").fill("Grill TV");
  await op.getByTestId("pair-submit").click();
  await expect(op.getByTestId("pair-result")).toContainText("/kitchen?station=grill");
  await op.screenshot({ path: "/tmp/settings-devices.png", fullPage: true });

  // The TV goes to its kitchen by itself, signed in as its device (an httpOnly cookie).
  await expect(tv).toHaveURL(/\/kitchen\?station=grill$/, { timeout: 15_000 });
  await expect(tv.getByTestId("connection-badge")).toHaveAttribute("data-status", "live");
  await expect(tv.getByTestId("login-form")).toHaveCount(0);
  const cookies = await tvContext.cookies();
  const device = cookies.find((c) => c.name === "pass_device");
  expect(device?.httpOnly).toBe(true);
  expect(cookies.some((c) => c.name === "pass_session")).toBe(false);
  // …and it is the kitchen: a confirmed order's ticket appears on it.
  const placed = await placeOrder(opContext.request, { partner: SLUG, items: [{ food: "Steak frites" }], table: "7" });
  const confirmed = await confirmOrder(opContext.request, placed.id);
  const kitchen = new KitchenPage(tv);
  await expect(kitchen.ticket(confirmed.ticketNumber)).toBeVisible();
  await expect(kitchen.ticket(confirmed.ticketNumber)).toContainText("Steak frites");
  await tv.screenshot({ path: "/tmp/pair-tv-kitchen.png" });

  // The back office sees the new device appear without a reload.
  await expect(settings.device("Grill TV")).toBeVisible();

  // The code is spent: claiming it again is refused under the code.
  await op.getByTestId("pair-code-input").fill(code);
  await op.getByTestId("pair-submit").click();
  await expect(settings.fieldError("code")).toContainText("used already");

  // The back office lists it, seen; revoking it sends the TV back to the sign-in on its next load.
  await op.reload();
  await expect(settings.device("Grill TV")).toBeVisible();
  await expect(settings.device("Grill TV").getByTestId("device-last-seen")).not.toHaveText("last seen never");
  await settings.device("Grill TV").getByTestId("device-revoke").click();
  await settings.device("Grill TV").getByTestId("device-revoke-confirm").click();
  await expect(settings.device("Grill TV")).toHaveAttribute("data-revoked", "true");
  await tv.reload();
  await expect(tv).toHaveURL(/\/login/);
  await tvContext.close();
  await opContext.close();
});

test("users: the password policy is shown under its field; a kitchen user is added", async ({ browser }) => {
  const context = await browser.newContext({ viewport: TABLET });
  await signIn(context.request, OPERATOR);
  const page = await context.newPage();
  const settings = new SettingsPage(page);
  await settings.goto("users");
  // An operator is offered no admin role.
  await expect(page.getByTestId("user-role").locator("option")).toHaveText([/Operator/, /Kitchen/]);
  await page.getByTestId("user-username").fill(`${SLUG}-cook`);
  await page.getByTestId("user-password").fill("short");
  await page.getByTestId("user-add-submit").click();
  await expect(settings.fieldError("password")).toContainText("at least 10");
  await page.getByTestId("user-password").fill("grill-cook-pass-8812");
  await page.getByTestId("user-add-submit").click();
  await expect(settings.user(`${SLUG}-cook`)).toHaveAttribute("data-role", "kitchen");
  await page.screenshot({ path: "/tmp/settings-users.png", fullPage: true });
  await context.close();
});

test("tables: names saved, and the A4 sheet of QR codes links /order/{slug}?table=…", async ({ browser }) => {
  const context = await browser.newContext({ viewport: TABLET });
  await signIn(context.request, OPERATOR);
  const page = await context.newPage();
  const settings = new SettingsPage(page);
  await settings.goto("tables");
  await page.getByTestId("table-up-to").fill("10");
  await page.getByTestId("table-add-range").click();
  await page.getByTestId("table-name").fill("Terrace");
  await page.getByTestId("table-add").click();
  await expect(page.getByTestId("table-chip")).toHaveCount(11);
  await page.getByTestId("tables-save").click();
  await expect(page.getByTestId("tables-save")).toBeDisabled();

  const [sheet] = await Promise.all([context.waitForEvent("page"), page.getByTestId("tables-print").click()]);
  await expect(sheet.getByTestId("table-card")).toHaveCount(11);
  const terrace = sheet.getByTestId("table-card").filter({ hasText: "Table Terrace" });
  await expect(terrace).toHaveAttribute("data-url", `${configuredOrigin()}/order/${SLUG}?table=Terrace`);
  await expect(terrace.locator("svg")).toBeVisible();
  // The card's QR is exactly the code of its link (the same encoder and options drawn here).
  const expected = await QRCode.toString(`${configuredOrigin()}/order/${SLUG}?table=Terrace`, {
    type: "svg",
    margin: 1,
    errorCorrectionLevel: "M",
  });
  const drawn = await terrace.locator(".print-sheet-qr").innerHTML();
  const modules = (svg: string) => /<path[^>]*stroke="#000000"[^>]*d="([^"]+)"/.exec(svg)?.[1];
  expect(modules(drawn)).toBeTruthy();
  expect(modules(drawn)).toBe(modules(expected));
  await sheet.screenshot({ path: "/tmp/tables-sheet.png", fullPage: true });
  await sheet.emulateMedia({ media: "print" });
  await expect(sheet.getByTestId("sheet-print")).toBeHidden();
  await sheet.screenshot({ path: "/tmp/tables-sheet-print.png", fullPage: true });
  // Printed with the page's own @page: A4 (595 × 842 pt), 11 tables on one page (3 × 4 per page).
  const pdf = (await sheet.pdf({ preferCSSPageSize: true, printBackground: true })).toString("latin1");
  expect(pdf.match(/\/Type\s*\/Page\b/g)).toHaveLength(1);
  const box = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(pdf);
  expect([Math.round(Number(box?.[1])), Math.round(Number(box?.[2]))]).toEqual([595, 842]);
  // The link a guest's phone opens is the menu with the table filled in.
  const guest = await browser.newPage();
  await guest.goto(`/order/${SLUG}?table=Terrace`);
  await expect(guest.locator("body")).toContainText("Office Café");
  await guest.close();
  await context.close();
});
