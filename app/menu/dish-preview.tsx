import { useLocale, useT } from "@/components/i18n";
import { signedDelta } from "@/lib/client/menu";
import { allergenLabel, type Translate } from "@/lib/i18n";
import { DEFAULT_MONEY_STYLE, displayMinor, type MoneyStyle } from "@/lib/money-format";

export type PreviewGroup = {
  id: string;
  name: string;
  min: number;
  max: number;
  options: { id: string; name: string; priceDelta: string; available: boolean }[];
};

export type PreviewDish = {
  name: string;
  description: string;
  imageUrl: string;
  price: string;
  surcharge: string;
  allergens: string[];
  available: boolean;
  groups: PreviewGroup[];
};

const cents = (v: string) => (/^\d+(\.\d+)?$/.test(v.trim()) ? Math.round(Number(v) * 100) : null);

/** What a group asks of the guest, as the order page words it. */
export function choiceRule(t: Translate, min: number, max: number): string {
  if (min > 0 && min === max) return t("menu.rule.exact", { min });
  if (min > 0) return t("menu.rule.range", { min, max });
  return t("menu.rule.optional", { max });
}

/**
 * The customer's dish card as /order/{slug} shows it (same card look: rounded, white/5, name in
 * bold, price = price + surcharge), fed by the dish being edited, so the operator sees what the
 * guest will see before saving.
 */
export function DishPreview({ dish, style = DEFAULT_MONEY_STYLE }: { dish: PreviewDish; style?: MoneyStyle }) {
  const t = useT();
  const locale = useLocale();
  const price = cents(dish.price);
  const surcharge = cents(dish.surcharge || "0") ?? 0;
  const image = /^(https?:\/\/|\/)\S+$/.test(dish.imageUrl.trim()) ? dish.imageUrl.trim() : null;
  return (
    <article
      data-testid="dish-preview"
      aria-label={t("menu.preview")}
      className={`flex flex-col gap-3 rounded-2xl border border-white/10 bg-white/5 p-3 ${dish.available ? "" : "opacity-60"}`}
    >
      {image && (
        // A preview of whatever URL is typed: next/image would need every host configured.
        <img src={image} alt="" className="h-28 w-full rounded-xl bg-black/40 object-cover" data-testid="preview-image" />
      )}
      <div className="flex items-start gap-3">
        <div className="min-w-0 flex-1">
          <div className="text-xl font-bold" data-testid="preview-name">
            {dish.name.trim() || <span className="text-gray-500">{t("menu.preview.name")}</span>}
          </div>
          {dish.description.trim() && (
            <p className="mt-1 whitespace-pre-line text-base text-gray-300" data-testid="preview-description">
              {dish.description.trim()}
            </p>
          )}
        </div>
        <div className="text-lg text-gray-300 tabular-nums" data-testid="preview-price">
          {price === null ? "—" : displayMinor(price + surcharge, style)}
        </div>
      </div>
      {!dish.available && <span className="self-start rounded-full bg-red-700 px-3 py-1 text-base font-bold">{t("menu.soldOut")}</span>}
      {dish.allergens.length > 0 && (
        <ul className="flex flex-wrap gap-1" aria-label={t("menu.allergens")} data-testid="preview-allergens">
          {dish.allergens.map((a) => (
            <li
              key={a}
              className="rounded-full border border-amber-400/60 bg-amber-400/10 px-2 py-0.5 text-sm font-semibold text-amber-200"
            >
              {allergenLabel(locale, a)}
            </li>
          ))}
        </ul>
      )}
      {dish.groups.map((g) => (
        <section key={g.id} data-testid="preview-group" data-name={g.name} className="rounded-xl bg-black/30 p-2">
          <h4 className="flex flex-wrap items-center gap-2 text-lg font-bold">
            {g.name}
            {g.min > 0 ? (
              <span className="rounded-full bg-red-700 px-2 py-0.5 text-sm font-black text-white" data-testid="preview-required">
                {t("menu.required")}
              </span>
            ) : null}
            <span className="text-sm font-normal text-gray-400">{choiceRule(t, g.min, g.max)}</span>
          </h4>
          <ul className="mt-1 flex flex-col gap-1 text-base">
            {g.options.map((o) => (
              <li key={o.id} className={`flex justify-between gap-2 ${o.available ? "" : "text-gray-500 line-through"}`}>
                <span>{o.name}</span>
                <span className="tabular-nums text-gray-300">{signedDelta(o.priceDelta, style)}</span>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </article>
  );
}
