import { getDb } from "@/lib/db";
import {
  type ApiRequest,
  apiRoute,
  type RouteParams,
  authenticate,
  clientAddressOf,
  json,
  parseWith,
  readJson,
  requirePrincipal,
  searchParams,
} from "@/lib/http";
import { limits } from "@/lib/limits";
import { createOrder, listOrders, toOrderDto } from "@/lib/orders";
import { createOrderBody, listOrdersQuery } from "./schema";

export const dynamic = "force-dynamic";

export const POST = apiRoute<RouteParams, ApiRequest>(async (req) => {
  const principal = await authenticate(req);
  const input = await readJson(req, createOrderBody);
  // Kiosks and QR guests have no principal: their orders are limited per client address.
  if (!principal) await limits().consume("orders:anonymous", clientAddressOf(req));
  const { order, trackingToken } = await createOrder({ db: getDb(), principal, input });
  return json({ ...toOrderDto(order), trackingToken }, 201, { location: `/api/orders/${order.id}` });
});

/** `Last-Event-ID` is the log position this list reflects: subscribe from it for no gap and no duplicate. */
export const GET = apiRoute(async (req) => {
  const principal = await requirePrincipal(req);
  const query = parseWith(listOrdersQuery, searchParams(req));
  const { orders, lastEventId, epoch, truncated } = await listOrders({
    db: getDb(),
    principal,
    statuses: query.status,
    since: query.since,
    partnerSlug: query.partner,
  });
  return json({ orders: orders.map(toOrderDto), lastEventId, epoch, truncated }, 200, {
    "last-event-id": String(lastEventId),
    "x-event-epoch": epoch,
  });
});
