import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { assertCan, partnerScope, resolvePrincipal, type Credential } from "../auth";
import { hashSecret, matchesTrackingToken } from "../auth/secrets";
import { AppError, NotFoundError, UnauthorizedError } from "../errors";
import type { LoggedEvent } from "../events/log";
import { hasControlCharacters, parseIntId } from "../fields";
import { isCartEvent, isOrderEvent, upgradeEvent } from "../orders/events";
import { customerEventName } from "../projections";
import { limits } from "../limits";
import { budgetKeyOf, sseControl } from "./handler";
import type { Hub } from "./hub";
import { join } from "./join";
import { OPENING, SSE_HEADERS, readPosition } from "./sse";
import { SseStream, jitteredLife, nextStreamId } from "./stream";
import { NodeTransport, type StreamRequest, type StreamTransport } from "./transport";

/**
 * GET /v1/orders/live (docs/contracts.md#seeds-002): a customer follows their own order with the tracking token
 * from order creation (`Authorization: Bearer trk_…` or `?token=`, with `orderId`); staff and
 * tokens follow their partner's orders, narrowed by `orderId`, `customerId` (the order's customer
 * name), `eventTypes` and `since`. Same log, same hub, same replay rules as the channels.
 */
export const CUSTOMER_EVENT_TYPES = [
  "order-created",
  "order-updated",
  "order-item-added",
  "order-item-removed",
  "order-submitted",
  "order-shipped",
  "order-cancelled",
  "heartbeat",
] as const;

/**
 * `view=cart`: a table's phones follow their shared cart (docs/contracts.md#carts) on the same
 * endpoint, with their cart token, one order id, the `cart` projection (the whole cart per change).
 */
type Filters = { orderId?: number; customerId?: string; eventTypes?: string[]; since?: string; view?: "cart" };

export function isCustomerStreamPath(pathname: string): boolean {
  return pathname === "/v1/orders/live" || pathname === "/v1/orders/live/";
}

/** Node's req/res (server.ts). */
export function handleCustomerSse(req: IncomingMessage, res: ServerResponse, options: { hub: Hub; maxLifeMs?: number }): Promise<void> {
  return serveCustomerStream(new NodeTransport(req, res), options);
}

export async function serveCustomerStream(
  transport: StreamTransport,
  { hub, maxLifeMs = 600_000 }: { hub: Hub; maxLifeMs?: number },
): Promise<void> {
  let filters: Filters;
  let partnerId: string | null;
  let credential: Credential | undefined;
  let position: ReturnType<typeof readPosition>;
  const { request } = transport;
  try {
    filters = parseFilters(request.url.searchParams);
    position = readPosition(request.header("last-event-id"), request.url.searchParams.get("lastEventId"));
    ({ partnerId, credential } = await authorize({ request, hub, filters }));
  } catch (err) {
    transport.fail(err);
    return;
  }

  const channel = filters.view === "cart" ? "cart" : "customer";
  const accepts = (event: LoggedEvent) => matches(event, filters);
  const streamId = nextStreamId();
  const openedAt = Date.now();
  const sink = transport.open({ ...SSE_HEADERS, "x-stream-id": streamId });
  const stream = new SseStream(sink, hub, {
    channel,
    partnerId,
    credential,
    maxQueueBytes: 256 * 1024,
    accepts,
    // seeds/002 keeps the connection alive with `heartbeat` events, not comments.
    keepalive: (s, comment) => {
      if (filters.eventTypes && !filters.eventTypes.includes("heartbeat")) {
        s.write(comment);
        return;
      }
      // With the stream's position as id, as seeds/002 gives every event one.
      s.writeControl("heartbeat", { timestamp: new Date().toISOString(), connectionAge: isoDuration(Date.now() - openedAt) });
    },
  });
  transport.onClose(() => stream.close());
  stream.write(OPENING);

  const since = filters.since ? Date.parse(filters.since) : null;
  const epoch = request.url.searchParams.get("epoch");
  hub.subscribe(stream);
  await join({
    hub,
    target: stream,
    partnerId,
    // A time-based replay (`since`) starts at the oldest event still in the log.
    from: position.from ?? (since !== null ? await hub.prunedThrough(partnerId) : null),
    requested: position.raw,
    budgetKey: budgetKeyOf(credential) ?? (filters.orderId !== undefined ? `order:${filters.orderId}` : null),
    // Pass's addition: `?epoch=` as on the channels, and `epoch` in `connected` to send back.
    epochChanged: epoch !== null && epoch !== hub.epoch,
    control: sseControl(stream, (_top, extra) => ({
      streamId,
      timestamp: new Date().toISOString(),
      filters: publicFilters(filters),
      epoch: hub.epoch,
      ...extra,
    })),
    replay: (afterId, uptoId) =>
      hub.replay({
        channel,
        partnerId,
        afterId,
        uptoId,
        orderId: filters.orderId,
        accepts: since === null ? accepts : (e) => accepts(e) && Date.parse(e.createdAt) > since,
      }),
  });
  // Heartbeats ride on the hub's shared keep-alive timer (KEEPALIVE_MS).
  if (!stream.closed) stream.startLife(jitteredLife(maxLifeMs));
}

function parseFilters(params: URLSearchParams): Filters {
  const filters: Filters = {};
  const orderId = params.get("orderId");
  if (orderId !== null) {
    const id = parseIntId(orderId);
    if (id === null) throw subscriptionError("orderId", "must be an order id (1 to 2147483647)");
    filters.orderId = id;
  }
  const customerId = params.get("customerId");
  if (customerId !== null) {
    if (customerId.trim() === "" || customerId.length > 100 || hasControlCharacters(customerId)) {
      throw subscriptionError("customerId", "must be 1–100 characters, no control characters");
    }
    filters.customerId = customerId;
  }
  const types = params.get("eventTypes");
  if (types !== null) {
    const list = types
      .split(",")
      .map((t) => t.trim())
      .filter(Boolean);
    const unknown = list.find((t) => !(CUSTOMER_EVENT_TYPES as readonly string[]).includes(t));
    if (list.length === 0 || unknown)
      throw subscriptionError("eventTypes", `unknown event type '${unknown ?? ""}' (one of ${CUSTOMER_EVENT_TYPES.join(", ")})`);
    filters.eventTypes = list;
  }
  const view = params.get("view");
  if (view !== null) {
    if (view !== "cart") throw subscriptionError("view", "must be 'cart' (a table's shared cart) or left out");
    if (filters.orderId === undefined) throw subscriptionError("orderId", "view=cart follows one cart: pass its orderId");
    if (filters.customerId !== undefined || filters.eventTypes)
      throw subscriptionError("view", "view=cart sends every change of the cart: no customerId or eventTypes");
    filters.view = "cart";
  }
  const since = params.get("since");
  if (since !== null) {
    if (Number.isNaN(Date.parse(since)) || !/^\d{4}-\d\d-\d\dT/.test(since))
      throw subscriptionError("since", "must be an ISO-8601 date-time");
    filters.since = new Date(since).toISOString();
  }
  return filters;
}

/** seeds/002's error code for bad filters, as a 400 naming the field. */
function subscriptionError(field: string, message: string): AppError {
  return new AppError(400, "SUBSCRIPTION_ERROR", `${field}: ${message}`, { field, recoverable: false });
}

/** Returns the partner scope; a customer is pinned to the one order their token belongs to. */
async function authorize({
  request,
  hub,
  filters,
}: {
  request: StreamRequest;
  hub: Hub;
  filters: Filters;
}): Promise<{ partnerId: string | null; credential?: Credential }> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.header("authorization") ?? "")?.[1];
  // A tracking token, or a phone's cart token (the cart as it is built, then the order it became).
  const guestToken = bearer?.startsWith("trk_") || bearer?.startsWith("cart_") ? bearer : request.url.searchParams.get("token");
  if (guestToken) {
    if (filters.orderId === undefined) throw subscriptionError("orderId", "a tracking token follows one order: pass its orderId");
    // A guest's phone opens a stream or two, not thousands on one order's token.
    await limits().consume("streams:tracking", String(filters.orderId));
    const order = await hub.db
      .selectFrom("orders")
      .select(["partnerId", "trackingTokenHash"])
      .where("id", "=", filters.orderId)
      .executeTakeFirst();
    const hash = hashSecret(guestToken);
    const follows = guestToken.startsWith("cart_")
      ? (await hub.db
          .selectFrom("cartMembers")
          .select("id")
          .where("orderId", "=", filters.orderId)
          .where("tokenHash", "=", hash)
          .executeTakeFirst()) !== undefined
      : matchesTrackingToken(guestToken, order?.trackingTokenHash); // the guest's token or the receipt's
    // A wrong token and a missing order look the same.
    if (!order || !follows) throw new NotFoundError("order");
    return { partnerId: order.partnerId };
  }
  const resolved = await resolvePrincipal({
    db: hub.db,
    cookieHeader: request.header("cookie"),
    authorization: request.header("authorization"),
  });
  if (!resolved) throw new UnauthorizedError();
  assertCan(resolved.principal, "orders:read");
  const scope = partnerScope(resolved.principal);
  if (filters.orderId !== undefined && scope !== null) {
    const order = await hub.db.selectFrom("orders").select("partnerId").where("id", "=", filters.orderId).executeTakeFirst();
    if (!order || order.partnerId !== scope) throw new NotFoundError("order");
  }
  return { partnerId: scope, credential: resolved.credential };
}

function matches(event: LoggedEvent, filters: Filters): boolean {
  if (filters.orderId !== undefined && event.orderId !== filters.orderId) return false;
  if (filters.customerId === undefined && !filters.eventTypes) return true;
  const domain = upgradeEvent(event);
  if (!isOrderEvent(domain) && !isCartEvent(domain)) return false;
  // A cart has no customer name until it is submitted.
  if (filters.customerId !== undefined && (isOrderEvent(domain) ? domain.payload.order.customer : null) !== filters.customerId)
    return false;
  if (filters.eventTypes) {
    // Filtered by the name the event is shown as (lib/projections/customer.ts).
    const name = customerEventName(domain);
    if (!name || !filters.eventTypes.includes(name)) return false;
  }
  return true;
}

function publicFilters(filters: Filters) {
  return {
    ...(filters.orderId !== undefined ? { orderId: String(filters.orderId) } : {}),
    ...(filters.customerId !== undefined ? { customerId: filters.customerId } : {}),
    ...(filters.eventTypes ? { eventTypes: filters.eventTypes } : {}),
    ...(filters.since ? { since: filters.since } : {}),
    ...(filters.view ? { view: filters.view } : {}),
  };
}

/** ISO-8601 duration, as seeds/002 writes connectionAge ("PT16M30S"). */
export function isoDuration(ms: number): string {
  let s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return `PT${h ? `${h}H` : ""}${m ? `${m}M` : ""}${s || (!h && !m) ? `${s}S` : ""}`;
}
