import "server-only";
import { cookies } from "next/headers";
import { getDb } from "../db";
import { DEVICE_COOKIE, SESSION_COOKIE } from "./cookies";
import { devicePrincipal, principalForSession } from "./service";
import type { Principal } from "./access";

/** The signed-in user of a page render, or a paired screen's device (Server Components only). */
export async function currentPrincipal(): Promise<Principal | null> {
  const jar = await cookies();
  const sessionToken = jar.get(SESSION_COOKIE)?.value;
  const user = sessionToken ? await principalForSession({ db: getDb(), sessionToken }) : null;
  if (user) return user;
  return (await devicePrincipal({ db: getDb(), deviceToken: jar.get(DEVICE_COOKIE)?.value }))?.principal ?? null;
}
