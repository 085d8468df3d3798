import "server-only";
import crypto from "node:crypto";
import { processSlot } from "../process";
import type { z } from "zod";
import { ForbiddenError, UnauthorizedError, ValidationError, errorBody, errorHeaders } from "../errors";
import { getDb } from "../db";
import { getConfig } from "../config";
import {
  CLIENT_ADDRESS_HEADER,
  CLIENT_ADDRESS_PROOF_HEADER,
  clientAddress,
  isSameOrigin,
  isSecureClient,
  requestHost,
  resolvePrincipal,
  type Principal,
  type ProxySettings,
} from "../auth";
import { hasControlCharacters, parseIntId } from "../fields";

/**
 * The thin layer every route handler goes through: parse, authenticate, call one lib function,
 * and map typed errors to `{ error: { code, message, details? } }` in one place.
 */
export type RouteParams = Record<string, string | string[] | undefined>;
type Params = RouteParams;
type Ctx<P extends Params> = { params: Promise<P> };

/**
 * What a route handler may read of its request when it is one of server.ts's write routes
 * (server-routes.ts): method, URL, headers and the body's text. A web `Request` is one; so is the
 * light view server.ts makes of Node's `req`, without building a web Request and its body stream.
 */
export type ApiRequest = {
  readonly method: string;
  readonly url: string;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
};

export function apiRoute<P extends Params = Params, R extends ApiRequest = Request>(handler: (req: R, params: P) => Promise<Response>) {
  return async (req: R, ctx: Ctx<P>): Promise<Response> => {
    try {
      return await handler(req, ctx?.params ? await ctx.params : ({} as P));
    } catch (err) {
      return errorResponse(err);
    }
  };
}

export function errorResponse(err: unknown): Response {
  const { status, body } = errorBody(err);
  return json(body, status, errorHeaders(err));
}

export function json(body: unknown, status = 200, headers: HeadersInit = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}

/** Parses a JSON body against a schema; malformed JSON and the first failing field become a 400. */
export async function readJson<S extends z.ZodType>(req: ApiRequest, schema: S): Promise<z.infer<S>> {
  let body: unknown;
  const text = await req.text();
  try {
    body = text.trim() === "" ? undefined : JSON.parse(text);
  } catch {
    throw new ValidationError("body", "malformed JSON");
  }
  if (body === undefined) throw new ValidationError("body", "a JSON body is required");
  return parseWith(schema, body);
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const base = issue.path.map(String);
  if (issue.code === "unrecognized_keys") {
    const field = [...base, issue.keys[0]!].join(".");
    throw new ValidationError(field, "unknown field");
  }
  throw new ValidationError(base.length ? base.join(".") : "body", issue.message);
}

export function searchParams(req: Request): Record<string, string> {
  return Object.fromEntries(new URL(req.url).searchParams);
}

/**
 * The caller, or null when anonymous. A mutation authenticated by the cookie must come from
 * our own origin (CSRF); bearer tokens are not sent by browsers on their own, so they skip it.
 */
export async function authenticate(req: ApiRequest): Promise<Principal | null> {
  const resolved = await resolvePrincipal({
    db: getDb(),
    cookieHeader: req.headers.get("cookie"),
    authorization: req.headers.get("authorization"),
  });
  if (resolved?.via === "cookie" && isMutation(req.method)) assertSameOrigin(req);
  return resolved?.principal ?? null;
}

export async function requirePrincipal(req: ApiRequest): Promise<Principal> {
  const principal = await authenticate(req);
  if (!principal) throw new UnauthorizedError();
  return principal;
}

/** PUBLIC_URL, TRUST_PROXY, ALLOWED_ORIGINS (README "Behind a proxy"). */
function proxySettings(): ProxySettings {
  return getConfig();
}

export function assertSameOrigin(req: ApiRequest): void {
  const settings = proxySettings();
  const ok = isSameOrigin({
    origin: req.headers.get("origin"),
    secFetchSite: req.headers.get("sec-fetch-site"),
    host: requestHost({
      host: req.headers.get("host"),
      forwardedHost: req.headers.get("x-forwarded-host"),
      trustProxy: settings.trustProxy,
    }),
    settings,
  });
  if (!ok) throw new ForbiddenError("cross-origin request refused (CSRF check)");
}

/** Whether the session cookie is `Secure` (lib/auth/proxy.ts isSecureClient). */
export function isSecureRequest(req: Request): boolean {
  return isSecureClient({
    origin: req.headers.get("origin"),
    urlProtocol: new URL(req.url).protocol,
    forwardedProto: req.headers.get("x-forwarded-proto"),
    settings: proxySettings(),
  });
}

/**
 * The client's address for per-address limits: set by server.ts from the socket (and a trusted
 * proxy's X-Forwarded-For), overwriting whatever the client sent; "unknown" under plain next start.
 */
export function clientAddressOf(req: ApiRequest): string {
  const proof = processSlot().clientAddressProof;
  const claimed = req.headers.get(CLIENT_ADDRESS_PROOF_HEADER);
  if (proof && claimed && timingSafeEqualText(claimed, proof)) return req.headers.get(CLIENT_ADDRESS_HEADER) ?? "unknown";
  // Plain `next start` (no server.ts) or a forged header: only what a trusted proxy wrote counts;
  // without one, every such request shares the "unknown" address (limits stay, never dodged).
  return clientAddress({ remoteAddress: null, forwardedFor: req.headers.get("x-forwarded-for"), trustProxy: getConfig().trustProxy });
}

function timingSafeEqualText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

const isMutation = (method: string) => !["GET", "HEAD", "OPTIONS"].includes(method.toUpperCase());

/**
 * Path ids are integers of the `integer` column (1..2147483647, lib/fields.ts); anything else
 * is simply not found (0 matches no row).
 */
export function orderIdParam(value: string | string[] | undefined): number {
  return parseIntId(typeof value === "string" ? value : null) ?? 0;
}

/** Text path ids (a food's): one that could not be stored (control characters, too long) is not found either. */
export function textIdParam(value: string | string[] | undefined): string {
  return typeof value === "string" && value.length <= 64 && !hasControlCharacters(value) ? value : "";
}

/** Like readJson, for bodies that may be left out entirely (an empty body is `{}`). */
export async function readOptionalJson<S extends z.ZodType>(req: ApiRequest, schema: S): Promise<z.infer<S>> {
  const text = await req.text();
  if (text.trim() === "") return parseWith(schema, {});
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ValidationError("body", "malformed JSON");
  }
  return parseWith(schema, body);
}

/**
 * A table phone's cart token (lib/orders/carts.ts): `Authorization: Bearer cart_…` or `?token=`,
 * as tracking tokens are sent. Without one the cart routes answer 401; a wrong one is "not found".
 */
export function cartTokenOf(req: Request): string {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.get("authorization") ?? "")?.[1];
  const token = bearer?.startsWith("cart_") ? bearer : new URL(req.url).searchParams.get("token");
  if (!token) throw new UnauthorizedError("a cart token is required (Authorization: Bearer cart_… or ?token=)");
  return token;
}
