/**
 * ESC/POS encoding, decoded back by the fake printer: the code page follows the restaurant's
 * language (one page per slip when one has every character, mixed pages otherwise), money uses the
 * restaurant's currency and locale, stamps print inverted at the top, a test page prints.
 */
import { describe, expect, it } from "vitest";
import type { OrderDto } from "../orders/dto";
import { EscPosParser } from "../testing/fake-printer";
import { codepagesFor, encodeJob, encodeTestPage, pickCodepage } from "./escpos";
import type { PrintJob } from "./plan";

const at = "2026-12-01T18:42:00.000Z";
function order(over: Partial<OrderDto> = {}): OrderDto {
  return {
    id: 7,
    ticketNumber: 42,
    displayCode: "A42",
    serviceType: "takeaway",
    table: null,
    customer: "Zoë",
    createdAt: at,
    confirmedAt: at,
    promisedAt: null,
    allergyAlert: false,
    allergies: null,
    subTotal: "12.5",
    surcharge: "0",
    discount: "1",
    total: "11.5",
    paymentMethod: "CARD",
    orderItems: [
      {
        id: "i1",
        quantity: 1,
        total: "12.5",
        notes: null,
        allergens: [],
        modifiers: [],
        food: { name: "Crème brûlée" },
        station: "pastry",
        parts: [],
      },
    ],
    ...over,
  } as unknown as OrderDto;
}
const receipt = (o: OrderDto): PrintJob => ({ key: "1:receipt", eventId: 1, kind: "receipt", reprint: false, fallback: false, order: o });
const printer = { paperWidth: 80, codePage: "auto", buzzer: false };

describe("ESC/POS slips", () => {
  it("French: one Western page, money as fr-FR writes it, with the discount negative", () => {
    const bytes = encodeJob({
      job: receipt(order()),
      restaurant: { name: "Chez Zoë", currency: "EUR", locale: "fr-FR", timezone: "Europe/Paris" },
      printer,
    });
    const [t] = EscPosParser.decode(bytes);
    expect(new Set(t!.codepages.filter((p) => p !== 0))).toEqual(new Set([19])); // PC858 (box drawing is always PC437)
    expect(t!.text).toContain("Chez Zoë");
    expect(t!.text).toMatch(/1 x Crème brûlée +12,50 €/);
    expect(t!.text).toMatch(/Discount +-1,00 €/);
    expect(t!.text).toMatch(/TOTAL +11,50 €/);
    expect(t!.text).toContain("TAKEAWAY");
    expect(t!.text).toContain("A42 · 19:42"); // the restaurant's time zone
  });

  it("Russian: PC866 for Cyrillic", () => {
    expect(codepagesFor("ru-RU")[0]).toBe("cp866");
    const o = order({
      customer: "Борис",
      orderItems: [{ ...order().orderItems[0]!, food: { name: "Борщ" } } as OrderDto["orderItems"][number]],
    });
    const [t] = EscPosParser.decode(
      encodeJob({
        job: receipt(o),
        restaurant: { name: "Пельменная", currency: "RUB", locale: "ru-RU", timezone: "Europe/Moscow" },
        printer,
      }),
    );
    expect(t!.codepages).toContain(17);
    expect(t!.text).toContain("Пельменная");
    expect(t!.text).toMatch(/1 x Борщ +12,50 ₽|1 x Борщ +12,50 \?/);
  });

  it("text no single page has switches pages mid-slip and still decodes", () => {
    expect(pickCodepage("€ Ж", ["cp858", "cp437"])).toBe("auto");
    const o = order({
      customer: "Жанна",
      orderItems: [{ ...order().orderItems[0]!, food: { name: "Café crème" } } as OrderDto["orderItems"][number]],
    });
    const [t] = EscPosParser.decode(
      encodeJob({
        job: receipt(o),
        restaurant: { name: "Bistro", currency: "EUR", locale: "de-DE", timezone: "UTC" },
        printer: { ...printer, codePage: "auto" },
      }),
    );
    expect(t!.text).toContain("Café crème");
  });

  it("stamps print first, inverted; the kitchen slip buzzes when the printer has a buzzer", () => {
    const job: PrintJob = {
      key: "1:kitchen:grill",
      eventId: 1,
      kind: "kitchen",
      station: "grill",
      items: order().orderItems,
      courses: [],
      fired: false,
      reprint: true,
      fallback: false,
      order: order(),
    };
    const [t] = EscPosParser.decode(
      encodeJob({
        job,
        restaurant: { name: "R", currency: "USD", locale: "en-US", timezone: "UTC" },
        printer: { ...printer, buzzer: true },
        stamps: { lateQueuedAt: "19:42", backupFrom: "grill" },
      }),
    );
    const stamps = t!.lines.slice(0, 3);
    expect(stamps.map((l) => l.text.trim())).toEqual(["*** REPRINT ***", "LATE — queued 19:42", "BACKUP FROM GRILL"]);
    expect(stamps.every((l) => l.inverse)).toBe(true);
    expect(t!.pulses).toBe(1);
  });

  it("a test page", () => {
    const [t] = EscPosParser.decode(
      encodeTestPage({
        page: { kind: "test", printerName: "grill", at },
        restaurant: { name: "R", currency: "USD", locale: "en-US", timezone: "UTC" },
        printer,
      }),
    );
    expect(t!.cut).toBe(true);
    expect(t!.text).toContain("TEST PAGE");
    expect(t!.text).toContain("$1,234.50");
  });
});
