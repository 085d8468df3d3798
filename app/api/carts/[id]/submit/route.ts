import { getDb } from "@/lib/db";
import { apiRoute, cartTokenOf, clientAddressOf, json, orderIdParam, readOptionalJson } from "@/lib/http";
import { limits } from "@/lib/limits";
import { submitCart, toOrderDto } from "@/lib/orders";
import { submitCartBody } from "../../schema";

export const dynamic = "force-dynamic";

/** The cart becomes the PENDING order staff see: answered like POST /api/orders (the order and a tracking token). */
export const POST = apiRoute<{ id: string }>(async (req, { id }) => {
  const token = cartTokenOf(req);
  const input = await readOptionalJson(req, submitCartBody);
  await limits().consume("orders:anonymous", clientAddressOf(req));
  const { order, trackingToken } = await submitCart({ db: getDb(), id: orderIdParam(id), token, input });
  return json({ ...toOrderDto(order), trackingToken }, 201, { location: `/api/orders/${order.id}` });
});
