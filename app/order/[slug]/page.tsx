import { notFound } from "next/navigation";
import { getDb } from "@/lib/db";
import { findPartnerBySlug, listFoods, toFoodDto } from "@/lib/menu";
import { OrderView } from "./order-view";

export const dynamic = "force-dynamic";

/** The customer's menu: a kiosk, or a phone after scanning the table's QR code (?table=12). */
export default async function OrderPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<{ table?: string }>;
}) {
  const { slug } = await params;
  const { table } = await searchParams;
  const db = getDb();
  const partner = await findPartnerBySlug({ db, slug });
  if (!partner) notFound();
  const foods = (await listFoods({ db, partnerId: partner.id, onlyAvailable: false })).map((f) => toFoodDto(f));
  return <OrderView partner={{ slug: partner.slug, name: partner.name }} foods={foods} table={table?.slice(0, 32) ?? null} />;
}
