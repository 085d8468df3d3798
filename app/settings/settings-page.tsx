import Link from "next/link";
import { redirect } from "next/navigation";
import { can, resolvePartnerScope } from "@/lib/auth";
import { currentPrincipal } from "@/lib/auth/next";
import { getDb } from "@/lib/db";
import { SettingsScreen, type SettingsTab } from "./settings-screen";

/**
 * The back office's settings (issue "Cashier and back office" item 2), shared by /settings and
 * /settings/devices (the pairing QR's link): signed in, else to the login coming back here; an
 * operator sees their restaurant, an admin chooses any; the kitchen and devices get a refusal.
 */
export async function renderSettings({ tab, path, partner, pair }: { tab: SettingsTab; path: string; partner?: string; pair?: string }) {
  const principal = await currentPrincipal();
  if (!principal) redirect(`/login?next=${encodeURIComponent(path)}`);
  if (!can(principal, "partner:write")) {
    return (
      <main className="mx-auto flex min-h-dvh max-w-2xl flex-col justify-center gap-4 p-8" data-testid="settings-forbidden">
        <h1 className="text-4xl font-black">Not allowed</h1>
        <p className="text-xl text-gray-300">Settings are for the restaurant's operators and admins.</p>
        <Link href="/" className="min-h-11 content-center text-xl text-sky-300 underline underline-offset-4">
          Back to Pass
        </Link>
      </main>
    );
  }
  const db = getDb();
  const scope = await resolvePartnerScope({ db, principal });
  let q = db.selectFrom("partners").select(["slug", "name"]).orderBy("name");
  if (scope !== null) q = q.where("id", "=", scope);
  const partners = await q.execute();
  const initial = partners.find((p) => p.slug === partner)?.slug ?? partners[0]?.slug ?? "";
  const code = typeof pair === "string" && /^[A-Za-z0-9-]{1,20}$/.test(pair) ? pair : "";
  return (
    <SettingsScreen
      partners={partners}
      initialPartner={initial}
      initialTab={tab}
      pairCode={code}
      isAdmin={scope === null}
      me={principal.kind === "user" ? principal.userId : ""}
    />
  );
}
