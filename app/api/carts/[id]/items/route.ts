import { getDb } from "@/lib/db";
import { apiRoute, cartTokenOf, json, orderIdParam, readJson } from "@/lib/http";
import { limits } from "@/lib/limits";
import { addCartItem, toCartDto } from "@/lib/orders";
import { addItemBody } from "../../schema";

export const dynamic = "force-dynamic";

/** A line added by this phone, priced by the menu; answers the whole cart and the new line's id. */
export const POST = apiRoute<{ id: string }>(async (req, { id }) => {
  const token = cartTokenOf(req);
  const input = await readJson(req, addItemBody);
  const cartId = orderIdParam(id);
  await limits().consume("carts:changes", String(cartId));
  const { cart, item } = await addCartItem({ db: getDb(), id: cartId, token, input });
  return json({ ...toCartDto(cart), itemId: item.id }, 201);
});
