"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { useT } from "@/components/i18n";
import { type FieldErrors, fieldErrors } from "@/lib/client/menu";
import { type PartnerProfile, profileQuery, settingsApi, settingsKeys } from "@/lib/client/settings";
import { displayMoney, isKnownCurrency, isKnownLocale } from "@/lib/money-format";
import { Field, FormError, Toggle, buttonClass, inputClass, invalid } from "../menu/ui";

const SOURCES = ["counter", "kiosk", "qr", "delivery", "api"] as const;
const PAYMENTS = ["CASH", "CARD", "OTHER"] as const;
const LOCALES = ["en-US", "en-GB", "fr-FR", "de-DE", "es-ES", "it-IT", "nl-NL", "pt-PT", "de-CH", "fr-CA"];
const CURRENCIES = ["USD", "EUR", "GBP", "CHF", "CAD", "AUD", "JPY", "SEK", "NOK", "DKK", "PLN"];

type Draft = {
  name: string;
  imageUrl: string;
  timezone: string;
  cutoverHour: string;
  currency: string;
  locale: string;
  kitchenAckSeconds: string;
  defaultPaymentMethod: string;
  autoConfirmSources: string[];
  autoConfirmSeconds: string;
  autoCancelMinutes: string;
  expoConfirms: boolean;
  warnPercent: string;
  latePercent: string;
  address: string;
  taxId: string;
  /** One rate a line, "TVA = 10". */
  taxRates: string;
};

const draftOf = (p: PartnerProfile): Draft => ({
  name: p.name,
  imageUrl: p.imageUrl ?? "",
  timezone: p.timezone,
  cutoverHour: String(p.cutoverHour),
  currency: p.currency,
  locale: p.locale,
  kitchenAckSeconds: p.kitchenAckSeconds === null ? "" : String(p.kitchenAckSeconds),
  defaultPaymentMethod: p.defaultPaymentMethod,
  autoConfirmSources: [...p.autoConfirmSources],
  autoConfirmSeconds: p.autoConfirmSeconds === null ? "" : String(p.autoConfirmSeconds),
  autoCancelMinutes: p.autoCancelMinutes === null ? "" : String(p.autoCancelMinutes),
  expoConfirms: p.expoConfirms,
  warnPercent: String(p.warnPercent),
  latePercent: String(p.latePercent),
  address: p.address ?? "",
  taxId: p.taxId ?? "",
  taxRates: p.taxRates.map((r) => `${r.name} = ${r.percent}`).join("\n"),
});

/**
 * "TVA = 10" lines → [{ name, percent }]. A line that is not "name = number" goes as it is, with no
 * percent, for the server to refuse naming the line (`taxRates.1.percent`).
 */
function taxRatesOf(text: string): { name: string; percent: number | null }[] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const m = /^(.+?)\s*[=:]\s*(\d+(?:[.,]\d+)?)\s*%?$/.exec(l);
      return m ? { name: m[1]!.trim(), percent: Number(m[2]!.replace(",", ".")) } : { name: l, percent: null };
    });
}

/** "" → null, "12" → 12; anything else stays text for the server to refuse by name. */
function wholeOrNull(v: string): number | null | string {
  const t = v.trim();
  if (!t) return null;
  return /^\d{1,9}$/.test(t) ? Number(t) : t;
}

/** The fields that differ from the saved profile, in the API's shape. */
function patchOf(d: Draft, saved: PartnerProfile): Record<string, unknown> {
  const next: Record<string, unknown> = {
    name: d.name,
    imageUrl: d.imageUrl.trim() || null,
    timezone: d.timezone.trim(),
    cutoverHour: wholeOrNull(d.cutoverHour),
    currency: d.currency.trim().toUpperCase(),
    locale: d.locale.trim(),
    kitchenAckSeconds: wholeOrNull(d.kitchenAckSeconds),
    defaultPaymentMethod: d.defaultPaymentMethod,
    autoConfirmSources: SOURCES.filter((s) => d.autoConfirmSources.includes(s)),
    autoConfirmSeconds: wholeOrNull(d.autoConfirmSeconds),
    autoCancelMinutes: wholeOrNull(d.autoCancelMinutes),
    expoConfirms: d.expoConfirms,
    warnPercent: wholeOrNull(d.warnPercent),
    latePercent: wholeOrNull(d.latePercent),
    address: d.address.trim() || null,
    taxId: d.taxId.trim() || null,
    taxRates: taxRatesOf(d.taxRates),
  };
  return Object.fromEntries(
    Object.entries(next).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify((saved as unknown as Record<string, unknown>)[k])),
  );
}

export function RestaurantPanel({ partner }: { partner: string }) {
  const t = useT();
  const query = useQuery(profileQuery(partner));
  if (query.isError)
    return (
      <p role="alert" className="rounded-xl bg-red-950 px-4 py-3 text-xl">
        {t("profile.loadFailed", { error: query.error.message })}
      </p>
    );
  if (!query.data) return <p className="text-xl text-gray-300">{t("settings.loading")}</p>;
  return <RestaurantForm partner={partner} saved={query.data} />;
}

function RestaurantForm({ partner, saved }: { partner: string; saved: PartnerProfile }) {
  const t = useT();
  const qc = useQueryClient();
  const [draft, setDraft] = useState<Draft>(() => draftOf(saved));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [done, setDone] = useState(false);
  const save = useMutation({
    mutationFn: (patch: Record<string, unknown>) => settingsApi.updateProfile(partner, patch),
    onSuccess: (profile) => {
      qc.setQueryData(settingsKeys.profile(partner), profile);
      setDraft(draftOf(profile));
      setErrors({});
      setDone(true);
    },
    // A refused rate (`taxRates.1.percent`) shows under the rates' box, naming its line.
    onError: (err) =>
      setErrors(
        Object.fromEntries(
          Object.entries(fieldErrors(err)).map(([field, message]) => {
            const line = /^taxRates\.(\d+)/.exec(field);
            return line ? ["taxRates", t("profile.taxRatesLine", { line: String(Number(line[1]) + 1), message })] : [field, message];
          }),
        ),
      ),
  });
  const timezones = useMemo(() => (typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : []), []);
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => {
    setDone(false);
    setDraft((d) => ({ ...d, [k]: v }));
  };
  const preview =
    isKnownCurrency(draft.currency.trim().toUpperCase()) && isKnownLocale(draft.locale.trim())
      ? displayMoney(1234.5, { currency: draft.currency.trim().toUpperCase(), locale: draft.locale.trim() })
      : "—";
  const patch = patchOf(draft, saved);
  const changed = Object.keys(patch).length > 0;

  return (
    <form
      className="mx-auto grid max-w-4xl gap-6"
      data-testid="restaurant-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (changed) save.mutate(patch);
      }}
    >
      <FormError errors={errors} />
      <section className="grid gap-4 rounded-2xl bg-white/5 p-4 md:grid-cols-2">
        <h2 className="text-2xl font-black md:col-span-2">{t("profile.section.restaurant")}</h2>
        <Field label={t("profile.name")} field="name" errors={errors}>
          <input
            className={inputClass}
            value={draft.name}
            onChange={(e) => set("name", e.target.value)}
            data-testid="profile-name"
            {...invalid("name", errors)}
          />
        </Field>
        <Field label={t("profile.imageUrl")} field="imageUrl" errors={errors}>
          <input
            className={inputClass}
            value={draft.imageUrl}
            placeholder={t("profile.imagePlaceholder")}
            onChange={(e) => set("imageUrl", e.target.value)}
            {...invalid("imageUrl", errors)}
          />
        </Field>
        <Field label={t("profile.timezone")} field="timezone" errors={errors}>
          <input
            className={inputClass}
            list="timezones"
            value={draft.timezone}
            onChange={(e) => set("timezone", e.target.value)}
            data-testid="profile-timezone"
            {...invalid("timezone", errors)}
          />
          <datalist id="timezones">
            {timezones.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
        </Field>
        <Field label={t("profile.cutoverHour")} field="cutoverHour" errors={errors}>
          <input
            className={inputClass}
            inputMode="numeric"
            value={draft.cutoverHour}
            onChange={(e) => set("cutoverHour", e.target.value)}
            {...invalid("cutoverHour", errors)}
          />
        </Field>
      </section>

      <section className="grid gap-4 rounded-2xl bg-white/5 p-4 md:grid-cols-3">
        <h2 className="text-2xl font-black md:col-span-3">{t("profile.section.money")}</h2>
        <Field label={t("profile.currency")} field="currency" errors={errors}>
          <input
            className={inputClass}
            list="currencies"
            value={draft.currency}
            maxLength={3}
            onChange={(e) => set("currency", e.target.value.toUpperCase())}
            data-testid="profile-currency"
            {...invalid("currency", errors)}
          />
          <datalist id="currencies">
            {CURRENCIES.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
        </Field>
        <Field label={t("profile.locale")} field="locale" errors={errors}>
          <input
            className={inputClass}
            list="locales"
            value={draft.locale}
            onChange={(e) => set("locale", e.target.value)}
            data-testid="profile-locale"
            {...invalid("locale", errors)}
          />
          <datalist id="locales">
            {LOCALES.map((l) => (
              <option key={l} value={l} />
            ))}
          </datalist>
        </Field>
        <div>
          <p className="text-base font-semibold text-gray-300">{t("profile.preview")}</p>
          <p className="mt-1 min-h-12 content-center text-3xl font-black" data-testid="profile-money-preview">
            {preview}
          </p>
        </div>
      </section>

      <section className="grid gap-4 rounded-2xl bg-white/5 p-4 md:grid-cols-2">
        <h2 className="text-2xl font-black md:col-span-2">{t("profile.section.service")}</h2>
        <Field label={t("profile.defaultPayment")} field="defaultPaymentMethod" errors={errors}>
          <select
            className={inputClass}
            value={draft.defaultPaymentMethod}
            onChange={(e) => set("defaultPaymentMethod", e.target.value)}
            data-testid="profile-payment"
          >
            {PAYMENTS.map((v) => (
              <option key={v} value={v}>
                {t(`profile.payment.${v}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("profile.ackSeconds")} field="kitchenAckSeconds" errors={errors}>
          <input
            className={inputClass}
            inputMode="numeric"
            value={draft.kitchenAckSeconds}
            onChange={(e) => set("kitchenAckSeconds", e.target.value)}
            data-testid="profile-ack"
            {...invalid("kitchenAckSeconds", errors)}
          />
        </Field>
        <fieldset className="md:col-span-2">
          <legend className="text-base font-semibold text-gray-300">{t("profile.autoSources")}</legend>
          <div className="mt-1 flex flex-wrap gap-2">
            {SOURCES.map((s) => {
              const on = draft.autoConfirmSources.includes(s);
              return (
                <button
                  key={s}
                  type="button"
                  aria-pressed={on}
                  data-testid="profile-auto-source"
                  data-source={s}
                  onClick={() =>
                    set("autoConfirmSources", on ? draft.autoConfirmSources.filter((x) => x !== s) : [...draft.autoConfirmSources, s])
                  }
                  className={`min-h-11 rounded-full border px-4 text-lg font-bold ${on ? "border-green-300 bg-green-500 text-black" : "border-white/20 bg-white/5"}`}
                >
                  {t(`profile.source.${s}`)}
                </button>
              );
            })}
          </div>
        </fieldset>
        <Field label={t("profile.autoSeconds")} field="autoConfirmSeconds" errors={errors}>
          <input
            className={inputClass}
            inputMode="numeric"
            value={draft.autoConfirmSeconds}
            onChange={(e) => set("autoConfirmSeconds", e.target.value)}
            {...invalid("autoConfirmSeconds", errors)}
          />
        </Field>
        <Field label={t("profile.autoCancel")} field="autoCancelMinutes" errors={errors}>
          <input
            className={inputClass}
            inputMode="numeric"
            value={draft.autoCancelMinutes}
            onChange={(e) => set("autoCancelMinutes", e.target.value)}
            {...invalid("autoCancelMinutes", errors)}
          />
        </Field>
        <Field label={t("profile.warnPercent")} field="warnPercent" errors={errors}>
          <input
            className={inputClass}
            inputMode="numeric"
            value={draft.warnPercent}
            onChange={(e) => set("warnPercent", e.target.value)}
            {...invalid("warnPercent", errors)}
          />
        </Field>
        <Field label={t("profile.latePercent")} field="latePercent" errors={errors}>
          <input
            className={inputClass}
            inputMode="numeric"
            value={draft.latePercent}
            onChange={(e) => set("latePercent", e.target.value)}
            {...invalid("latePercent", errors)}
          />
        </Field>
        <div className="md:col-span-2">
          <Toggle
            checked={draft.expoConfirms}
            onChange={(v) => set("expoConfirms", v)}
            label={t("profile.expoConfirms")}
            testId="profile-expo"
          />
        </div>
      </section>

      <section className="grid gap-4 rounded-2xl bg-white/5 p-4 md:grid-cols-2" data-testid="profile-invoices">
        <h2 className="text-2xl font-black md:col-span-2">{t("profile.section.invoices")}</h2>
        <Field label={t("profile.address")} field="address" errors={errors}>
          <input
            className={inputClass}
            value={draft.address}
            onChange={(e) => set("address", e.target.value)}
            data-testid="profile-address"
            {...invalid("address", errors)}
          />
        </Field>
        <Field label={t("profile.taxId")} field="taxId" errors={errors}>
          <input
            className={inputClass}
            value={draft.taxId}
            onChange={(e) => set("taxId", e.target.value)}
            data-testid="profile-tax-id"
            {...invalid("taxId", errors)}
          />
        </Field>
        <Field label={t("profile.taxRates")} field="taxRates" errors={errors}>
          <textarea
            className={`${inputClass} min-h-28`}
            value={draft.taxRates}
            placeholder={t("profile.taxRatesHint")}
            onChange={(e) => set("taxRates", e.target.value)}
            data-testid="profile-tax-rates"
            {...invalid("taxRates", errors)}
          />
        </Field>
        <p className="self-end text-lg text-gray-300">{t("profile.taxRatesHelp")}</p>
      </section>

      <div className="flex items-center gap-4">
        <button type="submit" className={buttonClass.primary} disabled={!changed || save.isPending} data-testid="profile-save">
          {save.isPending ? t("settings.saving") : t("settings.save")}
        </button>
        <button
          type="button"
          className={buttonClass.secondary}
          disabled={!changed || save.isPending}
          onClick={() => setDraft(draftOf(saved))}
        >
          {t("profile.undo")}
        </button>
        <span role="status" aria-live="polite" data-testid="profile-saved" className="text-lg text-green-300">
          {done && !changed ? t("profile.saved") : ""}
        </span>
      </div>
    </form>
  );
}
