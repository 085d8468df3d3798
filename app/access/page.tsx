import Link from "next/link";
import { redirect } from "next/navigation";
import { currentPrincipal } from "@/lib/auth/next";
import { translator } from "@/lib/i18n";
import { LogoutButton } from "../logout-button";
import { localeForPrincipal } from "../locale";
import { SCREENS, screensFor } from "../screens";

export const dynamic = "force-dynamic";

/**
 * Where a signed-in user lands when their role may not open a screen (lib/auth/screen.ts): it
 * says so, in the restaurant's language, and links to the screens they can use — not a bare 404.
 */
export default async function AccessPage({ searchParams }: { searchParams: Promise<{ screen?: string }> }) {
  const principal = await currentPrincipal();
  if (!principal) redirect("/login");
  const t = translator(await localeForPrincipal(principal));
  const { screen } = await searchParams;
  const path = typeof screen === "string" ? screen.split("?")[0] : "";
  const asked = SCREENS.find((s) => s.href === path);
  const usable = screensFor(principal);
  return (
    <main className="mx-auto flex min-h-dvh max-w-3xl flex-col justify-center gap-6 p-6 sm:p-10" data-testid="access-page">
      <h1 className="text-4xl font-black tracking-tight sm:text-5xl">{t("access.title")}</h1>
      <p className="text-2xl text-gray-200" data-testid="access-reason">
        {t("access.body", { screen: asked ? t(asked.title) : path || "?", role: principal.role })}
      </p>
      {usable.length > 0 ? (
        <section aria-labelledby="usable">
          <h2 id="usable" className="mb-3 text-2xl font-bold">
            {t("access.canUse")}
          </h2>
          <ul className="grid gap-3 sm:grid-cols-2" data-testid="access-screens">
            {usable.map((s) => (
              <li key={s.href}>
                <Link
                  href={s.href}
                  data-testid={`access-${s.channel}`}
                  className="flex min-h-20 flex-col justify-center rounded-2xl border border-white/10 bg-white/5 p-5 hover:border-sky-400 focus:outline-none focus-visible:ring-4 focus-visible:ring-sky-400"
                >
                  <span className="text-2xl font-extrabold">{t(s.title)}</span>
                  <span className="text-lg text-gray-300">{t(s.what)}</span>
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : (
        <p className="text-xl text-gray-300">{t("access.none")}</p>
      )}
      <div className="flex flex-wrap items-center gap-4">
        <Link href="/" className="min-h-12 content-center text-xl text-sky-300 underline underline-offset-4">
          {t("shell.home")}
        </Link>
        <LogoutButton label={t("access.signOut")} />
      </div>
    </main>
  );
}
