/**
 * Security headers on every kind of answer (security-headers.mjs: Next's pages and API answers
 * via next.config.mjs, server.ts's own streams), the screens working under that CSP, and the
 * login page's `next` staying on our origin.
 */
import http from "node:http";
import type { BrowserContext, Page } from "@playwright/test";
import { E2E_ADMIN_PASSWORD } from "../playwright.config";
import { LoginPage } from "./pages/login-page";
import { BoardPage, CashierPage, DashboardPage, KitchenPage, PrinterPage } from "./pages/screens";
import { confirmOrder, expect, placeOrder, test } from "./support/fixtures";

function expectSecurityHeaders(headers: Record<string, string | string[] | undefined>, what: string) {
  const csp = String(headers["content-security-policy"] ?? "");
  expect(csp, what).toContain("default-src 'self'");
  expect(csp, what).toContain("frame-ancestors 'none'");
  expect(csp, what).toContain("object-src 'none'");
  expect(csp, what).not.toContain("unsafe-eval");
  expect(scriptSrc(csp), what).not.toContain("'unsafe-inline'");
  expect(headers["x-frame-options"], what).toBe("DENY");
  expect(headers["x-content-type-options"], what).toBe("nosniff");
  expect(headers["referrer-policy"], what).toBe("strict-origin-when-cross-origin");
  const permissions = String(headers["permissions-policy"] ?? "");
  for (const feature of ["screen-wake-lock=(self)", "autoplay=(self)", "fullscreen=(self)"]) expect(permissions, what).toContain(feature);
}

function scriptSrc(csp: string): string {
  return csp.split(";").find((d) => d.trim().startsWith("script-src")) ?? "";
}

/** The response headers of a GET, without waiting for the body (streams never end). */
function headersOf(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers }, (res) => {
      resolve({ status: res.statusCode ?? 0, headers: res.headers });
      req.destroy();
    });
    req.on("error", reject);
  });
}

async function cookieHeader(context: BrowserContext) {
  return (await context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
}

function watchCsp(page: Page): string[] {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (message.text().includes("Content Security Policy")) violations.push(message.text());
  });
  page.on("pageerror", (err) => {
    if (err.message.includes("Content Security Policy")) violations.push(err.message);
  });
  return violations;
}

test("every page, API answer and stream carries the security headers", async ({ origin, staff, context }) => {
  for (const path of ["/", "/login", "/kitchen", "/api/health", "/api/menu?partner=demo", "/api/orders"]) {
    const res = await staff.get(path, { maxRedirects: 0 });
    expectSecurityHeaders(res.headers(), path);
  }
  const cookie = await cookieHeader(context);
  // Streams are written by server.ts itself, not by Next.
  for (const path of ["/api/events/cashier", "/events/kitchen"]) {
    const res = await headersOf(`${origin}${path}`, { cookie, accept: "text/event-stream" });
    expect(res.status, path).toBe(200);
    expect(res.headers["content-type"], path).toContain("text/event-stream");
    expectSecurityHeaders(res.headers, path);
  }
  // And its error answers.
  const refused = await headersOf(`${origin}/api/events/cashier`);
  expect(refused.status).toBe(401);
  expectSecurityHeaders(refused.headers, "stream 401");
});

test("every page answer's CSP has a nonce of its own, and every <script> of the page carries it", async ({ staff }) => {
  for (const path of ["/", "/login", "/cashier", "/kitchen", "/board", "/printer", "/dashboard", "/order/demo", "/no-such-page"]) {
    const nonces: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await staff.get(path, { maxRedirects: 0 });
      expect(res.headers()["content-type"], path).toContain("text/html");
      const src = scriptSrc(res.headers()["content-security-policy"] ?? "");
      expect(src, path).not.toContain("'unsafe-inline'");
      const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(src)?.[1];
      expect(nonce, `${path}: ${src}`).toBeTruthy();
      const scripts = (await res.text()).match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length, path).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag, path).toContain(`nonce="${nonce}"`);
      nonces.push(nonce!);
    }
    expect(nonces[0], path).not.toBe(nonces[1]);
  }
  // JSON answers carry the policy without a nonce: no inline script at all.
  for (const path of ["/api/health", "/api/orders"]) {
    const csp = (await staff.get(path)).headers()["content-security-policy"] ?? "";
    expect(scriptSrc(csp).trim(), path).toBe("script-src 'self'");
  }
});

test("the screens work under the nonce CSP, with no violation reported", async ({ adminPage: page }) => {
  const violations = watchCsp(page);
  for (const screen of [new BoardPage(page), new PrinterPage(page), new DashboardPage(page)]) await screen.goto();
  // The guest's order page runs its script: a tap adds a dish without choices to the cart.
  await page.goto("/order/demo");
  const espresso = page.getByTestId("menu-item").and(page.locator('[data-name="Espresso"]'));
  await espresso.getByTestId("menu-add").click();
  await expect(espresso.getByTestId("menu-quantity")).toHaveText("1");
  await page.goto("/no-such-page");
  await expect(page.getByText("This page could not be found.")).toBeVisible();
  expect(violations).toEqual([]);
});

test("the cashier and kitchen screens work under the CSP, with no violation reported", async ({ adminPage: page, staff, context }) => {
  const violations = watchCsp(page);
  const cashier = new CashierPage(page);
  await cashier.goto();
  const order = await placeOrder(staff);
  await expect(cashier.pending(order.displayCode)).toBeVisible();

  const kitchenPage = await context.newPage();
  violations.push(...watchCsp(kitchenPage));
  const kitchen = new KitchenPage(kitchenPage);
  await kitchen.goto();
  const confirmed = await confirmOrder(staff, order.id);
  // The rail may already be paged by earlier specs' tickets: page to it with the bump bar.
  await kitchen.reveal(confirmed.ticketNumber);
  expect(violations).toEqual([]);
});

for (const next of ["/%5Cevil.example", "/%09/evil.example", "//evil.example", "https://evil.example/"]) {
  test(`signing in with next=${next} stays on Pass`, async ({ page, origin }) => {
    const login = new LoginPage(page);
    await page.goto(`/login?next=${next}`);
    await login.signIn("admin", E2E_ADMIN_PASSWORD);
    await expect(page).toHaveURL(`${origin}/`);
  });
}
