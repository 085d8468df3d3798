import { describe, expect, it } from "vitest";
import type { OrderDto } from "@/lib/orders/dto";
import { revenueText, todaysFigures } from "./figures";

const o = (over: Partial<OrderDto>) =>
  ({
    status: "CONFIRMED",
    total: "10",
    createdAt: "2026-01-01T12:00:00",
    confirmedAt: "2026-01-01T12:00:00",
    statusChangedAt: "2026-01-01T12:00:00",
    ...over,
  }) as OrderDto;

describe("todaysFigures", () => {
  it("counts, sums and takes the median preparation time", () => {
    const f = todaysFigures([
      o({ total: "12.5" }),
      o({ status: "PENDING", total: "99" }),
      o({ status: "CANCELLED", total: "50" }),
      o({ status: "READY", total: "7.25", statusChangedAt: "2026-01-01T12:05:00" }),
      o({ status: "READY", total: "1", statusChangedAt: "2026-01-01T12:09:00" }),
      o({ status: "READY", total: "1", statusChangedAt: "2026-01-01T12:20:00", createdAt: "2026-01-01T13:10:00" }),
    ]);
    expect(f.orders).toBe(5);
    expect(f.revenueCents).toBe(1250 + 725 + 100 + 100);
    expect(f.medianPrepS).toBe(540);
    expect(f.perHour[12]).toBe(4);
    expect(f.perHour[13]).toBe(1);
  });

  it("has no median without ready orders", () => {
    expect(todaysFigures([]).medianPrepS).toBeNull();
  });

  it("revenue in each restaurant's currency, the restaurant's way", () => {
    const f = todaysFigures([
      o({ partnerId: "eur", total: "11.5" }),
      o({ partnerId: "eur", total: "1000" }),
      o({ partnerId: "usd", total: "8" }),
    ]);
    const styles: Record<string, { currency: string; locale: string }> = {
      eur: { currency: "EUR", locale: "fr-FR" },
      usd: { currency: "USD", locale: "en-US" },
    };
    const styleOf = (id: string | undefined) => styles[id ?? "usd"] ?? styles.usd!;
    expect(revenueText(f.revenueByPartner, styleOf, "eur")).toBe("1\u202f011,50\u00a0€ + $8.00");
    expect(revenueText(new Map(), styleOf, "eur")).toBe("0,00\u00a0€");
  });
});
