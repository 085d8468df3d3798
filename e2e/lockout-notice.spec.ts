/**
 * The dashboard's lockout notice through the built server: an account whose failed sign-ins reach
 * the limit is named on the admin's dashboard (how many, from where, until when) and on its own
 * partner's operators' — an unknown username only on the admin's. RATE_LIMIT_SCALE=0.3: an
 * account locks after 3 failures.
 */
import { expect, signIn, test } from "./support/fixtures";
import { cli, startServer } from "./support/processes";

const ADMIN_PASSWORD = "lockout-admin-pass";
const OPERATOR_PASSWORD = "lockout-operator-pass";

test("an account locked after too many failed sign-ins is shown on the dashboard", async ({ browser }) => {
  const server = await startServer({ PASS_ADMIN_PASSWORD: ADMIN_PASSWORD, RATE_LIMIT_SCALE: "0.3" });
  const base = `http://127.0.0.1:${server.port}`;
  const contexts = [await browser.newContext(), await browser.newContext()];
  try {
    for (const username of ["ana", "op"]) {
      const added = cli(server.dataDir, [
        "user",
        "add",
        "--partner",
        "demo",
        "--role",
        "operator",
        "--username",
        username,
        "--password",
        OPERATOR_PASSWORD,
      ]);
      expect(added.status, added.stderr).toBe(0);
    }
    const fail = async (username: string) => {
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`${base}/api/auth/login`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ username, password: "not-the-password" }),
        });
        expect(res.status).toBe(401);
      }
    };
    await fail("ana");
    await fail("ghost");
    // Locked: even the right password is refused, a 429 with Retry-After (server.ts's limits inside Next's route bundle).
    const refused = await fetch(`${base}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "ana", password: OPERATOR_PASSWORD }),
    });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await refused.json()).error.code).toBe("RATE_LIMITED");

    const [admin, operator] = await Promise.all(
      contexts.map(async (context, i) => {
        await signIn(context.request, i === 0 ? { base, password: ADMIN_PASSWORD } : { base, username: "op", password: OPERATOR_PASSWORD });
        const page = await context.newPage();
        await page.goto(`${base}/dashboard`);
        await expect(page.getByTestId("connection-badge")).toHaveAttribute("data-status", "live");
        return page;
      }),
    );

    const ana = admin!.locator('[data-testid="lockout-notice"][data-username="ana"]');
    await expect(ana).toBeVisible();
    await expect(ana).toContainText("Account ana: 3 failed sign-ins, the last from 127.0.0.1");
    await expect(ana).toContainText("until");
    await expect(ana).toHaveAttribute("data-active", "true");
    await expect(admin!.locator('[data-testid="lockout-notice"][data-username="ghost"]')).toContainText("(no such user)");

    // The operator of ana's partner sees ana, not the unknown username.
    await expect(operator!.locator('[data-testid="lockout-notice"][data-username="ana"]')).toBeVisible();
    await expect(operator!.getByTestId("lockout-notice")).toHaveCount(1);
  } finally {
    for (const c of contexts) await c.close();
    server.child.kill("SIGKILL");
  }
});
