import { getDb } from "@/lib/db";
import { apiRoute, cartTokenOf, json, orderIdParam, readJson } from "@/lib/http";
import { renameCartMember, toCartDto } from "@/lib/orders";
import { renameBody } from "../../schema";

export const dynamic = "force-dynamic";

/** This phone's name at the table ("Ana" instead of "Guest 2"). */
export const PATCH = apiRoute<{ id: string }>(async (req, { id }) => {
  const token = cartTokenOf(req);
  const { name } = await readJson(req, renameBody);
  const { cart, me } = await renameCartMember({ db: getDb(), id: orderIdParam(id), token, name });
  return json({ ...toCartDto(cart), me });
});
