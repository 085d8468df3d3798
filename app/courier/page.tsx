import { I18nProvider } from "@/components/i18n";
import { currentPrincipal } from "@/lib/auth/next";
import { getDb } from "@/lib/db";
import { myDeliveries } from "@/lib/orders";
import { localeForPrincipal } from "../locale";
import { CourierScreen, CourierSignIn } from "./courier-screen";

export const dynamic = "force-dynamic";

/**
 * The courier's phone (issue "Jobs and notifications" item 3, lib/orders/couriers.ts): signed in
 * by the link the restaurant gave (its token goes into the device cookie, app/api/courier/session),
 * it lists the courier's deliveries with "picked up" / "delivered", says whether they are
 * available, and sends their position over /ws. Anyone else sees the sign-in.
 */
export default async function CourierPage() {
  const principal = await currentPrincipal();
  const me =
    principal?.kind === "token" && principal.role === "courier" ? await myDeliveries({ db: getDb(), principal }).catch(() => null) : null;
  const locale = await localeForPrincipal(me ? principal : null);
  return <I18nProvider locale={locale}>{me ? <CourierScreen initial={me} /> : <CourierSignIn />}</I18nProvider>;
}
