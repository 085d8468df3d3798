/**
 * The per-order invoice (issue 17 item 2): rendered as a PDF and read back by text extraction
 * (lib/testing/pdf-text.ts) — the header, the lines with their options, the tax the total includes,
 * the totals in the partner's currency — and who may get it: staff of the partner, the guest by the
 * order's tracking token after payment, nobody else (404). On SQLite and PostgreSQL.
 */
import { beforeAll, expect, it } from "vitest";
import type { Principal } from "../auth";
import { createGroup, updateFood } from "../menu";
import { describeEachDatabase } from "../testing/each-database";
import { makePartner, makeUser, placeOrder, type TestPartner } from "../testing/fixtures";
import { pdfText } from "../testing/pdf-text";
import { includedTaxes, orderInvoicePdf } from "./invoice";
import { updatePartnerProfile } from "./partner-profile";
import { confirmOrder, createOrder } from "./service";

it("each tax's part of a tax-inclusive total, rounded to the cent; the net is what remains", () => {
  expect(includedTaxes(3150, [{ name: "TVA", percent: 10 }])).toEqual({ taxes: [{ name: "TVA", percent: 10, amount: 286 }], net: 2864 });
  // Québec: GST 5 % and QST 9.975 % on the same base; 100.00 net → 114.98 paid.
  expect(
    includedTaxes(11498, [
      { name: "GST", percent: 5 },
      { name: "QST", percent: 9.975 },
    ]),
  ).toEqual({
    taxes: [
      { name: "GST", percent: 5, amount: 500 },
      { name: "QST", percent: 9.975, amount: 998 },
    ],
    net: 10000,
  });
  expect(includedTaxes(999, [])).toEqual({ taxes: [], net: 999 });
});

describeEachDatabase("the invoice PDF", (ctx) => {
  let demo: TestPartner;
  let other: TestPartner;
  let operator: Principal;
  let otherOperator: Principal;
  let doneness: Awaited<ReturnType<typeof createGroup>>;

  beforeAll(async () => {
    demo = await makePartner(ctx.db, "demo", { currency: "EUR", locale: "fr-FR", timezone: "Europe/Paris" });
    other = await makePartner(ctx.db, "other");
    operator = (await makeUser(ctx.db, { partnerId: demo.partner.id, role: "operator", username: "op" })).principal;
    otherOperator = (await makeUser(ctx.db, { partnerId: other.partner.id, role: "operator", username: "op2" })).principal;
    await updatePartnerProfile({
      db: ctx.db,
      principal: operator,
      slug: "demo",
      patch: {
        name: "Chez Noé",
        address: "12 rue de la Paix, 75002 Paris",
        taxId: "FR 12 345678901",
        taxRates: [{ name: "TVA", percent: 10 }],
      },
    });
    doneness = await createGroup({
      db: ctx.db,
      principal: operator,
      input: {
        partner: "demo",
        name: "Cuisson",
        min: 0,
        max: 1,
        options: [{ name: "Saignant" }, { name: "Bien cuit", priceDelta: "0.5" }],
      },
    });
    await updateFood({ db: ctx.db, principal: operator, id: demo.food("Margherita").id, patch: { modifierGroupIds: [doneness.id] } });
  });

  const paidOrder = async () => {
    const { order, trackingToken } = await createOrder({
      db: ctx.db,
      principal: null,
      input: {
        partner: "demo",
        source: "qr",
        table: "7",
        items: [
          {
            foodId: demo.food("Margherita").id,
            quantity: 2,
            notes: "bien chaude",
            modifiers: [{ groupId: doneness.id, optionIds: [doneness.options[1]!.id] }],
          },
          { foodId: demo.food("Fries").id, quantity: 1 },
        ],
      },
    });
    const confirmed = await confirmOrder({
      db: ctx.db,
      principal: operator,
      id: order.id,
      input: { paymentMethod: "CASH", tendered: "40" },
    });
    return { order: confirmed, trackingToken };
  };

  it("says who sells, what was sold with its options, the tax the total includes and the totals, in euros and French", async () => {
    const { order } = await paidOrder();
    // Margherita 12.50 + option 0.50 + surcharge 0.50 = 13.50 × 2 = 27.00; fries 4.50; total 31.50, TVA 10 % of it 2.86.
    expect(order.total).toBe(3150);
    const { pdf, filename } = await orderInvoicePdf({ db: ctx.db, principal: operator, id: order.id, trackingToken: null });
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect(filename).toBe(`invoice-${order.businessDay}-${order.id}.pdf`);
    const [page, ...rest] = await pdfText(pdf);
    expect(rest).toEqual([]);
    for (const words of [
      "Chez Noé",
      "12 rue de la Paix, 75002 Paris",
      "N° TVA FR 12 345678901",
      `Facture N° ${order.businessDay}-${order.id}`,
      `Commande ${order.displayCode}`,
      "Table 7",
      "2× Margherita 13,50 € 27,00 €",
      "Cuisson : Bien cuit (+0,50 €)",
      "“bien chaude”",
      "1× Fries 4,50 € 4,50 €",
      "Sous-total 31,50 €",
      "Total 31,50 €",
      "dont TVA 10 % 2,86 €",
      "Total HT 28,64 €",
      "Payé : Espèces 31,50 €",
      "Reçu 40,00 € · rendu 8,50 €",
    ])
      expect(page).toContain(words);
    expect(page).not.toContain("Remise");
  });

  it("without tax rates there are no tax lines; a discount shows", async () => {
    const { order: placed } = await placeOrder(ctx.db, other, { items: [{ food: "Fries", quantity: 2 }] });
    const order = await confirmOrder({
      db: ctx.db,
      principal: otherOperator,
      id: placed.id,
      input: { paymentMethod: "CARD", discount: "1" },
    });
    const [page] = await pdfText((await orderInvoicePdf({ db: ctx.db, principal: otherOperator, id: order.id, trackingToken: null })).pdf);
    expect(page).toContain("Invoice No.");
    expect(page).toContain("Discount −$1.00");
    expect(page).toContain("Total $8.00");
    expect(page).toContain("Paid: Card $8.00");
    expect(page).not.toMatch(/incl\.|excl\. tax/);
  });

  it("the guest gets theirs by the tracking token once paid; a wrong token, another partner or no payment yet do not", async () => {
    const { order, trackingToken } = await paidOrder();
    const guest = await orderInvoicePdf({ db: ctx.db, principal: null, id: order.id, trackingToken });
    expect((await pdfText(guest.pdf))[0]).toContain("Chez Noé");
    await expect(orderInvoicePdf({ db: ctx.db, principal: null, id: order.id, trackingToken: "trk_wrong" })).rejects.toMatchObject({
      status: 404,
    });
    await expect(orderInvoicePdf({ db: ctx.db, principal: otherOperator, id: order.id, trackingToken: null })).rejects.toMatchObject({
      status: 404,
    });
    await expect(orderInvoicePdf({ db: ctx.db, principal: null, id: 987654, trackingToken })).rejects.toMatchObject({ status: 404 });
    const unpaid = await placeOrder(ctx.db, demo, { source: "qr" });
    await expect(
      orderInvoicePdf({ db: ctx.db, principal: null, id: unpaid.order.id, trackingToken: unpaid.trackingToken }),
    ).rejects.toMatchObject({ status: 409 });
  });

  it("tax settings are checked field by field and a refusal changes nothing", async () => {
    const before = await ctx.db.selectFrom("partners").selectAll().where("slug", "=", "demo").executeTakeFirstOrThrow();
    const refuse = (patch: Record<string, unknown>, field: string) =>
      expect(updatePartnerProfile({ db: ctx.db, principal: operator, slug: "demo", patch })).rejects.toMatchObject({
        status: 400,
        details: { field },
      });
    await refuse({ taxRates: [{ name: "TVA", percent: 0 }] }, "taxRates.0.percent");
    await refuse({ taxRates: [{ name: "TVA", percent: 100.5 }] }, "taxRates.0.percent");
    await refuse({ taxRates: [{ name: "TVA", percent: 5.12345 }] }, "taxRates.0.percent");
    await refuse(
      {
        taxRates: [
          { name: "TVA", percent: 5 },
          { name: "tva", percent: 10 },
        ],
      },
      "taxRates.1.name",
    );
    await refuse({ taxRates: [{ name: " ", percent: 5 }] }, "taxRates.0.name");
    await refuse({ taxRates: [{ name: "TVA", percent: 5, rate: 3 }] }, "taxRates.0.rate");
    await refuse({ taxRates: "10%" }, "taxRates");
    await refuse({ taxRates: Array.from({ length: 6 }, (_, i) => ({ name: `T${i}`, percent: 1 })) }, "taxRates");
    await refuse({ address: "a\u0000b" }, "address");
    await refuse({ taxId: "x".repeat(41) }, "taxId");
    const after = await ctx.db.selectFrom("partners").selectAll().where("slug", "=", "demo").executeTakeFirstOrThrow();
    expect(after).toEqual(before);
    const cleared = await updatePartnerProfile({ db: ctx.db, principal: operator, slug: "demo", patch: { address: null, taxRates: [] } });
    expect(cleared).toMatchObject({ address: null, taxRates: [], taxId: "FR 12 345678901" });
    await updatePartnerProfile({
      db: ctx.db,
      principal: operator,
      slug: "demo",
      patch: { address: "12 rue de la Paix, 75002 Paris", taxRates: [{ name: "TVA", percent: 10 }] },
    });
  });
});
