import { expect, test } from "@playwright/test";
import { E2E_ADMIN_PASSWORD } from "../playwright.config";
import { HomePage, LoginPage } from "./pages/login-page";

test("the home page sends a visitor to the login page", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/login$/);
});

test("a wrong password shows a clear error and no session", async ({ page, context }) => {
  const login = new LoginPage(page);
  await login.goto();
  await login.signIn("admin", "not-the-password");
  await expect(login.error()).toHaveText("wrong username or password");
  expect((await context.cookies()).find((c) => c.name === "pass_session")).toBeUndefined();
});

test("the admin signs in, sees every screen, and signs out", async ({ page, context }, testInfo) => {
  const login = new LoginPage(page);
  await login.goto();
  await login.signIn("admin", E2E_ADMIN_PASSWORD);
  await expect(page).toHaveURL(/\/$/);

  const home = new HomePage(page);
  await expect(home.user()).toContainText("admin");
  for (const channel of ["cashier", "kitchen", "display", "printer", "partner"]) {
    await expect(home.screen(channel)).toBeVisible();
  }
  await expect(page.getByTestId("partner-list")).toContainText("Demo Diner");

  const cookie = (await context.cookies()).find((c) => c.name === "pass_session");
  expect(cookie?.httpOnly).toBe(true);
  expect(cookie?.sameSite).toBe("Lax");
  // The session cookie is invisible to page scripts.
  expect(await page.evaluate(() => document.cookie)).not.toContain("pass_session");

  // Touch targets are at least 44 px high.
  const box = await home.screen("cashier").boundingBox();
  expect(box!.height).toBeGreaterThanOrEqual(44);
  await page.screenshot({ path: testInfo.outputPath("home.png"), fullPage: true });

  await home.signOut();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/login$/);
});
