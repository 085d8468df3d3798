import { notFound } from "next/navigation";
import { I18nProvider } from "@/components/i18n";
import { getDb } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import { getMenu } from "@/lib/menu";
import { localeOfPartner } from "../../locale";
import { OrderView } from "./order-view";

export const dynamic = "force-dynamic";

/**
 * The customer's menu: a kiosk, or a phone after scanning the table's QR code (?table=12). The
 * public menu with sold-out dishes (greyed, not gone); the page keeps it live (lib/client/use-live-menu.ts).
 * In the restaurant's language.
 */
export default async function OrderPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<{ table?: string }>;
}) {
  const { slug } = await params;
  const { table } = await searchParams;
  const menu = await getMenu({ db: getDb(), slug, withSoldOut: true }).catch((err) => {
    if (err instanceof NotFoundError) notFound();
    throw err;
  });
  return (
    <I18nProvider locale={await localeOfPartner({ slug: menu.partner.slug })}>
      <OrderView initial={menu} table={typeof table === "string" ? table.slice(0, 32) : null} />
    </I18nProvider>
  );
}
