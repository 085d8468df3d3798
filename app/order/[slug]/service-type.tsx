"use client";

import { useT } from "@/components/i18n";
import type { MessageKey } from "@/lib/i18n";

/** What the guest can choose on the ordering page: sent as the order's `serviceType` (lib/orders/dto.ts SERVICE_TYPES). */
export type GuestServiceType = "dine-in" | "takeaway";

const CHOICES: readonly { value: GuestServiceType; label: MessageKey }[] = [
  { value: "dine-in", label: "order.service.dineIn" },
  { value: "takeaway", label: "order.service.takeaway" },
];

/** Eat here / take away, as two big radio buttons (at a table, "eat here" is preselected by the page). */
export function ServiceTypeChoice({ value, onChange }: { value: GuestServiceType; onChange(next: GuestServiceType): void }) {
  const t = useT();
  return (
    <fieldset data-testid="service-type" data-value={value} className="grid grid-cols-2 gap-2">
      <legend className="mb-1 text-base text-gray-300">{t("order.service.label")}</legend>
      {CHOICES.map((c) => {
        const on = c.value === value;
        return (
          <label
            key={c.value}
            data-testid={`service-${c.value}`}
            className={`flex min-h-14 cursor-pointer items-center justify-center gap-2 whitespace-nowrap rounded-xl border-2 px-3 text-xl font-bold has-[:focus-visible]:outline has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-sky-300 ${on ? "border-sky-400 bg-sky-500/20 text-white" : "border-white/15 bg-white/5 text-gray-200"}`}
          >
            <input type="radio" name="service-type" value={c.value} checked={on} onChange={() => onChange(c.value)} className="sr-only" />
            {t(c.label)}
          </label>
        );
      })}
    </fieldset>
  );
}
