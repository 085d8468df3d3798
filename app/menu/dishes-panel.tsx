"use client";

import { useState } from "react";
import { createPortal } from "react-dom";
import { useT } from "@/components/i18n";
import { checkFood, type FieldErrors, type FoodInput, fieldErrors, menuApi, menuMoneyStyle, reorderedFoodsTo } from "@/lib/client/menu";
import { displayMoney } from "@/lib/money-format";
import type { FoodDto } from "@/lib/menu/model";
import { DishPreview } from "./dish-preview";
import type { MenuCtx } from "./menu-ctx";
import { SortableList } from "./sortable-list";
import { AllergenChips, Field, FieldError, FormError, Toggle, buttonClass, inputClass, invalid } from "./ui";

type Draft = {
  name: string;
  description: string;
  imageUrl: string;
  price: string;
  surcharge: string;
  categoryId: string;
  station: string;
  prepMinutes: string;
  allergens: string[];
  available: boolean;
  modifierGroupIds: string[];
};

const draftOf = (f: FoodDto): Draft => ({
  name: f.name,
  description: f.description ?? "",
  imageUrl: f.imageUrl ?? "",
  price: Number(f.price).toFixed(2),
  surcharge: Number(f.surcharge) === 0 ? "" : Number(f.surcharge).toFixed(2),
  categoryId: f.categoryId ?? "",
  station: f.station,
  prepMinutes: f.prepMinutes === null ? "" : String(f.prepMinutes),
  allergens: [...f.allergens],
  available: f.available,
  modifierGroupIds: [...f.modifierGroupIds],
});

/** The draft as the API takes it; prep minutes that are not a number go as typed, for the server to name. */
function inputOf(d: Draft): FoodInput {
  const prep = d.prepMinutes.trim();
  return {
    name: d.name.trim(),
    description: d.description.trim() || null,
    imageUrl: d.imageUrl.trim() || null,
    price: d.price.trim(),
    surcharge: d.surcharge.trim() || "0",
    categoryId: d.categoryId,
    station: d.station,
    prepMinutes: prep === "" ? null : /^\d+$/.test(prep) ? Number(prep) : (prep as unknown as number),
    allergens: d.allergens,
    available: d.available,
    modifierGroupIds: d.modifierGroupIds,
  };
}

export function DishesPanel({ ctx, goTo }: { ctx: MenuCtx; goTo: (tab: "categories" | "stations") => void }) {
  const t = useT();
  const { menu, partner, write, optimistic } = ctx;
  // "new", a food id, or nothing chosen.
  const [selected, setSelected] = useState<string | null>(menu.foods[0]?.id ?? (menu.categories.length ? "new" : null));
  const [listError, setListError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  // The editor's live preview is drawn here, at the top of the list column, which stays in view.
  const [previewSlot, setPreviewSlot] = useState<HTMLElement | null>(null);
  const food = selected && selected !== "new" ? menu.foods.find((f) => f.id === selected) : undefined;

  if (menu.stations.length === 0 || menu.categories.length === 0) {
    return (
      <div className="flex max-w-2xl flex-col gap-4 rounded-2xl border border-white/10 bg-white/5 p-6" data-testid="dishes-setup">
        <h2 className="text-2xl font-bold">{t("menu.setup.title")}</h2>
        <p className="text-lg text-gray-300">{t("menu.setup.what")}</p>
        <div className="flex flex-wrap gap-3">
          {menu.stations.length === 0 && (
            <button type="button" className={buttonClass.secondary} onClick={() => goTo("stations")}>
              {t("menu.station.addTitle")}
            </button>
          )}
          {menu.categories.length === 0 && (
            <button type="button" className={buttonClass.secondary} onClick={() => goTo("categories")}>
              {t("menu.category.addTitle")}
            </button>
          )}
        </div>
      </div>
    );
  }

  const reorder = (categoryId: string, ids: string[]) => {
    const all = reorderedFoodsTo(menu.foods, categoryId, ids);
    optimistic((m) => ({ ...m, foods: all.map((id) => m.foods.find((f) => f.id === id)!).filter(Boolean) }));
    setListError(null);
    void write(() => menuApi.reorder("foods", partner, all)).catch((err) => setListError(err.message));
  };

  return (
    <div className="grid gap-4 lg:grid-cols-[minmax(0,0.9fr)_minmax(0,1.1fr)]">
      <section
        aria-labelledby="dishes-heading"
        className="flex flex-col gap-4 lg:sticky lg:top-[84px] lg:max-h-[calc(100dvh-100px)] lg:self-start lg:overflow-y-auto lg:pr-1"
      >
        <div ref={setPreviewSlot} />
        <div className="flex items-center gap-3">
          <h2 id="dishes-heading" className="text-2xl font-bold">
            {t("menu.tab.dishes")}
          </h2>
          <button
            type="button"
            className={`${buttonClass.primary} ml-auto`}
            data-testid="new-dish"
            onClick={() => (setSelected("new"), setStatus(null))}
          >
            {t("menu.dish.new")}
          </button>
        </div>
        {listError && (
          <p role="alert" className="rounded-xl bg-red-950 px-3 py-2 text-lg">
            {listError}
          </p>
        )}
        {menu.categories.map((c) => {
          const foods = menu.foods.filter((f) => f.categoryId === c.id);
          return (
            <section key={c.id} aria-labelledby={`dishes-${c.id}`} data-testid="dish-category" data-name={c.name}>
              <h3 id={`dishes-${c.id}`} className="mb-2 text-xl font-bold text-gray-200">
                {c.name}
              </h3>
              {foods.length === 0 && <p className="text-base text-gray-400">{t("menu.dish.none")}</p>}
              <SortableList
                items={foods}
                getId={(f) => f.id}
                label={(f) => f.name}
                onReorder={(ids) => reorder(c.id, ids)}
                render={(f, controls) => (
                  <div
                    data-testid="dish-row"
                    data-name={f.name}
                    className={`flex items-center gap-2 rounded-xl border p-2 ${selected === f.id ? "border-sky-400 bg-sky-400/10" : "border-white/10 bg-white/5"}`}
                  >
                    {controls.handle}
                    <button
                      type="button"
                      onClick={() => (setSelected(f.id), setStatus(null))}
                      aria-current={selected === f.id}
                      data-testid="dish-edit"
                      className="flex min-h-11 min-w-0 flex-1 flex-col items-start text-left"
                    >
                      <span className="truncate text-lg font-bold">{f.name}</span>
                      <span className="text-base text-gray-300">
                        {displayMoney(f.price, menuMoneyStyle(menu))}
                        {f.available ? "" : t("menu.dish.rowSoldOut")}
                        {f.modifierGroupIds.length ? t("menu.dish.rowGroups", { count: f.modifierGroupIds.length }) : ""}
                      </span>
                    </button>
                    {controls.moveButtons}
                  </div>
                )}
              />
            </section>
          );
        })}
      </section>
      {selected && (
        <DishEditor
          // A new draft whenever another dish is chosen.
          key={food?.id ?? "new"}
          ctx={ctx}
          food={food}
          status={status}
          setStatus={setStatus}
          previewSlot={previewSlot}
          onSaved={(saved) => setSelected(saved.id)}
          onArchived={() => (setSelected(null), setStatus(t("menu.dish.archived")))}
        />
      )}
    </div>
  );
}

function DishEditor({
  ctx,
  food,
  status,
  setStatus,
  previewSlot,
  onSaved,
  onArchived,
}: {
  ctx: MenuCtx;
  food: FoodDto | undefined;
  status: string | null;
  setStatus: (s: string | null) => void;
  previewSlot: HTMLElement | null;
  onSaved: (f: FoodDto) => void;
  onArchived: () => void;
}) {
  const t = useT();
  const { menu, partner, write } = ctx;
  const [draft, setDraft] = useState<Draft>(() =>
    food
      ? draftOf(food)
      : {
          name: "",
          description: "",
          imageUrl: "",
          price: "",
          surcharge: "",
          categoryId: menu.categories[0]?.id ?? "",
          station: menu.stations[0]?.key ?? "",
          prepMinutes: "",
          allergens: [],
          available: true,
          modifierGroupIds: [],
        },
  );
  const [errors, setErrors] = useState<FieldErrors>({});
  const set = (patch: Partial<Draft>) => (setDraft((d) => ({ ...d, ...patch })), setStatus(null));
  const groupsById = new Map(menu.modifierGroups.map((g) => [g.id, g]));
  const unlinked = menu.modifierGroups.filter((g) => !draft.modifierGroupIds.includes(g.id));

  async function save(e: React.FormEvent) {
    e.preventDefault();
    const local = checkFood(draft);
    setErrors(local);
    if (Object.keys(local).length) return;
    try {
      const input = inputOf(draft);
      const saved = await write(() => (food ? menuApi.updateFood(food.id, input) : menuApi.createFood(partner, input)));
      setStatus(food ? t("menu.saved") : t("menu.dish.added"));
      onSaved(saved);
    } catch (err) {
      setErrors(fieldErrors(err));
    }
  }

  async function archive() {
    if (!food) return;
    try {
      await write(() => menuApi.archiveFood(food.id));
      onArchived();
    } catch (err) {
      setErrors(fieldErrors(err));
    }
  }

  const moveGroup = (id: string, delta: number) => {
    const ids = [...draft.modifierGroupIds];
    const i = ids.indexOf(id);
    const j = i + delta;
    if (j < 0 || j >= ids.length) return;
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
    set({ modifierGroupIds: ids });
  };

  const preview = (
    <div className="rounded-2xl border border-sky-400/40 bg-black/20 p-3">
      <h2 className="mb-2 text-lg font-bold text-sky-200">{t("menu.preview")}</h2>
      <DishPreview
        style={menuMoneyStyle(menu)}
        dish={{
          ...draft,
          groups: draft.modifierGroupIds.flatMap((id) => {
            const g = groupsById.get(id);
            return g ? [{ id: g.id, name: g.name, min: g.min, max: g.max, options: g.options }] : [];
          }),
        }}
      />
    </div>
  );

  return (
    <section aria-labelledby="dish-editor-heading" className="flex flex-col gap-4">
      {previewSlot && createPortal(preview, previewSlot)}
      <form
        onSubmit={save}
        noValidate
        className="flex flex-col gap-3 rounded-2xl border border-white/10 bg-white/5 p-4"
        data-testid="dish-form"
      >
        <h2 id="dish-editor-heading" className="text-2xl font-bold">
          {food ? t("menu.edit", { name: food.name }) : t("menu.dish.newTitle")}
        </h2>
        <Field label={t("menu.name")} field="name" errors={errors}>
          <input
            value={draft.name}
            onChange={(e) => set({ name: e.target.value })}
            data-testid="dish-name"
            className={inputClass}
            {...invalid("name", errors)}
          />
        </Field>
        <Field label={t("menu.dish.description")} field="description" errors={errors}>
          <textarea
            value={draft.description}
            onChange={(e) => set({ description: e.target.value })}
            data-testid="dish-description"
            rows={2}
            className={`${inputClass} py-2`}
            {...invalid("description", errors)}
          />
        </Field>
        <Field label={t("menu.dish.image")} field="imageUrl" errors={errors}>
          <input
            value={draft.imageUrl}
            onChange={(e) => set({ imageUrl: e.target.value })}
            data-testid="dish-image"
            inputMode="url"
            placeholder="https://…"
            className={inputClass}
            {...invalid("imageUrl", errors)}
          />
        </Field>
        <div className="grid grid-cols-3 gap-3">
          <Field label={t("menu.dish.price")} field="price" errors={errors}>
            <input
              value={draft.price}
              onChange={(e) => set({ price: e.target.value })}
              data-testid="dish-price"
              inputMode="decimal"
              placeholder="12.50"
              className={inputClass}
              {...invalid("price", errors)}
            />
          </Field>
          <Field label={t("menu.dish.surcharge")} field="surcharge" errors={errors}>
            <input
              value={draft.surcharge}
              onChange={(e) => set({ surcharge: e.target.value })}
              data-testid="dish-surcharge"
              inputMode="decimal"
              placeholder="0.00"
              className={inputClass}
              {...invalid("surcharge", errors)}
            />
          </Field>
          <Field label={t("menu.dish.prep")} field="prepMinutes" errors={errors}>
            <input
              value={draft.prepMinutes}
              onChange={(e) => set({ prepMinutes: e.target.value })}
              data-testid="dish-prep"
              inputMode="numeric"
              placeholder="12"
              className={inputClass}
              {...invalid("prepMinutes", errors)}
            />
          </Field>
        </div>
        <div className="grid grid-cols-2 gap-3">
          <Field label={t("menu.dish.category")} field="categoryId" errors={errors}>
            <select
              value={draft.categoryId}
              onChange={(e) => set({ categoryId: e.target.value })}
              data-testid="dish-category-select"
              className={inputClass}
              {...invalid("categoryId", errors)}
            >
              {menu.categories.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t("menu.dish.station")} field="station" errors={errors}>
            <select
              value={draft.station}
              onChange={(e) => set({ station: e.target.value })}
              data-testid="dish-station"
              className={inputClass}
              {...invalid("station", errors)}
            >
              {menu.stations.map((s) => (
                <option key={s.id} value={s.key}>
                  {s.name}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <AllergenChips value={draft.allergens} onChange={(allergens) => set({ allergens })} field="allergens" errors={errors} />
        <Toggle
          checked={draft.available}
          onChange={(available) => set({ available })}
          label={t("menu.available")}
          testId="dish-available"
        />

        <fieldset className="flex flex-col gap-2" data-testid="dish-groups">
          <legend className="text-base font-semibold text-gray-300">{t("menu.dish.groups")}</legend>
          {draft.modifierGroupIds.length === 0 && <p className="text-base text-gray-400">{t("menu.dish.noGroups")}</p>}
          <ol className="flex flex-col gap-2">
            {draft.modifierGroupIds.map((id, i) => {
              const g = groupsById.get(id);
              const field = `modifierGroupIds.${i}`;
              return (
                <li key={id} data-testid="dish-group" data-name={g?.name ?? id} className="rounded-xl bg-black/30 p-2">
                  <div className="flex items-center gap-2">
                    <span className="flex-1 text-lg font-bold">
                      {g?.name ?? t("menu.dish.unknownGroup")}
                      {g?.required && (
                        <span className="ml-2 rounded-full bg-red-700 px-2 py-0.5 text-sm font-black text-white">{t("menu.required")}</span>
                      )}
                    </span>
                    <button
                      type="button"
                      aria-label={t("menu.sort.up", { name: g?.name ?? "" })}
                      disabled={i === 0}
                      onClick={() => moveGroup(id, -1)}
                      className="h-11 min-w-11 rounded-lg bg-white/10 text-xl font-bold disabled:opacity-30"
                    >
                      ↑
                    </button>
                    <button
                      type="button"
                      aria-label={t("menu.sort.down", { name: g?.name ?? "" })}
                      disabled={i === draft.modifierGroupIds.length - 1}
                      onClick={() => moveGroup(id, 1)}
                      className="h-11 min-w-11 rounded-lg bg-white/10 text-xl font-bold disabled:opacity-30"
                    >
                      ↓
                    </button>
                    <button
                      type="button"
                      onClick={() => set({ modifierGroupIds: draft.modifierGroupIds.filter((x) => x !== id) })}
                      className={buttonClass.secondary}
                      aria-label={t("menu.dish.unlinkNamed", { name: g?.name ?? "" })}
                    >
                      {t("menu.dish.unlink")}
                    </button>
                  </div>
                  <FieldError field={field} errors={errors} />
                </li>
              );
            })}
          </ol>
          {unlinked.length > 0 && (
            <label className="flex items-center gap-2 text-base text-gray-300">
              {t("menu.dish.link")}
              <select
                value=""
                onChange={(e) => e.target.value && set({ modifierGroupIds: [...draft.modifierGroupIds, e.target.value] })}
                data-testid="dish-link-group"
                className={`${inputClass} mt-0 flex-1`}
              >
                <option value="">{t("menu.choose")}</option>
                {unlinked.map((g) => (
                  <option key={g.id} value={g.id}>
                    {g.name}
                    {g.required ? t("menu.dish.requiredSuffix") : ""}
                  </option>
                ))}
              </select>
            </label>
          )}
          <FieldError field="modifierGroupIds" errors={errors} />
        </fieldset>

        <FormError errors={errors} />
        {errors.id && <FieldError field="id" errors={errors} />}
        <div className="flex flex-wrap items-center gap-3">
          <button type="submit" className={buttonClass.primary} data-testid="dish-save" disabled={ctx.busy}>
            {food ? t("menu.dish.save") : t("menu.dish.add")}
          </button>
          {food && (
            <button type="button" className={buttonClass.danger} onClick={archive} data-testid="dish-archive">
              {t("menu.archive")}
            </button>
          )}
          <span role="status" className="text-lg font-bold text-green-300" data-testid="dish-status">
            {status}
          </span>
        </div>
      </form>
    </section>
  );
}
