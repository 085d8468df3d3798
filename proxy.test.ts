/**
 * proxy.ts on its own (e2e/security.spec.ts and e2e/next-start.spec.ts check it through Next):
 * a page gets a CSP with a fresh nonce — on the answer and on the request Next renders from —
 * without 'unsafe-inline' for scripts; JSON paths keep the static policy; a path whose
 * percent-encoding does not decode is a 400 with the one error body.
 */
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { config, proxy } from "./proxy";
import { contentSecurityPolicy } from "./security-headers.mjs";

const scriptSrc = (csp: string) => csp.split("; ").find((d) => d.startsWith("script-src")) ?? "";

describe("proxy.ts", () => {
  it("every page answer gets its own nonce, on the answer's CSP and on the request's", () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const res = proxy(new NextRequest("http://pass.test/kitchen?station=grill"));
      const csp = res.headers.get("content-security-policy")!;
      const nonce = /'nonce-([A-Za-z0-9+/=]{22,})'/.exec(scriptSrc(csp))?.[1];
      expect(nonce).toBeTruthy();
      expect(scriptSrc(csp)).not.toContain("unsafe-inline");
      expect(scriptSrc(csp)).toContain("'strict-dynamic'");
      // NextResponse.next({ request: { headers } }): what the page is rendered with.
      expect(res.headers.get("x-middleware-request-content-security-policy")).toBe(csp);
      expect(res.headers.get("x-middleware-request-x-nonce")).toBe(nonce);
      nonces.add(nonce!);
    }
    expect(nonces.size).toBe(20);
  });

  it("JSON and stream paths keep the static policy (no inline script at all)", () => {
    for (const path of ["/api/orders", "/api/events/cashier", "/events/kitchen", "/v1/orders/live"]) {
      const res = proxy(new NextRequest(`http://pass.test${path}`));
      expect(res.headers.get("content-security-policy"), path).toBeNull();
      expect(res.headers.get("x-middleware-request-content-security-policy"), path).toBeNull();
    }
    expect(scriptSrc(contentSecurityPolicy())).toBe("script-src 'self'");
    expect(scriptSrc(contentSecurityPolicy({ dev: true }))).toBe("script-src 'self' 'unsafe-eval'");
  });

  it("malformed percent-encoding is a 400 naming the path, on pages and API paths alike", async () => {
    for (const path of ["/api/events/%E0%A4%A", "/order/%E0%A4%A", "/%E0%A4%A", "/api/foods/%"]) {
      const res = proxy(new NextRequest(`http://pass.test${path}`));
      expect(res.status, path).toBe(400);
      expect(res.headers.get("content-type"), path).toContain("application/json");
      expect(res.headers.get("x-frame-options"), path).toBe("DENY");
      expect(await res.json()).toEqual({
        error: { code: "VALIDATION_FAILED", message: "path: malformed percent-encoding", details: { field: "path" } },
      });
    }
  });

  it("runs on every path but Next's build assets", () => {
    const [matcher] = config.matcher;
    const re = new RegExp(`^${matcher}$`);
    for (const path of ["/", "/kitchen", "/api/orders", "/order/demo"]) expect(re.test(path), path).toBe(true);
    for (const path of ["/_next/static/chunks/a.js", "/_next/image", "/favicon.ico"]) expect(re.test(path), path).toBe(false);
  });
});
