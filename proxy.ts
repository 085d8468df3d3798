/**
 * Next's proxy (formerly middleware), on every path Next answers — under server.ts and under plain
 * `next start` alike (server.ts's own streams never reach it):
 *
 * - a path whose percent-encoding does not decode (`/api/events/%E0%A4%A`) is a 400 with the one
 *   error body, before Next's router fails to decode it (a 500);
 * - every page gets a Content-Security-Policy with a fresh nonce (security-headers.mjs), set on the
 *   request too, where Next reads it to put the nonce on its own <script> tags.
 */
import { type NextRequest, NextResponse } from "next/server";
import { ERROR_HEADERS, ValidationError, errorBody } from "./lib/errors";
import { isDecodablePath } from "./lib/fields";
import { contentSecurityPolicy, newNonce, securityHeaders } from "./security-headers.mjs";

const dev = process.env.NODE_ENV === "development";

/** JSON answers and streams: the static policy of next.config.mjs, no nonce needed. */
const NOT_PAGES = /^\/(?:api|events|v1)(?:\/|$)/;

export function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  if (!isDecodablePath(pathname)) {
    const { status, body } = errorBody(new ValidationError("path", "malformed percent-encoding"));
    return new NextResponse(JSON.stringify(body), { status, headers: { ...ERROR_HEADERS, ...securityHeaders({ dev }) } });
  }
  if (NOT_PAGES.test(pathname)) return NextResponse.next();
  const nonce = newNonce();
  const csp = contentSecurityPolicy({ dev, nonce });
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", csp);
  // For a server component that renders a <Script> of its own: `(await headers()).get("x-nonce")`.
  headers.set("x-nonce", nonce);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", csp);
  return response;
}

export const config = {
  // Next's build assets need neither check: their names are ours.
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
