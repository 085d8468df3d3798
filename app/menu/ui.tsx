"use client";

import { useLocale, useT } from "@/components/i18n";
import { allergenLabel } from "@/lib/i18n";
import { ALLERGENS } from "@/lib/menu/allergens";

/** Form pieces of the back office: big type, ≥ 44 px targets, the message under its own input. */

export const inputClass =
  "mt-1 min-h-12 w-full rounded-lg border border-white/20 bg-black/40 px-3 text-lg text-white aria-[invalid=true]:border-red-500 aria-[invalid=true]:ring-2 aria-[invalid=true]:ring-red-500/60";

export const buttonClass = {
  primary: "min-h-12 rounded-xl bg-green-500 px-5 text-xl font-black text-black disabled:opacity-40",
  secondary: "min-h-12 rounded-xl bg-white/10 px-4 text-lg font-bold disabled:opacity-40",
  danger: "min-h-12 rounded-xl bg-red-800 px-4 text-lg font-bold disabled:opacity-40",
};

/** The message for `field`, under its input; `data-field` is the API's `details.field`. */
export function FieldError({ field, errors }: { field: string; errors: Record<string, string> }) {
  const message = errors[field];
  if (!message) return null;
  return (
    <p id={errorId(field)} data-testid="field-error" data-field={field} className="mt-1 text-base font-semibold text-red-300">
      {message}
    </p>
  );
}

export const errorId = (field: string) => `err-${field.replace(/[^a-zA-Z0-9_-]/g, "-")}`;

/** aria props of an input whose field may have a message. */
export const invalid = (field: string, errors: Record<string, string>) =>
  errors[field] ? { "aria-invalid": true as const, "aria-describedby": errorId(field) } : {};

export function Field({
  label,
  field,
  errors,
  className = "",
  children,
}: {
  label: string;
  field: string;
  errors: Record<string, string>;
  className?: string;
  children: React.ReactNode;
}) {
  return (
    <div className={className}>
      {/* biome-ignore lint/a11y/noLabelWithoutControl: the control is `children`, inside the label */}
      <label className="block text-base font-semibold text-gray-300">
        {label}
        {children}
      </label>
      <FieldError field={field} errors={errors} />
    </div>
  );
}

export function FormError({ errors }: { errors: Record<string, string> }) {
  if (!errors.form) return null;
  return (
    <p role="alert" data-testid="form-error" className="rounded-xl bg-red-950 px-3 py-2 text-lg">
      {errors.form}
    </p>
  );
}

/** The EU 14 as toggle chips. */
export function AllergenChips({
  value,
  onChange,
  field,
  errors,
  testId = "allergens",
}: {
  value: readonly string[];
  onChange: (codes: string[]) => void;
  field: string;
  errors: Record<string, string>;
  testId?: string;
}) {
  const t = useT();
  const locale = useLocale();
  const on = new Set(value);
  // A message about one code (`allergens.2`) is shown under the chips too.
  const shown = Object.keys(errors).find((k) => k === field || k.startsWith(`${field}.`));
  return (
    <fieldset data-testid={testId}>
      <legend className="text-base font-semibold text-gray-300">{t("menu.allergens")}</legend>
      <div className="mt-1 flex flex-wrap gap-2">
        {ALLERGENS.map((code) => (
          <button
            key={code}
            type="button"
            aria-pressed={on.has(code)}
            data-testid="allergen-chip"
            data-code={code}
            onClick={() => onChange(ALLERGENS.filter((c) => (c === code ? !on.has(c) : on.has(c))))}
            className={`min-h-11 rounded-full border px-3 text-base font-bold ${
              on.has(code) ? "border-amber-300 bg-amber-400 text-black" : "border-white/20 bg-white/5 text-gray-200"
            }`}
          >
            {allergenLabel(locale, code)}
          </button>
        ))}
      </div>
      {shown && <FieldError field={shown} errors={errors} />}
    </fieldset>
  );
}

export function Toggle({
  checked,
  onChange,
  label,
  testId,
}: {
  checked: boolean;
  onChange: (v: boolean) => void;
  label: string;
  testId?: string;
}) {
  const t = useT();
  return (
    <button
      type="button"
      role="switch"
      aria-checked={checked}
      data-testid={testId}
      onClick={() => onChange(!checked)}
      className={`inline-flex min-h-12 items-center gap-3 rounded-xl px-4 text-lg font-bold ${checked ? "bg-green-800 text-white" : "bg-red-900 text-white"}`}
    >
      <span aria-hidden className={`h-5 w-5 rounded-full ${checked ? "bg-green-300" : "bg-red-300"}`} />
      {t("toggle.state", { label, value: checked ? t("toggle.yes") : t("toggle.no") })}
    </button>
  );
}
