"use client";

import { useState } from "react";
import { useT } from "@/components/i18n";
import { type FieldErrors, fieldErrors, menuApi } from "@/lib/client/menu";
import type { Translate } from "@/lib/i18n";
import type { CategoryDto, StationDto } from "@/lib/menu/model";
import type { MenuCtx } from "./menu-ctx";
import { SortableList } from "./sortable-list";
import { Field, FieldError, FormError, buttonClass, inputClass, invalid } from "./ui";

const byIds = <T extends { id: string }>(rows: readonly T[], ids: readonly string[]) =>
  ids.map((id) => rows.find((r) => r.id === id)!).filter(Boolean);

/** "" → null, "12" → 12, anything else stays a string for the server to refuse by name. */
function minutesValue(v: string): number | null | string {
  const t = v.trim();
  if (!t) return null;
  return /^\d+$/.test(t) ? Number(t) : t;
}

function checkMinutes(t: Translate, v: string, field: string): FieldErrors {
  const m = minutesValue(v);
  return typeof m === "string" ? { [field]: t("menu.check.minutes") } : {};
}

// --- stations ---------------------------------------------------------------------------------

export function StationsPanel({ ctx }: { ctx: MenuCtx }) {
  const t = useT();
  const { menu, partner, write, optimistic } = ctx;
  const [draft, setDraft] = useState({ key: "", name: "", prep: "" });
  const [errors, setErrors] = useState<FieldErrors>({});

  async function add(e: React.FormEvent) {
    e.preventDefault();
    const local: FieldErrors = {
      ...(draft.key.trim() ? {} : { key: t("menu.check.stationKey") }),
      ...(draft.name.trim() ? {} : { name: t("menu.check.stationName") }),
      ...checkMinutes(t, draft.prep, "prepMinutes"),
    };
    setErrors(local);
    if (Object.keys(local).length) return;
    try {
      await write(() =>
        menuApi.createStation(partner, {
          key: draft.key.trim(),
          name: draft.name.trim(),
          prepMinutes: minutesValue(draft.prep) as number | null,
        }),
      );
      setDraft({ key: "", name: "", prep: "" });
    } catch (err) {
      setErrors(fieldErrors(err));
    }
  }

  const reorder = (ids: string[]) => {
    optimistic((m) => ({ ...m, stations: byIds(m.stations, ids) }));
    void write(() => menuApi.reorder("stations", partner, ids)).catch((err) => setErrors(fieldErrors(err)));
  };

  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,1.4fr)_minmax(0,1fr)]">
      <section aria-labelledby="stations-heading">
        <h2 id="stations-heading" className="mb-3 text-2xl font-bold">
          {t("menu.tab.stations")}
        </h2>
        {menu.stations.length === 0 && <p className="text-lg text-gray-300">{t("menu.station.none")}</p>}
        <SortableList
          items={menu.stations}
          getId={(s) => s.id}
          label={(s) => s.name}
          onReorder={reorder}
          testId="station-list"
          render={(s, c) => <StationRow key={`${s.name}|${s.prepMinutes}`} station={s} ctx={ctx} controls={c} />}
        />
      </section>
      <form
        onSubmit={add}
        className="flex flex-col gap-3 self-start rounded-2xl border border-white/10 bg-white/5 p-4"
        data-testid="station-form"
      >
        <h2 className="text-2xl font-bold">{t("menu.station.addTitle")}</h2>
        <Field label={t("menu.station.key")} field="key" errors={errors}>
          <input
            value={draft.key}
            onChange={(e) => setDraft({ ...draft, key: e.target.value.toLowerCase() })}
            data-testid="station-key"
            placeholder="grill"
            autoCapitalize="none"
            className={inputClass}
            {...invalid("key", errors)}
          />
        </Field>
        <Field label={t("menu.name")} field="name" errors={errors}>
          <input
            value={draft.name}
            onChange={(e) => setDraft({ ...draft, name: e.target.value })}
            data-testid="station-name"
            placeholder={t("menu.station.namePlaceholder")}
            className={inputClass}
            {...invalid("name", errors)}
          />
        </Field>
        <Field label={t("menu.station.prep")} field="prepMinutes" errors={errors}>
          <input
            value={draft.prep}
            onChange={(e) => setDraft({ ...draft, prep: e.target.value })}
            data-testid="station-prep"
            inputMode="numeric"
            className={inputClass}
            {...invalid("prepMinutes", errors)}
          />
        </Field>
        <FormError errors={errors} />
        <button type="submit" className={buttonClass.primary} data-testid="station-add">
          {t("menu.station.add")}
        </button>
      </form>
    </div>
  );
}

function StationRow({
  station,
  ctx,
  controls,
}: {
  station: StationDto;
  ctx: MenuCtx;
  controls: { handle: React.ReactNode; moveButtons: React.ReactNode };
}) {
  const t = useT();
  const [name, setName] = useState(station.name);
  const [prep, setPrep] = useState(station.prepMinutes === null ? "" : String(station.prepMinutes));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saved, setSaved] = useState(false);
  const dirty = name !== station.name || prep !== (station.prepMinutes === null ? "" : String(station.prepMinutes));

  async function save() {
    const local = { ...(name.trim() ? {} : { name: t("menu.check.stationName") }), ...checkMinutes(t, prep, "prepMinutes") };
    setErrors(local);
    if (Object.keys(local).length) return;
    try {
      await ctx.write(() => menuApi.updateStation(station.id, { name: name.trim(), prepMinutes: minutesValue(prep) as number | null }));
      setSaved(true);
    } catch (err) {
      setErrors(fieldErrors(err));
    }
  }

  return (
    <div
      className="flex flex-wrap items-start gap-3 rounded-xl border border-white/10 bg-white/5 p-3"
      data-testid="station-row"
      data-key={station.key}
    >
      {controls.handle}
      <code className="min-h-11 min-w-24 content-center rounded-lg bg-black/40 px-3 text-center text-lg font-bold text-sky-200">
        {station.key}
      </code>
      <div className="min-w-40 flex-1">
        <input
          aria-label={t("menu.station.nameOf", { key: station.key })}
          value={name}
          onChange={(e) => (setName(e.target.value), setSaved(false))}
          className={inputClass.replace("mt-1 ", "")}
          {...invalid("name", errors)}
        />
        <FieldError field="name" errors={errors} />
      </div>
      <div className="w-32">
        <span className="sr-only">{t("menu.station.prepShort")}</span>
        <input
          aria-label={t("menu.station.prepOf", { key: station.key })}
          value={prep}
          placeholder={t("menu.station.prepPlaceholder")}
          title={t("menu.station.prep")}
          inputMode="numeric"
          onChange={(e) => (setPrep(e.target.value), setSaved(false))}
          className={inputClass.replace("mt-1 ", "")}
          {...invalid("prepMinutes", errors)}
        />
        <FieldError field="prepMinutes" errors={errors} />
      </div>
      <button type="button" onClick={save} disabled={!dirty} className={buttonClass.secondary}>
        {saved && !dirty ? t("menu.saved") : t("settings.save")}
      </button>
      {controls.moveButtons}
      {errors.form && <p className="w-full text-base text-red-300">{errors.form}</p>}
    </div>
  );
}

// --- categories -------------------------------------------------------------------------------

export function CategoriesPanel({ ctx }: { ctx: MenuCtx }) {
  const t = useT();
  const { menu, partner, write, optimistic } = ctx;
  const [name, setName] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});

  async function add(e: React.FormEvent) {
    e.preventDefault();
    if (!name.trim()) return setErrors({ name: t("menu.check.categoryName") });
    setErrors({});
    try {
      await write(() => menuApi.createCategory(partner, name.trim()));
      setName("");
    } catch (err) {
      setErrors(fieldErrors(err));
    }
  }

  const reorder = (ids: string[]) => {
    optimistic((m) => ({ ...m, categories: byIds(m.categories, ids) }));
    void write(() => menuApi.reorder("categories", partner, ids)).catch((err) => setErrors(fieldErrors(err)));
  };

  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,1.4fr)_minmax(0,1fr)]">
      <section aria-labelledby="categories-heading">
        <h2 id="categories-heading" className="mb-3 text-2xl font-bold">
          {t("menu.tab.categories")}
        </h2>
        {menu.categories.length === 0 && <p className="text-lg text-gray-300">{t("menu.category.none")}</p>}
        <SortableList
          items={menu.categories}
          getId={(c) => c.id}
          label={(c) => c.name}
          onReorder={reorder}
          testId="category-list"
          render={(c, controls) => (
            <CategoryRow
              key={c.name}
              category={c}
              ctx={ctx}
              controls={controls}
              dishes={menu.foods.filter((f) => f.categoryId === c.id).length}
            />
          )}
        />
      </section>
      <form
        onSubmit={add}
        className="flex flex-col gap-3 self-start rounded-2xl border border-white/10 bg-white/5 p-4"
        data-testid="category-form"
      >
        <h2 className="text-2xl font-bold">{t("menu.category.addTitle")}</h2>
        <Field label={t("menu.name")} field="name" errors={errors}>
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            data-testid="category-name"
            placeholder={t("menu.category.namePlaceholder")}
            className={inputClass}
            {...invalid("name", errors)}
          />
        </Field>
        <FormError errors={errors} />
        <button type="submit" className={buttonClass.primary} data-testid="category-add">
          {t("menu.category.add")}
        </button>
      </form>
    </div>
  );
}

function CategoryRow({
  category,
  ctx,
  controls,
  dishes,
}: {
  category: CategoryDto;
  ctx: MenuCtx;
  controls: { handle: React.ReactNode; moveButtons: React.ReactNode };
  dishes: number;
}) {
  const t = useT();
  const [name, setName] = useState(category.name);
  const [errors, setErrors] = useState<FieldErrors>({});

  async function rename() {
    if (!name.trim()) return setErrors({ name: t("menu.check.categoryName") });
    setErrors({});
    try {
      await ctx.write(() => menuApi.renameCategory(category.id, name.trim()));
    } catch (err) {
      setErrors(fieldErrors(err));
    }
  }

  async function archive() {
    setErrors({});
    try {
      await ctx.write(() => menuApi.archiveCategory(category.id));
    } catch (err) {
      setErrors(fieldErrors(err));
    }
  }

  return (
    <div
      className="flex flex-wrap items-start gap-3 rounded-xl border border-white/10 bg-white/5 p-3"
      data-testid="category-row"
      data-name={category.name}
    >
      {controls.handle}
      <div className="min-w-40 flex-1">
        <input
          aria-label={t("menu.category.nameOf", { name: category.name })}
          value={name}
          onChange={(e) => setName(e.target.value)}
          onKeyDown={(e) => e.key === "Enter" && void rename()}
          data-testid="category-rename"
          className={inputClass.replace("mt-1 ", "")}
          {...invalid("name", errors)}
        />
        <FieldError field="name" errors={errors} />
        <p className="mt-1 text-base text-gray-400">{t("menu.category.dishes", { count: dishes })}</p>
      </div>
      <button
        type="button"
        onClick={rename}
        disabled={name === category.name}
        className={buttonClass.secondary}
        data-testid="category-save"
      >
        {t("menu.category.rename")}
      </button>
      <button type="button" onClick={archive} className={buttonClass.danger} data-testid="category-archive">
        {t("menu.archive")}
      </button>
      {controls.moveButtons}
      {(errors.form || errors.id) && (
        <p className="w-full text-base font-semibold text-red-300" data-testid="field-error" data-field="id">
          {errors.form ?? errors.id}
        </p>
      )}
    </div>
  );
}
