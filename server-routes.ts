/**
 * The write routes server.ts answers on Node's own req/res (docs/architecture.md#transports):
 * placing, confirming and moving an order, the requests a busy service sends most. They are the
 * very route handlers Next serves (app/api/…/route.ts, each a zod schema and one lib call), called
 * here without Next's per-request machinery (routing, its proxy, a web Request and its body as a
 * web stream), which cost more CPU than the order's own work (issue 18 item 2, `npm run
 * bench:orders`). Under plain `next start` the same handlers answer through Next.
 *
 * Only an exact path is taken here; any other spelling (a trailing slash, another method) goes
 * to Next as before, so the answers do not change with the path a request took.
 */
import type http from "node:http";
import { POST as confirmOrder } from "./app/api/orders/[id]/confirm/route";
import { POST as placeOrder } from "./app/api/orders/route";
import { POST as changeStatus } from "./app/api/orders/[id]/status/route";
import { AppError, ERROR_HEADERS, errorBody } from "./lib/errors";
import type { ApiRequest } from "./lib/http";

type Handler = (req: ApiRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

type FastRoute = { method: string; path: RegExp; handler: Handler; params: readonly string[] };

const ROUTES: readonly FastRoute[] = [
  { method: "POST", path: /^\/api\/orders$/, handler: placeOrder as Handler, params: [] },
  { method: "POST", path: /^\/api\/orders\/([^/]+)\/confirm$/, handler: confirmOrder as Handler, params: ["id"] },
  { method: "POST", path: /^\/api\/orders\/([^/]+)\/status$/, handler: changeStatus as Handler, params: ["id"] },
];

/** A body larger than this is refused before it is read whole (an order of 200 lines is ~60 KB). */
export const FAST_BODY_LIMIT = 1024 * 1024;

export type FastMatch = { route: FastRoute; params: Record<string, string> };

/** The fast route for this request, or null (Next answers it). `pathname` is known to decode. */
export function fastRoute(method: string | undefined, pathname: string): FastMatch | null {
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const m = route.path.exec(pathname);
    if (!m) continue;
    const params: Record<string, string> = {};
    route.params.forEach((name, i) => {
      params[name] = decodeURIComponent(m[i + 1]!);
    });
    return { route, params };
  }
  return null;
}

/** Reads the body, runs the route's handler and writes its Response (the handler renders every error itself). */
export async function serveFast({ route, params }: FastMatch, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const body = await readBody(req);
  if (body === null) {
    const { status, body: error } = errorBody(
      new AppError(413, "PAYLOAD_TOO_LARGE", `the body is larger than ${FAST_BODY_LIMIT} bytes`, { field: "body" }),
    );
    res.writeHead(status, { ...ERROR_HEADERS, connection: "close" });
    res.end(JSON.stringify(error));
    return;
  }
  const response = await route.handler(requestView(req, body), { params: Promise.resolve(params) });
  const out: Record<string, string | string[]> = {};
  response.headers.forEach((value, key) => {
    if (key !== "set-cookie") out[key] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) out["set-cookie"] = cookies;
  const bytes = Buffer.from(await response.arrayBuffer());
  out["content-length"] = String(bytes.length);
  res.writeHead(response.status, out);
  res.end(bytes);
}

/**
 * What the handler reads of the request (lib/http ApiRequest), straight from Node's: no web
 * Request, Headers or body stream is built. Headers come from `req.headers`, where server.ts has
 * written the client's address (and its proof) and the request id over whatever the client sent
 * (lib/http clientAddressOf); a repeated header reads as Node joined it, as Next's Headers would.
 */
function requestView(req: http.IncomingMessage, body: Buffer): ApiRequest {
  return {
    method: req.method ?? "GET",
    url: `http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`,
    headers: {
      get(name: string) {
        const value = req.headers[name.toLowerCase()];
        if (value === undefined) return null;
        return Array.isArray(value) ? value.join(", ") : value;
      },
    },
    text: async () => body.toString("utf8"),
  };
}

/** The whole body, or null past FAST_BODY_LIMIT (the rest is not read; the connection closes after the answer). */
function readBody(req: http.IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > FAST_BODY_LIMIT) return resolve(null);
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > FAST_BODY_LIMIT) {
        req.removeAllListeners("data");
        req.pause();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}
