import { getDb } from "@/lib/db";
import { apiRoute, authenticate, json, orderIdParam } from "@/lib/http";
import { getMoneyStyle } from "@/lib/menu";
import {
  getOrder,
  getOrderByTrackingToken,
  staffCustomerOf,
  toGuestOrderDto,
  toOrderDto,
  toOrderListDto,
  type OrderRecord,
} from "@/lib/orders";
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
    // The cashier's staff also see who the guest is (lib/orders/customers.ts); the key is absent for the rest.
    // `customerDetails`, beside seeds/003's `customer` (the name the order was placed under).
    const customerDetails = await staffCustomerOf({ db, principal, order });
    return json({ ...(await withMoney(order)), ...(customerDetails !== undefined ? { customerDetails } : {}) });
  }
  // The guest's view: no staff cancel reason (docs/contracts.md "GET /api/orders/{id}").
  if (trackingToken) return json(await withMoney(await getOrderByTrackingToken({ db, id: orderId, trackingToken }), toGuestOrderDto));
  throw new UnauthorizedError();
});
