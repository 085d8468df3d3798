import "server-only";
import { cookies } from "next/headers";
import { getDb } from "../db";
import { SESSION_COOKIE } from "./cookies";
import { principalForSession } from "./service";
import type { Principal } from "./access";

/** The signed-in user of a page render (Server Components only). */
export async function currentPrincipal(): Promise<Principal | null> {
  const sessionToken = (await cookies()).get(SESSION_COOKIE)?.value;
  if (!sessionToken) return null;
  return principalForSession({ db: getDb(), sessionToken });
}
