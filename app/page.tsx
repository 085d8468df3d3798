import Link from "next/link";
import { redirect } from "next/navigation";
import { can, type Principal, resolvePartnerScope } from "@/lib/auth";
import { currentPrincipal } from "@/lib/auth/next";
import { getDb } from "@/lib/db";
import { DEMO_MINUTES, DEMO_PARTNER } from "@/lib/demo/runner";
import { type MessageKey, type Translate, translator } from "@/lib/i18n";
import { DemoPanel } from "./demo-panel";
import { localeForPrincipal } from "./locale";
import { LogoutButton } from "./logout-button";
import { screensFor } from "./screens";
import { I18nProvider } from "@/components/i18n";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  const principal = await currentPrincipal();
  if (!principal) redirect("/login");
  const locale = await localeForPrincipal(principal);
  const t = translator(locale);
  const screens = screensFor(principal);
  const partners = await partnersOf(principal);
  const allowed = new Set(screens.map((s) => s.href));
  const demo = partners.find((p) => p.slug === DEMO_PARTNER);
  const orderHref = `/order/${(demo ?? partners[0])?.slug ?? DEMO_PARTNER}`;

  return (
    <main className="mx-auto flex min-h-dvh max-w-6xl flex-col gap-8 p-6 sm:p-10">
      <header className="flex flex-wrap items-center justify-between gap-4">
        <div>
          <h1 className="text-5xl font-black tracking-tight">Pass</h1>
          <p className="mt-1 text-lg text-gray-300" data-testid="home-user">
            {t("home.signedInAs")} <strong className="text-white">{principal.kind === "user" ? principal.username : principal.name}</strong>{" "}
            ({principal.role})
          </p>
        </div>
        <LogoutButton label={t("home.signOut")} />
      </header>

      <section aria-labelledby="flow-heading" data-testid="flow">
        <h2 id="flow-heading" className="text-2xl font-bold">
          {t("home.flowTitle")}
        </h2>
        <p className="mt-1 mb-4 text-lg text-gray-300">{t("home.flowIntro")}</p>
        <Flow t={t} allowed={allowed} orderHref={orderHref} />
      </section>

      {demo && can(principal, "demo:run") && (
        <I18nProvider locale={locale}>
          <DemoPanel partner={demo.slug} restaurant={demo.name} minutes={DEMO_MINUTES.default} />
        </I18nProvider>
      )}

      <section aria-labelledby="screens-heading">
        <h2 id="screens-heading" className="mb-4 text-2xl font-bold">
          {t("home.screens")}
        </h2>
        <ul className="grid gap-4 sm:grid-cols-2" data-testid="screen-list">
          {screens.map((s) => (
            <li key={s.href}>
              <Link
                href={s.href}
                data-testid={`screen-${s.channel}`}
                className="flex min-h-28 flex-col justify-center rounded-2xl border border-white/10 bg-white/5 p-6 hover:border-sky-400 hover:bg-white/10 focus:outline-none focus-visible:ring-4 focus-visible:ring-sky-400"
              >
                <span className="text-3xl font-extrabold">{t(s.title)}</span>
                <span className="mt-1 text-lg text-gray-300">{t(s.what)}</span>
              </Link>
            </li>
          ))}
        </ul>
      </section>

      {partners.length > 0 && (
        <section aria-labelledby="partners-heading">
          <h2 id="partners-heading" className="mb-4 text-2xl font-bold">
            {t("home.restaurants")}
          </h2>
          <ul className="flex flex-col gap-2 text-lg" data-testid="partner-list">
            {partners.map((p) => (
              <li key={p.slug} className="flex flex-wrap items-center gap-3 rounded-xl bg-white/5 px-4 py-3">
                <strong>{p.name}</strong>
                <span className="text-gray-400">{p.slug}</span>
                <Link href={`/order/${p.slug}`} className="ml-auto min-h-11 content-center text-sky-300 underline underline-offset-4">
                  {t("home.orderPage")}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
    </main>
  );
}

type Step = { key: "order" | "cashier" | "kitchen" | "board" | "printer" | "dashboard"; href: string; tone: string };

/**
 * The flow in one picture: order → cashier → kitchen, which fans out to board, printer and
 * dashboard. Each box is the button to its screen (greyed when the role cannot open it).
 */
function Flow({ t, allowed, orderHref }: { t: Translate; allowed: ReadonlySet<string>; orderHref: string }) {
  const main: Step[] = [
    { key: "order", href: orderHref, tone: "border-sky-400 bg-sky-950/60" },
    { key: "cashier", href: "/cashier", tone: "border-amber-400 bg-amber-950/50" },
    { key: "kitchen", href: "/kitchen", tone: "border-violet-400 bg-violet-950/50" },
  ];
  const fan: Step[] = [
    { key: "board", href: "/board", tone: "border-green-400 bg-green-950/50" },
    { key: "printer", href: "/printer", tone: "border-gray-300 bg-white/5" },
    { key: "dashboard", href: "/dashboard", tone: "border-pink-400 bg-pink-950/40" },
  ];
  const open = (s: Step) => s.key === "order" || allowed.has(s.href);
  return (
    <ol className="flex flex-col items-stretch gap-2 lg:flex-row lg:items-center" aria-label={t("home.flowTitle")}>
      {main.map((s) => (
        <li key={s.key} className="flex flex-col items-stretch gap-2 lg:flex-row lg:items-center">
          <FlowBox step={s} t={t} open={open(s)} />
          <Arrow />
        </li>
      ))}
      <li className="lg:flex-1">
        <ol className="flex flex-col gap-2" data-testid="flow-fan">
          {fan.map((s) => (
            <li key={s.key}>
              <FlowBox step={s} t={t} open={open(s)} />
            </li>
          ))}
        </ol>
      </li>
    </ol>
  );
}

function FlowBox({ step, t, open }: { step: Step; t: Translate; open: boolean }) {
  const title = t(`home.flow.${step.key}` as MessageKey);
  const what = t(`home.flow.${step.key}What` as MessageKey);
  const body = (
    <>
      <span className="text-2xl font-black">{title}</span>
      <span className="text-base text-gray-200">{what}</span>
    </>
  );
  const cls = `flex min-h-20 flex-col justify-center rounded-2xl border-4 px-4 py-2 lg:min-w-40 ${step.tone}`;
  return open ? (
    <Link
      href={step.href}
      data-testid={`flow-${step.key}`}
      className={`${cls} hover:brightness-125 focus:outline-none focus-visible:ring-4 focus-visible:ring-sky-400`}
    >
      {body}
    </Link>
  ) : (
    <div data-testid={`flow-${step.key}`} aria-disabled className={`${cls} opacity-40`}>
      {body}
    </div>
  );
}

function Arrow() {
  return (
    <svg aria-hidden viewBox="0 0 40 24" className="mx-auto h-6 w-10 shrink-0 rotate-90 text-gray-400 lg:rotate-0">
      <path d="M2 12h30M24 4l10 8-10 8" fill="none" stroke="currentColor" strokeWidth="4" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

async function partnersOf(principal: Principal) {
  const db = getDb();
  const scope = await resolvePartnerScope({ db, principal });
  let q = db.selectFrom("partners").select(["slug", "name"]).orderBy("name");
  if (scope !== null) q = q.where("id", "=", scope);
  return q.execute();
}
