/**
 * A signed-in user opening a screen their role cannot use (issue "Cashier and back office" item 5):
 * lib/auth/screen.ts sends them to /access instead of a 404, and the page says which screen and
 * role, and links to exactly the screens the role can use — in the restaurant's language.
 */
import { renderToStaticMarkup } from "react-dom/server";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Principal } from "@/lib/auth";

const session = vi.hoisted(() => ({ principal: null as Principal | null, locale: "en-US" }));
vi.mock("@/lib/auth/next", () => ({ currentPrincipal: async () => session.principal }));
vi.mock("../locale", () => ({ localeForPrincipal: async () => session.locale }));

const { default: AccessPage } = await import("./page");
const { requireScreen } = await import("@/lib/auth/screen");
const { screensFor } = await import("../screens");

const kitchen: Principal = { kind: "user", userId: "u1", username: "cook", role: "kitchen", partnerId: "p1" };
const operator: Principal = { kind: "user", userId: "u2", username: "ana", role: "operator", partnerId: "p1" };
const display: Principal = { kind: "token", tokenId: "t1", name: "wall", role: "display", partnerId: "p1", channels: ["display"] };

/** Where a redirect() pointed (Next throws it with the target in its digest). */
async function redirectOf(work: Promise<unknown>): Promise<string> {
  const err = (await work.then(
    () => null,
    (e: unknown) => e,
  )) as { digest?: string } | null;
  expect(err?.digest, "expected a redirect").toMatch(/^NEXT_REDIRECT;/);
  return err!.digest!.split(";")[2]!;
}

const page = async (screen?: string) => renderToStaticMarkup(await AccessPage({ searchParams: Promise.resolve({ screen }) }));
/** The screen links' targets, in order. */
const links = (html: string) =>
  [...html.matchAll(/<a ([^>]*)>/g)].filter((m) => m[1]!.includes('data-testid="access-')).map((m) => /href="([^"]+)"/.exec(m[1]!)?.[1]);

describe("access page", () => {
  beforeEach(() => {
    session.principal = null;
    session.locale = "en-US";
  });

  it("a screen the role may not open redirects to the access page, not a 404; a signed-out visitor to the login", async () => {
    session.principal = kitchen;
    expect(await redirectOf(requireScreen("cashier", "/cashier"))).toBe("/access?screen=%2Fcashier");
    expect(await requireScreen("kitchen", "/kitchen")).toBe(kitchen);
    session.principal = null;
    expect(await redirectOf(requireScreen("kitchen", "/kitchen?station=bar"))).toBe("/login?next=%2Fkitchen%3Fstation%3Dbar");
    expect(await redirectOf(page("/cashier"))).toBe("/login");
  });

  it("says which screen and role, and links to exactly the screens the role can use", async () => {
    session.principal = kitchen;
    const html = await page("/cashier");
    expect(html).toContain("This screen is not for your role");
    expect(html).toContain("The Cashier screen is not open to kitchen accounts.");
    expect(links(html)).toEqual(["/kitchen", "/board"]);
    expect(html).not.toContain('href="/cashier"');
  });

  it("the list follows the permission table: a display token the board, an operator every screen", () => {
    expect(screensFor(display).map((s) => s.href)).toEqual(["/board"]);
    expect(screensFor(kitchen).map((s) => s.href)).toEqual(["/kitchen", "/board"]);
    expect(screensFor(operator).map((s) => s.href)).toEqual([
      "/cashier",
      "/kitchen",
      "/board",
      "/printer",
      "/dashboard",
      "/menu",
      "/settings",
      "/reports",
    ]);
  });

  it("in the restaurant's language; an unknown screen is named as asked, never rendered as markup", async () => {
    session.principal = kitchen;
    session.locale = "fr-FR";
    const html = await page("/cashier");
    expect(html).toContain("Cet écran n&#x27;est pas pour votre rôle");
    expect(html).toContain("L&#x27;écran Caisse n&#x27;est pas ouvert aux comptes kitchen.");
    expect(html).toContain("Écrans que vous pouvez utiliser");
    session.locale = "en-US";
    const odd = await page("/<b>x</b>?y=1");
    expect(odd).toContain("The /&lt;b&gt;x&lt;/b&gt; screen");
    expect(odd).not.toContain("<b>x</b>");
  });
});
