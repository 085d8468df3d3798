import { getDb } from "@/lib/db";
import { apiRoute, cartTokenOf, json, orderIdParam, readJson, textIdParam } from "@/lib/http";
import { limits } from "@/lib/limits";
import { changeCartItem, removeCartItem, toCartDto } from "@/lib/orders";
import { changeItemBody } from "../../../schema";

export const dynamic = "force-dynamic";

type Params = { id: string; itemId: string };

/** Any phone changes any line; the later of two changes wins (the line's version says which). */
export const PATCH = apiRoute<Params>(async (req, { id, itemId }) => {
  const token = cartTokenOf(req);
  const patch = await readJson(req, changeItemBody);
  const cartId = orderIdParam(id);
  await limits().consume("carts:changes", String(cartId));
  const { cart } = await changeCartItem({ db: getDb(), id: cartId, itemId: textIdParam(itemId), token, patch });
  return json(toCartDto(cart));
});

export const DELETE = apiRoute<Params>(async (req, { id, itemId }) => {
  const token = cartTokenOf(req);
  const cartId = orderIdParam(id);
  await limits().consume("carts:changes", String(cartId));
  const { cart } = await removeCartItem({ db: getDb(), id: cartId, itemId: textIdParam(itemId), token });
  return json(toCartDto(cart));
});
