import { getDb } from "@/lib/db";
import { apiRoute, cartTokenOf, json, orderIdParam } from "@/lib/http";
import { getCart, toCartDto } from "@/lib/orders";

export const dynamic = "force-dynamic";

/** The cart as this phone's token sees it (after a reload, or when the stream says to catch up). */
export const GET = apiRoute<{ id: string }>(async (req, { id }) => {
  const { cart, me } = await getCart({ db: getDb(), id: orderIdParam(id), token: cartTokenOf(req) });
  return json({ ...toCartDto(cart), me });
});
