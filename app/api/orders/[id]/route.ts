import { getDb } from "@/lib/db";
import { apiRoute, authenticate, json, orderIdParam } from "@/lib/http";
import { getOrder, getOrderByTrackingToken, toOrderDto } from "@/lib/orders";
import { UnauthorizedError } from "@/lib/errors";

export const dynamic = "force-dynamic";

/** Staff see their partner's orders; a customer sees their own with the tracking token. */
export const GET = apiRoute<{ id: string }>(async (req, { id }) => {
  const db = getDb();
  const orderId = orderIdParam(id);
  const trackingToken = req.headers.get("x-tracking-token") ?? new URL(req.url).searchParams.get("token");
  const principal = await authenticate(req);
  if (principal) return json(toOrderDto(await getOrder({ db, principal, id: orderId })));
  if (trackingToken) return json(toOrderDto(await getOrderByTrackingToken({ db, id: orderId, trackingToken })));
  throw new UnauthorizedError();
});
