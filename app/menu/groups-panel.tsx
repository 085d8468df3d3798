"use client";

import { useState } from "react";
import { useT } from "@/components/i18n";
import { checkGroup, checkOption, type FieldErrors, fieldErrors, menuApi, type OptionInput } from "@/lib/client/menu";
import type { MessageKey } from "@/lib/i18n";
import type { GroupDto } from "@/lib/menu/model";
import { choiceRule } from "./dish-preview";
import type { MenuCtx } from "./menu-ctx";
import { SortableList } from "./sortable-list";
import { AllergenChips, Field, FieldError, FormError, Toggle, buttonClass, errorId, inputClass, invalid } from "./ui";

const OPTION_LABELS: Record<"name" | "priceDelta" | "station", MessageKey> = {
  name: "menu.name",
  priceDelta: "menu.option.priceChange",
  station: "menu.dish.station",
};

type OptionDraft = {
  key: string;
  id: string | null;
  name: string;
  priceDelta: string;
  allergens: string[];
  station: string;
  available: boolean;
};
type GroupDraft = { name: string; min: string; max: string; options: OptionDraft[] };

let seq = 0;
const newKey = () => `new-${++seq}`;

const optionDraft = (o: GroupDto["options"][number]): OptionDraft => ({
  key: o.id,
  id: o.id,
  name: o.name,
  priceDelta: Number(o.priceDelta) === 0 ? "" : `${Number(o.priceDelta) > 0 ? "+" : "-"}${Math.abs(Number(o.priceDelta)).toFixed(2)}`,
  allergens: [...o.allergens],
  station: o.station ?? "",
  available: o.available,
});

const optionInput = (o: OptionDraft): OptionInput => ({
  name: o.name.trim(),
  priceDelta: o.priceDelta.trim() || "0",
  allergens: o.allergens,
  station: o.station || null,
  available: o.available,
});

const same = (o: OptionDraft, dto: GroupDto["options"][number]) =>
  JSON.stringify(optionInput(o)) === JSON.stringify(optionInput(optionDraft(dto)));

/** A 400 from one option's own endpoint (`priceDelta`, `body.station`) as a field of the form (`options.2.priceDelta`). */
function optionErrors(err: unknown, index: number): FieldErrors {
  const e = fieldErrors(err);
  return Object.fromEntries(Object.entries(e).map(([k, v]) => [k === "form" ? "form" : `options.${index}.${k.replace(/^body\./, "")}`, v]));
}

export function GroupsPanel({ ctx }: { ctx: MenuCtx }) {
  const t = useT();
  const { menu, partner, write, optimistic } = ctx;
  const [selected, setSelected] = useState<string | null>(menu.modifierGroups[0]?.id ?? "new");
  const [status, setStatus] = useState<string | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const group = selected && selected !== "new" ? menu.modifierGroups.find((g) => g.id === selected) : undefined;

  const reorder = (ids: string[]) => {
    optimistic((m) => ({ ...m, modifierGroups: ids.map((id) => m.modifierGroups.find((g) => g.id === id)!).filter(Boolean) }));
    setListError(null);
    void write(() => menuApi.reorder("modifier-groups", partner, ids)).catch((err) => setListError(err.message));
  };

  return (
    <div className="grid gap-4 lg:grid-cols-[minmax(0,0.8fr)_minmax(0,1.2fr)]">
      <section
        aria-labelledby="groups-heading"
        className="flex flex-col gap-3 lg:sticky lg:top-[84px] lg:max-h-[calc(100dvh-100px)] lg:self-start lg:overflow-y-auto lg:pr-1"
      >
        <div className="flex items-center gap-3">
          <h2 id="groups-heading" className="text-2xl font-bold">
            {t("menu.tab.groups")}
          </h2>
          <button
            type="button"
            className={`${buttonClass.primary} ml-auto`}
            data-testid="new-group"
            onClick={() => (setSelected("new"), setStatus(null))}
          >
            {t("menu.group.new")}
          </button>
        </div>
        {listError && (
          <p role="alert" className="rounded-xl bg-red-950 px-3 py-2 text-lg">
            {listError}
          </p>
        )}
        {menu.modifierGroups.length === 0 && <p className="text-lg text-gray-300">{t("menu.group.none")}</p>}
        <SortableList
          items={menu.modifierGroups}
          getId={(g) => g.id}
          label={(g) => g.name}
          onReorder={reorder}
          testId="group-list"
          render={(g, controls) => (
            <div
              data-testid="group-row"
              data-name={g.name}
              className={`flex items-center gap-2 rounded-xl border p-2 ${selected === g.id ? "border-sky-400 bg-sky-400/10" : "border-white/10 bg-white/5"}`}
            >
              {controls.handle}
              <button
                type="button"
                onClick={() => (setSelected(g.id), setStatus(null))}
                aria-current={selected === g.id}
                data-testid="group-edit"
                className="flex min-h-11 min-w-0 flex-1 flex-col items-start text-left"
              >
                <span className="flex items-center gap-2 text-lg font-bold">
                  {g.name}
                  {g.required && (
                    <span className="rounded-full bg-red-700 px-2 py-0.5 text-sm font-black text-white">{t("menu.required")}</span>
                  )}
                </span>
                <span className="text-base text-gray-300">
                  {t("menu.group.summary", {
                    rule: choiceRule(t, g.min, g.max),
                    options: g.options.length,
                    dishes: menu.foods.filter((f) => f.modifierGroupIds.includes(g.id)).length,
                  })}
                </span>
              </button>
              {controls.moveButtons}
            </div>
          )}
        />
      </section>
      <GroupEditor
        key={group?.id ?? "new"}
        ctx={ctx}
        group={group}
        status={status}
        setStatus={setStatus}
        onSaved={(g) => setSelected(g.id)}
        onArchived={() => (setSelected("new"), setStatus(t("menu.group.archived")))}
      />
    </div>
  );
}

function GroupEditor({
  ctx,
  group,
  status,
  setStatus,
  onSaved,
  onArchived,
}: {
  ctx: MenuCtx;
  group: GroupDto | undefined;
  status: string | null;
  setStatus: (s: string | null) => void;
  onSaved: (g: GroupDto) => void;
  onArchived: () => void;
}) {
  const t = useT();
  const { menu, partner, write } = ctx;
  const [draft, setDraft] = useState<GroupDraft>(() =>
    group
      ? { name: group.name, min: String(group.min), max: String(group.max), options: group.options.map(optionDraft) }
      : { name: "", min: "0", max: "1", options: [] },
  );
  const [errors, setErrors] = useState<FieldErrors>({});
  const [openAllergens, setOpenAllergens] = useState<string | null>(null);
  const set = (patch: Partial<GroupDraft>) => (setDraft((d) => ({ ...d, ...patch })), setStatus(null));
  const setOption = (key: string, patch: Partial<OptionDraft>) =>
    set({ options: draft.options.map((o) => (o.key === key ? { ...o, ...patch } : o)) });
  const min = Number(draft.min);
  const required = /^\d+$/.test(draft.min.trim()) && min > 0;

  async function save(e: React.FormEvent) {
    e.preventDefault();
    const local: FieldErrors = { ...checkGroup(draft) };
    for (const [i, o] of draft.options.entries()) Object.assign(local, checkOption(o, `options.${i}.`));
    setErrors(local);
    if (Object.keys(local).length) return;
    const bounds = { name: draft.name.trim(), min: Number(draft.min), max: Number(draft.max) };
    try {
      if (!group) {
        const created = await write(() => menuApi.createGroup(partner, { ...bounds, options: draft.options.map(optionInput) }));
        setStatus(t("menu.group.added"));
        onSaved(created);
        return;
      }
      await write(() => saveExisting(group, bounds));
      setStatus(t("menu.saved"));
    } catch (err) {
      if (!(err instanceof OptionSaveError)) setErrors(fieldErrors(err));
    }
  }

  /**
   * An existing group: new options first (so a raised minimum has them), then changed options,
   * the group itself, removed options, and the order. A refused option stops there, its message
   * under its own input; what was saved before stays saved (and the draft learns new ids).
   */
  async function saveExisting(g: GroupDto, bounds: { name: string; min: number; max: number }) {
    const options = [...draft.options];
    for (const [i, o] of options.entries()) {
      if (o.id) continue;
      try {
        const after = await menuApi.addOption(g.id, optionInput(o));
        const known = new Set(options.map((x) => x.id));
        const added = after.options.find((x) => !known.has(x.id));
        if (added) options[i] = { ...o, id: added.id };
      } catch (err) {
        setDraft((d) => ({ ...d, options }));
        setErrors(optionErrors(err, i));
        throw new OptionSaveError();
      }
    }
    setDraft((d) => ({ ...d, options }));
    for (const [i, o] of options.entries()) {
      const dto = g.options.find((x) => x.id === o.id);
      if (!dto || same(o, dto)) continue;
      try {
        await menuApi.updateOption(g.id, o.id!, optionInput(o));
      } catch (err) {
        setErrors(optionErrors(err, i));
        throw new OptionSaveError();
      }
    }
    if (bounds.name !== g.name || bounds.min !== g.min || bounds.max !== g.max) await menuApi.updateGroup(g.id, bounds);
    const kept = new Set(options.map((o) => o.id));
    for (const o of g.options) if (!kept.has(o.id)) await menuApi.archiveOption(g.id, o.id);
    const ids = options.map((o) => o.id!);
    const before = g.options.map((o) => o.id).filter((id) => kept.has(id));
    if (ids.length > 0 && ids.join() !== before.join()) await menuApi.reorderOptions(g.id, ids);
  }

  async function archive() {
    if (!group) return;
    try {
      await write(() => menuApi.archiveGroup(group.id));
      onArchived();
    } catch (err) {
      setErrors(fieldErrors(err));
    }
  }

  return (
    <form
      onSubmit={save}
      noValidate
      className="flex flex-col gap-3 self-start rounded-2xl border border-white/10 bg-white/5 p-4"
      data-testid="group-form"
    >
      <h2 className="flex flex-wrap items-center gap-2 text-2xl font-bold">
        {group ? t("menu.edit", { name: group.name }) : t("menu.group.newTitle")}
        {required && (
          <span className="rounded-full bg-red-700 px-3 py-0.5 text-base font-black text-white" data-testid="group-required">
            {t("menu.required")}
          </span>
        )}
      </h2>
      <Field label={t("menu.name")} field="name" errors={errors}>
        <input
          value={draft.name}
          onChange={(e) => set({ name: e.target.value })}
          data-testid="group-name"
          placeholder={t("menu.group.namePlaceholder")}
          className={inputClass}
          {...invalid("name", errors)}
        />
      </Field>
      <div className="grid grid-cols-2 gap-3">
        <Field label={t("menu.group.min")} field="min" errors={errors}>
          <input
            value={draft.min}
            onChange={(e) => set({ min: e.target.value })}
            data-testid="group-min"
            inputMode="numeric"
            className={inputClass}
            {...invalid("min", errors)}
          />
        </Field>
        <Field label={t("menu.group.max")} field="max" errors={errors}>
          <input
            value={draft.max}
            onChange={(e) => set({ max: e.target.value })}
            data-testid="group-max"
            inputMode="numeric"
            className={inputClass}
            {...invalid("max", errors)}
          />
        </Field>
      </div>

      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-lg font-bold">{t("menu.group.options")}</legend>
        {draft.options.length === 0 && <p className="text-base text-gray-400">{t("menu.group.noOptions")}</p>}
        <SortableList
          items={draft.options}
          getId={(o) => o.key}
          label={(o) => o.name || t("menu.option.new")}
          testId="option-list"
          onReorder={(keys) => set({ options: keys.map((k) => draft.options.find((o) => o.key === k)!) })}
          render={(o, controls) => {
            const i = draft.options.indexOf(o);
            const f = (name: string) => `options.${i}.${name}`;
            return (
              <div data-testid="option-row" data-index={i} className="flex flex-col gap-2 rounded-xl bg-black/30 p-2">
                <div className="flex flex-wrap items-start gap-2">
                  {controls.handle}
                  <div className="min-w-36 flex-1">
                    <input
                      aria-label={t("menu.option.nameOf", { n: i + 1 })}
                      value={o.name}
                      onChange={(e) => setOption(o.key, { name: e.target.value })}
                      data-testid="option-name"
                      placeholder={t("menu.option.namePlaceholder")}
                      className={inputClass.replace("mt-1 ", "")}
                      {...invalid(f("name"), errors)}
                    />
                  </div>
                  <div className="w-28">
                    <input
                      aria-label={t("menu.option.deltaOf", { n: i + 1 })}
                      value={o.priceDelta}
                      onChange={(e) => setOption(o.key, { priceDelta: e.target.value })}
                      data-testid="option-delta"
                      placeholder="+0.00"
                      inputMode="decimal"
                      className={inputClass.replace("mt-1 ", "")}
                      {...invalid(f("priceDelta"), errors)}
                    />
                  </div>
                  <div className="w-40">
                    <select
                      aria-label={t("menu.option.stationOf", { n: i + 1 })}
                      value={o.station}
                      onChange={(e) => setOption(o.key, { station: e.target.value })}
                      data-testid="option-station"
                      className={inputClass.replace("mt-1 ", "")}
                      {...invalid(f("station"), errors)}
                    >
                      <option value="">{t("menu.option.dishStation")}</option>
                      {menu.stations.map((s) => (
                        <option key={s.id} value={s.key}>
                          {s.name}
                        </option>
                      ))}
                    </select>
                  </div>
                  {controls.moveButtons}
                </div>
                {/* The option's messages, full width under its inputs, each naming its input. */}
                {(["name", "priceDelta", "station"] as const).map((k) =>
                  errors[f(k)] ? (
                    <p
                      key={k}
                      id={errorId(f(k))}
                      data-testid="field-error"
                      data-field={f(k)}
                      className="text-base font-semibold text-red-300"
                    >
                      {t(OPTION_LABELS[k])}: {errors[f(k)]}
                    </p>
                  ) : null,
                )}
                <div className="flex flex-wrap items-center gap-2">
                  <Toggle checked={o.available} onChange={(available) => setOption(o.key, { available })} label={t("menu.available")} />
                  <button
                    type="button"
                    aria-expanded={openAllergens === o.key}
                    data-testid="option-allergens-toggle"
                    onClick={() => setOpenAllergens(openAllergens === o.key ? null : o.key)}
                    className={buttonClass.secondary}
                  >
                    {t("menu.allergens")}
                    {o.allergens.length ? ` (${o.allergens.length})` : ""}
                  </button>
                  <button
                    type="button"
                    onClick={() => set({ options: draft.options.filter((x) => x.key !== o.key) })}
                    className={buttonClass.secondary}
                    aria-label={t("menu.option.remove", { name: o.name || String(i + 1) })}
                  >
                    {t("menu.option.removeShort")}
                  </button>
                </div>
                {openAllergens === o.key && (
                  <AllergenChips
                    value={o.allergens}
                    onChange={(allergens) => setOption(o.key, { allergens })}
                    field={f("allergens")}
                    errors={errors}
                    testId="option-allergens"
                  />
                )}
                {openAllergens !== o.key && Object.keys(errors).some((k) => k.startsWith(`${f("allergens")}`)) && (
                  <FieldError field={Object.keys(errors).find((k) => k.startsWith(f("allergens")))!} errors={errors} />
                )}
              </div>
            );
          }}
        />
        <button
          type="button"
          className={`${buttonClass.secondary} self-start`}
          data-testid="option-add"
          onClick={() =>
            set({
              options: [
                ...draft.options,
                { key: newKey(), id: null, name: "", priceDelta: "", allergens: [], station: "", available: true },
              ],
            })
          }
        >
          {t("menu.option.add")}
        </button>
      </fieldset>

      <FormError errors={errors} />
      <FieldError field="id" errors={errors} />
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className={buttonClass.primary} data-testid="group-save" disabled={ctx.busy}>
          {group ? t("menu.group.save") : t("menu.group.add")}
        </button>
        {group && (
          <button type="button" className={buttonClass.danger} onClick={archive} data-testid="group-archive">
            {t("menu.archive")}
          </button>
        )}
        <span role="status" className="text-lg font-bold text-green-300" data-testid="group-status">
          {status}
        </span>
      </div>
    </form>
  );
}

/** A refused option: its message is already under its input. */
class OptionSaveError extends Error {}
