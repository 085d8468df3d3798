import "server-only";
import { cookies } from "next/headers";
import { getDb } from "../db";
import { resolvePrincipal } from "./service";
import type { Principal } from "./access";

/** The signed-in user (or device, by its token cookie) of a page render (Server Components only). */
export async function currentPrincipal(): Promise<Principal | null> {
  const header = (await cookies())
    .getAll()
    .map((c) => `${c.name}=${encodeURIComponent(c.value)}`)
    .join("; ");
  return (await resolvePrincipal({ db: getDb(), cookieHeader: header }))?.principal ?? null;
}
