import { getDb } from "@/lib/db";
import { apiRoute, clientAddressOf, json, readJson } from "@/lib/http";
import { limits } from "@/lib/limits";
import { openCart, toCartDto } from "@/lib/orders";
import { openCartBody } from "./schema";

export const dynamic = "force-dynamic";

/** A phone at a table: the table's open cart (200, joined) or a new one (201), and this phone's cart token. */
export const POST = apiRoute(async (req) => {
  const input = await readJson(req, openCartBody);
  await limits().consume("orders:anonymous", clientAddressOf(req));
  const { cart, member, cartToken, joined } = await openCart({ db: getDb(), input: { ...input, name: input.name ?? null } });
  return json({ ...toCartDto(cart), cartToken, me: member, joined }, joined ? 200 : 201, { location: `/api/carts/${cart.id}` });
});
