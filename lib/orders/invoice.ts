import "server-only";
import { assertCan, assertPartnerVisible, type Principal } from "../auth/access";
import type { Db } from "../db";
import { ConflictError, NotFoundError } from "../errors";
import type { OrderRecord } from "./dto";
import { type Invoice, type InvoiceTax, renderInvoicePdf } from "./invoice-pdf";
import { parseTaxRates, type TaxRate } from "./partner-profile";
import { getOrderByTrackingToken, loadOrder } from "./service";

/**
 * The per-order invoice (seeds/004 `invoice:generate`, issue 17 item 2): the restaurant's header,
 * the lines with their options, the totals in the partner's currency and, when the partner sets
 * tax rates, the tax each rate makes up of the total. Prices include their taxes (the guest paid
 * the total), so each rate's part is total × rate / (100 + the rates' sum), rounded to the minor
 * unit, and the net is what remains: the lines always add up to what was paid.
 *
 * An invoice exists once the order is paid (confirmed with its payments): before that there is no
 * bill to show, and a cancelled order has none either. Staff of the partner get it
 * (`orders:read`); a guest with the order's tracking token gets their own; anyone else 404.
 */
/** Each rate's part of a tax-inclusive total, in minor units; rates are 0–100 with three decimals. */
export function includedTaxes(total: number, rates: readonly TaxRate[]): { taxes: InvoiceTax[]; net: number } {
  const milli = rates.map((r) => Math.round(r.percent * 1000));
  const sum = milli.reduce((a, b) => a + b, 0);
  const taxes = rates.map((r, i) => ({ name: r.name, percent: r.percent, amount: Math.round((total * milli[i]!) / (100_000 + sum)) }));
  return { taxes, net: total - taxes.reduce((a, t) => a + t.amount, 0) };
}

/** The invoice's number: the business day and the order's id, unique and in the order they were taken. */
export const invoiceNumber = (o: Pick<OrderRecord, "businessDay" | "id">) => `${o.businessDay}-${o.id}`;

export type { Invoice, InvoiceTax };

export function assertInvoiceable(order: OrderRecord): void {
  if (order.status === "CANCELLED") throw new ConflictError("a cancelled order has no invoice", { status: order.status });
  if (order.status === "PENDING" || order.payments.length === 0)
    throw new ConflictError("the order is not paid yet: its invoice comes with the payment", { status: order.status });
}

export async function buildInvoice(db: Db, order: OrderRecord): Promise<Invoice> {
  assertInvoiceable(order);
  const p = await db
    .selectFrom("partners")
    .select(["name", "address", "taxId", "taxRates", "currency", "locale", "timezone"])
    .where("id", "=", order.partnerId)
    .executeTakeFirstOrThrow();
  const { taxes, net } = includedTaxes(order.total, parseTaxRates(p.taxRates));
  return {
    number: invoiceNumber(order),
    partner: { name: p.name, address: p.address, taxId: p.taxId, currency: p.currency, locale: p.locale, timezone: p.timezone },
    order,
    taxes,
    net,
  };
}

/**
 * GET /api/orders/{id}/invoice.pdf: staff of the order's partner by their principal, a guest by
 * the tracking token (another partner's order, a wrong token: 404). Returns the PDF's bytes.
 */
export async function orderInvoicePdf({
  db,
  principal,
  id,
  trackingToken,
}: {
  db: Db;
  principal: Principal | null;
  id: number;
  trackingToken: string | null;
}): Promise<{ pdf: Buffer; filename: string }> {
  let order: OrderRecord | undefined;
  if (principal) {
    assertCan(principal, "orders:read");
    order = await loadOrder(db, id);
    if (!order) throw new NotFoundError("order");
    assertPartnerVisible(principal, order.partnerId, "order");
  } else if (trackingToken) {
    order = await getOrderByTrackingToken({ db, id, trackingToken });
  }
  if (!order) throw new NotFoundError("order");
  const invoice = await buildInvoice(db, order);
  return { pdf: await renderInvoicePdf(invoice), filename: `invoice-${invoice.number}.pdf` };
}
