import { I18nProvider } from "@/components/i18n";
import { getDb } from "@/lib/db";
import { DEFAULT_LOCALE } from "@/lib/i18n";
import { getOrderByTrackingToken } from "@/lib/orders";
import { localeOfPartner } from "../../locale";
import { TrackView } from "./track-view";

export const dynamic = "force-dynamic";

/** The customer's live view of their order (the link carries its tracking token), in the restaurant's language. */
export default async function TrackPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ token?: string }>;
}) {
  const { id } = await params;
  const { token } = await searchParams;
  const orderId = Number(id);
  // Only the token's holder learns which restaurant it is; a wrong link reads the default language.
  const order =
    Number.isSafeInteger(orderId) && orderId > 0 && typeof token === "string" && token
      ? await getOrderByTrackingToken({ db: getDb(), id: orderId, trackingToken: token }).catch(() => null)
      : null;
  const locale = order ? await localeOfPartner({ id: order.partnerId }) : DEFAULT_LOCALE;
  return (
    <I18nProvider locale={locale}>
      <TrackView orderId={orderId} token={token ?? ""} />
    </I18nProvider>
  );
}
