import Link from "next/link";
import { redirect } from "next/navigation";
import { can, canReadChannel, resolvePartnerScope, type Principal } from "@/lib/auth";
import { currentPrincipal } from "@/lib/auth/next";
import { getDb } from "@/lib/db";
import { LogoutButton } from "./logout-button";

export const dynamic = "force-dynamic";

type Screen = { href: string; title: string; what: string; channel: string; allowed?: (p: Principal) => boolean };

const SCREENS: Screen[] = [
  { href: "/cashier", title: "Cashier", what: "Confirm incoming orders, reprint, cancel", channel: "cashier" },
  { href: "/kitchen", title: "Kitchen", what: "Tickets by station: start, bump, recall", channel: "kitchen" },
  { href: "/board", title: "Board", what: "Preparing and ready numbers for guests", channel: "display" },
  { href: "/printer", title: "Printer", what: "Kitchen tickets and receipts", channel: "printer" },
  { href: "/dashboard", title: "Dashboard", what: "Every order live, today's figures", channel: "partner" },
  // The back office: not a stream channel, the menu:write permission (operators, admins).
  {
    href: "/menu",
    title: "Menu",
    what: "Dishes, prices, allergens, modifiers, stations",
    channel: "menu",
    allowed: (p) => can(p, "menu:write"),
  },
];

export default async function HomePage() {
  const principal = await currentPrincipal();
  if (!principal) redirect("/login");
  const screens = SCREENS.filter((s) => (s.allowed ? s.allowed(principal) : canReadChannel(principal, s.channel)));
  const partners = await partnersOf(principal);

  return (
    <main className="mx-auto flex min-h-dvh max-w-5xl flex-col gap-8 p-6 sm:p-10">
      <header className="flex flex-wrap items-center justify-between gap-4">
        <div>
          <h1 className="text-5xl font-black tracking-tight">Pass</h1>
          <p className="mt-1 text-lg text-gray-300" data-testid="home-user">
            Signed in as <strong className="text-white">{principal.kind === "user" ? principal.username : principal.name}</strong> (
            {principal.role})
          </p>
        </div>
        <LogoutButton />
      </header>

      <section aria-labelledby="screens-heading">
        <h2 id="screens-heading" className="mb-4 text-2xl font-bold">
          Screens
        </h2>
        <ul className="grid gap-4 sm:grid-cols-2" data-testid="screen-list">
          {screens.map((s) => (
            <li key={s.href}>
              <Link
                href={s.href}
                data-testid={`screen-${s.channel}`}
                className="flex min-h-28 flex-col justify-center rounded-2xl border border-white/10 bg-white/5 p-6 hover:border-sky-400 hover:bg-white/10 focus:outline-none focus-visible:ring-4 focus-visible:ring-sky-400"
              >
                <span className="text-3xl font-extrabold">{s.title}</span>
                <span className="mt-1 text-lg text-gray-300">{s.what}</span>
              </Link>
            </li>
          ))}
        </ul>
      </section>

      {partners.length > 0 && (
        <section aria-labelledby="partners-heading">
          <h2 id="partners-heading" className="mb-4 text-2xl font-bold">
            Restaurants
          </h2>
          <ul className="flex flex-col gap-2 text-lg" data-testid="partner-list">
            {partners.map((p) => (
              <li key={p.slug} className="flex flex-wrap items-center gap-3 rounded-xl bg-white/5 px-4 py-3">
                <strong>{p.name}</strong>
                <span className="text-gray-400">{p.slug}</span>
                <Link href={`/order/${p.slug}`} className="ml-auto min-h-11 content-center text-sky-300 underline underline-offset-4">
                  Order page
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
    </main>
  );
}

async function partnersOf(principal: Principal) {
  const db = getDb();
  const scope = await resolvePartnerScope({ db, principal });
  let q = db.selectFrom("partners").select(["slug", "name"]).orderBy("name");
  if (scope !== null) q = q.where("id", "=", scope);
  return q.execute();
}
