import "server-only";
import { redirect } from "next/navigation";
import { canReadChannel, type Channel, type Principal } from "./access";
import { currentPrincipal } from "./next";

/**
 * A screen page: signed in (else to login, coming back here) and allowed its channel — else to
 * the access page (app/access), which says so and links to the screens the role can use.
 */
export async function requireScreen(channel: Channel, path: string): Promise<Principal> {
  const principal = await currentPrincipal();
  if (!principal) redirect(`/login?next=${encodeURIComponent(path)}`);
  if (!canReadChannel(principal, channel)) redirect(`/access?screen=${encodeURIComponent(path)}`);
  return principal;
}
