"use client";

import { allergyNotes, isRemoval, lineOptions, type OrderLine } from "@/lib/client/order-lines";
import { allergenLabel } from "@/lib/i18n";
import type { OrderDto } from "@/lib/orders/dto";
import { useLocale, useT } from "./i18n";

/**
 * A line's structure under its name on the staff screens: the chosen options ("+ Extra cheese",
 * "NO onions", "+ Side of fries @ FRYER"), the allergens it contains and the guest's own note.
 * `station` is the station reading it (an option cooked elsewhere is marked with its station).
 */
export function LineDetails({
  line,
  station = null,
  size = "lg",
}: {
  line: OrderLine;
  station?: string | null;
  /** `sm`: the cashier's compact cards — options on one wrapping row, allergens on one line, the note in two. */
  size?: "lg" | "md" | "sm";
}) {
  const t = useT();
  const locale = useLocale();
  const options = lineOptions(line);
  const here = station ?? line.station;
  const text = size === "lg" ? "text-2xl" : size === "md" ? "text-lg" : "text-base";
  const small = size === "sm";
  return (
    <>
      {options.length > 0 && (
        <ul
          data-testid="line-options"
          className={`${small ? "flex flex-wrap gap-x-2 pl-4" : "mt-1 flex flex-col gap-0.5 pl-6"} ${text} font-bold`}
        >
          {options.map((opt) => (
            <li
              key={opt.id}
              data-testid="line-option"
              className={isRemoval(opt) ? "text-orange-300" : opt.station && opt.station !== here ? "text-sky-300" : "text-white"}
            >
              {optionLabel(opt, here)}
            </li>
          ))}
        </ul>
      )}
      {line.allergens.length > 0 && (
        <p
          data-testid="line-allergens"
          className={`${small ? "truncate pl-4 text-sm" : `mt-1 pl-6 ${size === "lg" ? "text-lg" : "text-base"}`} text-gray-300`}
        >
          {t("lines.contains")}{" "}
          <span className="font-semibold text-gray-100">{line.allergens.map((c) => allergenLabel(locale, c)).join(", ")}</span>
        </p>
      )}
      {line.notes && (
        <p
          data-testid="line-note"
          className={`${small ? "line-clamp-2 px-1.5 text-base" : `mt-1 px-2 py-1 ${size === "lg" ? "text-xl" : "text-lg"}`} rounded-lg border-2 border-yellow-300 bg-yellow-300/15 font-bold break-words text-yellow-200`}
        >
          {line.notes}
        </p>
      )}
    </>
  );
}

function optionLabel(opt: OrderLine["modifiers"][number]["options"][number], here: string) {
  const no = /^no\s+(.+)$/i.exec(opt.name.trim());
  const main = no ? (
    <>
      <span className="font-black">NO</span> {no[1]}
    </>
  ) : (
    <>+ {opt.name}</>
  );
  return (
    <>
      {main}
      {opt.station && opt.station !== here && (
        <span className="ml-2 rounded bg-sky-400 px-1.5 text-base font-black text-black uppercase">@ {opt.station}</span>
      )}
    </>
  );
}

/**
 * The unmissable red band of an order with `allergyAlert` (issue "The menu" item 7): full card
 * width, white on red, the declared allergens by name and the guest's note, and who in the
 * kitchen tapped "Allergy seen" (or that nobody has yet). `children`: the screen's own action.
 */
export function AllergyBand({
  order,
  compact = false,
  wholeText = false,
  children,
}: {
  order: OrderDto;
  compact?: boolean;
  /** With `compact`: the short layout, but the whole text (the guest's note too), unclamped — a kitchen card whose slot is too short for the full band. */
  wholeText?: boolean;
  children?: React.ReactNode;
}) {
  const t = useT();
  const locale = useLocale();
  if (!order.allergyAlert) return null;
  const declared = (order.allergies?.codes.length ?? 0) > 0 || Boolean(order.allergies?.note?.trim());
  const notes = declared ? [] : allergyNotes(order);
  // lib/client/order-lines allergyText's wording, in the screen's language.
  const allergyText = ({ allergies }: Pick<OrderDto, "allergies">) => {
    const names = (allergies?.codes ?? []).map((c) => allergenLabel(locale, c)).join(", ");
    const note = allergies?.note?.trim();
    return `${t("lines.allergy")}${names ? `: ${names}` : ""}${note ? ` — ${note}` : ""}`;
  };
  const text = declared ? allergyText(order) : `${t("lines.allergy")} — ${notes.join(" · ") || t("lines.seeLines")}`;
  const codes = order.allergies?.codes ?? [];
  return (
    <div
      role="alert"
      data-testid="allergy-band"
      data-acked={Boolean(order.allergyAckAt)}
      className={`flex flex-col bg-[#b91c1c] text-white ${compact ? "gap-0.5 px-3 py-1.5" : "gap-2 px-3 py-3"}`}
    >
      {/* Compact cards (a busy wall TV) keep the band short so the ticket's lines and buttons still
          fit their slot: every declared allergen always (never cut), the guest's note only as far as
          two lines allow (the full text is the title and on the normal card). */}
      <p
        className={`${compact ? (wholeText ? "text-xl" : "line-clamp-2 text-xl") : "text-3xl"} leading-tight font-black tracking-wide break-words uppercase`}
        data-testid="allergy-text"
        title={compact && !wholeText ? text : undefined}
      >
        ⚠ {compact && !wholeText && declared && codes.length > 0 ? allergyText({ allergies: { codes, note: null } }) : text}
      </p>
      <div className={compact ? "flex items-center gap-2" : "contents"}>
        <p className={compact ? "min-w-0 flex-1 truncate text-sm font-bold" : "text-xl font-bold"} data-testid="allergy-ack">
          {order.allergyAckAt
            ? t("lines.seenBy", {
                who: order.allergyAckBy ?? t("lines.kitchen"),
                time: new Date(order.allergyAckAt).toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" }),
              })
            : t("lines.notSeen")}
        </p>
        {children}
      </div>
    </div>
  );
}
