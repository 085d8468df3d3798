import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { I18nProvider } from "@/components/i18n";
import { currentPrincipal } from "@/lib/auth/next";
import { safeNextPath } from "@/lib/auth/redirect";
import { DEFAULT_LOCALE, languageOf, translator } from "@/lib/i18n";
import { LoginForm } from "./login-form";

export const dynamic = "force-dynamic";

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  // Only same-origin paths are followed (lib/auth/redirect.ts).
  const target = safeNextPath(next);
  if (await currentPrincipal()) redirect(target);
  // Nobody is known yet, so no restaurant: the browser's first language when Pass has a catalogue for it.
  const preferred = (await headers()).get("accept-language")?.split(",")[0]?.split(";")[0]?.trim() ?? "";
  const locale = preferred && languageOf(preferred) !== "en" ? preferred : DEFAULT_LOCALE;
  const t = translator(locale);
  return (
    <main className="flex min-h-dvh items-center justify-center p-6">
      <div className="w-full max-w-md rounded-2xl border border-white/10 bg-white/5 p-8 shadow-xl">
        <h1 className="mb-1 text-4xl font-black tracking-tight">Pass</h1>
        <p className="mb-8 text-lg text-gray-300">{t("login.tagline")}</p>
        <I18nProvider locale={locale}>
          <LoginForm next={target} />
        </I18nProvider>
      </div>
    </main>
  );
}
