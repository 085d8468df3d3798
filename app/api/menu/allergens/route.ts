import { json } from "@/lib/http";
import { ALLERGENS } from "@/lib/menu/allergens";

/** The EU 14 allergen codes Pass accepts, in their order. */
export const GET = () => json({ allergens: ALLERGENS });
