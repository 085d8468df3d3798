import { allergenName } from "../menu/allergens";
import type { OrderDto } from "../orders/dto";

/**
 * How staff screens and slips word a line's structure (issue "The menu" item 7), pure, so the
 * cashier, the kitchen, the printer's preview and the 80 mm slip all say the same thing.
 */
export type OrderLine = OrderDto["orderItems"][number];
export type LineOption = OrderLine["modifiers"][number]["options"][number];

/** Readable names of the EU 14: the one table in lib/menu/allergens.ts (a pure module). */
export { ALLERGEN_NAMES, allergenName } from "../menu/allergens";

/**
 * One chosen option as the line shows it: "NO onions" for a removal, "+ Extra cheese" otherwise,
 * and, when it is cooked at another station than the one reading it ("side of fries" → fryer),
 * that station: "+ Side of fries @ FRYER".
 */
export function optionText(opt: Pick<LineOption, "name" | "station">, lineStation: string | null = null): string {
  const no = /^no\s+(.+)$/i.exec(opt.name.trim());
  const text = no ? `NO ${no[1]}` : `+ ${opt.name.trim()}`;
  return opt.station && opt.station !== lineStation ? `${text} @ ${opt.station.toUpperCase()}` : text;
}

export const isRemoval = (opt: Pick<LineOption, "name">) => /^no\s+/i.test(opt.name.trim());

/** The options of a line, in the order they were chosen (group by group). */
export function lineOptions(line: Pick<OrderLine, "modifiers">): LineOption[] {
  return line.modifiers.flatMap((m) => m.options);
}

/** "ALLERGY: Peanuts, Sesame — no nuts in the kitchen at all": the declared codes and the guest's note. */
export function allergyText(order: Pick<OrderDto, "allergies">): string {
  const codes = order.allergies?.codes ?? [];
  const note = order.allergies?.note?.trim();
  const names = codes.map(allergenName).join(", ");
  return `ALLERGY${names ? `: ${names}` : ""}${note ? ` — ${note}` : ""}`;
}

/** Lines whose own note speaks of an allergy (they also raise the band; lib/menu/allergens.ts needsAllergyAck). */
export function allergyNotes(order: Pick<OrderDto, "orderItems">): string[] {
  return order.orderItems.flatMap((i) => (i.notes && /\ballerg/i.test(i.notes) ? [i.notes] : []));
}
