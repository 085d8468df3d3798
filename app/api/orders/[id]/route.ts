import { getDb } from "@/lib/db";
import { apiRoute, authenticate, json, orderIdParam } from "@/lib/http";
import { getMoneyStyle } from "@/lib/menu";
import { getOrder, getOrderByTrackingToken, toGuestOrderDto, toOrderDto, toOrderListDto, type OrderRecord } from "@/lib/orders";
import { UnauthorizedError } from "@/lib/errors";

export const dynamic = "force-dynamic";

/** The order and how its partner writes amounts (`money`: currency + locale, lib/money-format.ts). */
async function withMoney(order: OrderRecord, dto: (o: OrderRecord) => ReturnType<typeof toOrderDto> = toOrderDto) {
  return { ...dto(order), money: await getMoneyStyle({ db: getDb(), partnerId: order.partnerId }) };
}

/** Staff see their partner's orders; a customer sees their own with the tracking token. */
export const GET = apiRoute<{ id: string }>(async (req, { id }) => {
  const db = getDb();
  const orderId = orderIdParam(id);
  const trackingToken = req.headers.get("x-tracking-token") ?? new URL(req.url).searchParams.get("token");
  const principal = await authenticate(req);
  if (principal) {
    const order = await getOrder({ db, principal, id: orderId });
    // `?view=list`: the seeds/000 OrderListDto (what OrderRealtime over WebSocket hands its callbacks).
    if (new URL(req.url).searchParams.get("view") === "list") {
      const partner = await db
        .selectFrom("partners")
        .select(["id", "slug", "name", "imageUrl"])
        .where("id", "=", order.partnerId)
        .executeTakeFirstOrThrow();
      return json(toOrderListDto(order, partner));
    }
    return json(await withMoney(order));
  }
  // The guest's view: no staff cancel reason (docs/contracts.md "GET /api/orders/{id}").
  if (trackingToken) return json(await withMoney(await getOrderByTrackingToken({ db, id: orderId, trackingToken }), toGuestOrderDto));
  throw new UnauthorizedError();
});
