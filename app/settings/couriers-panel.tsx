"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useLocale, useT } from "@/components/i18n";
import { type FieldErrors, fieldErrors } from "@/lib/client/menu";
import { type CourierRecord, couriersApi, couriersKey, couriersQuery, type IssuedCourierToken } from "@/lib/client/couriers";
import { profileQuery, settingsApi, settingsKeys } from "@/lib/client/settings";
import { Field, FormError, buttonClass, inputClass, invalid } from "../menu/ui";

/** Couriers (lib/orders/couriers.ts): add one, make them available or not, sign their phone in with a link, take them off. */
export function CouriersPanel({ partner }: { partner: string }) {
  const t = useT();
  const qc = useQueryClient();
  const couriers = useQuery(couriersQuery(partner));
  const refresh = () => qc.invalidateQueries({ queryKey: couriersKey(partner) });
  const [issued, setIssued] = useState<{ name: string; link: IssuedCourierToken } | null>(null);
  return (
    <div className="mx-auto grid max-w-5xl gap-6">
      <AddForm partner={partner} onAdded={refresh} />
      <LocationForm partner={partner} />
      {issued && (
        <div className="grid gap-2 rounded-xl bg-amber-950 p-4" role="status" data-testid="courier-link">
          <p className="text-lg font-bold">{t("couriers.linkFor", { name: issued.name })}</p>
          <code className="break-all rounded bg-black px-3 py-2 font-mono text-lg text-amber-200 select-all" data-testid="courier-link-url">
            {`${window.location.origin}${issued.link.path}`}
          </code>
          <button type="button" className={`${buttonClass.secondary} justify-self-start`} onClick={() => setIssued(null)}>
            {t("couriers.hideLink")}
          </button>
        </div>
      )}
      {couriers.isError && (
        <p role="alert" className="rounded-xl bg-red-950 px-4 py-3 text-xl">
          {couriers.error.message}
        </p>
      )}
      <section className="grid gap-3">
        <h2 className="text-2xl font-black">{t("couriers.title")}</h2>
        <ul className="grid gap-3" data-testid="courier-list">
          {couriers.data?.map((c) => (
            <CourierItem key={c.id} courier={c} onChanged={refresh} onIssued={(link) => setIssued({ name: c.name, link })} />
          ))}
          {couriers.data?.length === 0 && <li className="text-lg text-gray-400">{t("couriers.none")}</li>}
        </ul>
      </section>
    </div>
  );
}

function AddForm({ partner, onAdded }: { partner: string; onAdded: () => void }) {
  const t = useT();
  const [draft, setDraft] = useState({ name: "", phone: "" });
  const [errors, setErrors] = useState<FieldErrors>({});
  const add = useMutation({
    mutationFn: () => couriersApi.add(partner, { name: draft.name.trim(), phone: draft.phone.trim() }),
    onSuccess: () => {
      setErrors({});
      setDraft({ name: "", phone: "" });
      onAdded();
    },
    onError: (err) => setErrors(fieldErrors(err)),
  });
  return (
    <form
      className="grid gap-4 rounded-2xl bg-white/5 p-4 md:grid-cols-3"
      data-testid="courier-add"
      onSubmit={(e) => {
        e.preventDefault();
        add.mutate();
      }}
    >
      <div className="md:col-span-3">
        <h2 className="text-2xl font-black">{t("couriers.addTitle")}</h2>
        <p className="text-lg text-gray-300">{t("couriers.addHow")}</p>
      </div>
      <FormError errors={errors} />
      <Field label={t("couriers.name")} field="name" errors={errors}>
        <input
          className={inputClass}
          value={draft.name}
          onChange={(e) => setDraft({ ...draft, name: e.target.value })}
          data-testid="courier-name"
          {...invalid("name", errors)}
        />
      </Field>
      <Field label={t("couriers.phone")} field="phone" errors={errors}>
        <input
          className={inputClass}
          type="tel"
          autoComplete="off"
          value={draft.phone}
          onChange={(e) => setDraft({ ...draft, phone: e.target.value })}
          data-testid="courier-phone"
          {...invalid("phone", errors)}
        />
      </Field>
      <div className="content-end">
        <button type="submit" className={buttonClass.primary} disabled={add.isPending} data-testid="courier-add-submit">
          {t("couriers.add")}
        </button>
      </div>
    </form>
  );
}

/** Where the restaurant is: rider:auto_assign sends the available courier nearest to it (PATCH /api/partners/{slug}). */
function LocationForm({ partner }: { partner: string }) {
  const t = useT();
  const qc = useQueryClient();
  const profile = useQuery(profileQuery(partner));
  const [draft, setDraft] = useState<{ latitude: string; longitude: string } | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saved, setSaved] = useState(false);
  const shown = draft ?? {
    latitude: profile.data?.latitude === null || profile.data?.latitude === undefined ? "" : String(profile.data.latitude),
    longitude: profile.data?.longitude === null || profile.data?.longitude === undefined ? "" : String(profile.data.longitude),
  };
  const number = (v: string) => (v.trim() === "" ? null : Number(v.replace(",", ".")));
  const save = useMutation({
    mutationFn: () => settingsApi.updateProfile(partner, { latitude: number(shown.latitude), longitude: number(shown.longitude) }),
    onSuccess: (next) => {
      setErrors({});
      setDraft(null);
      setSaved(true);
      qc.setQueryData(settingsKeys.profile(partner), next);
    },
    onError: (err) => {
      setSaved(false);
      setErrors(fieldErrors(err));
    },
  });
  return (
    <form
      className="grid gap-4 rounded-2xl bg-white/5 p-4 md:grid-cols-3"
      data-testid="courier-base"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <div className="md:col-span-3">
        <h2 className="text-2xl font-black">{t("couriers.baseTitle")}</h2>
        <p className="text-lg text-gray-300">{t("couriers.baseHow")}</p>
      </div>
      <FormError errors={errors} />
      <Field label={t("couriers.latitude")} field="latitude" errors={errors}>
        <input
          className={inputClass}
          inputMode="decimal"
          placeholder="48.8566"
          value={shown.latitude}
          onChange={(e) => setDraft({ ...shown, latitude: e.target.value })}
          data-testid="courier-base-lat"
          {...invalid("latitude", errors)}
        />
      </Field>
      <Field label={t("couriers.longitude")} field="longitude" errors={errors}>
        <input
          className={inputClass}
          inputMode="decimal"
          placeholder="2.3522"
          value={shown.longitude}
          onChange={(e) => setDraft({ ...shown, longitude: e.target.value })}
          data-testid="courier-base-lng"
          {...invalid("longitude", errors)}
        />
      </Field>
      <div className="flex flex-wrap items-center gap-3 content-end">
        <button type="submit" className={buttonClass.primary} disabled={save.isPending || draft === null} data-testid="courier-base-save">
          {t("couriers.baseSave")}
        </button>
        {saved && (
          <span role="status" className="text-lg font-bold text-green-300">
            {t("couriers.baseSaved")}
          </span>
        )}
      </div>
    </form>
  );
}

function CourierItem({
  courier,
  onChanged,
  onIssued,
}: {
  courier: CourierRecord;
  onChanged: () => void;
  onIssued: (link: IssuedCourierToken) => void;
}) {
  const t = useT();
  const locale = useLocale();
  const [error, setError] = useState("");
  const onError = (err: unknown) => setError(err instanceof Error ? err.message : String(err));
  const update = useMutation({
    mutationFn: (patch: { active?: boolean; available?: boolean }) => couriersApi.update(courier.id, patch),
    onSuccess: () => {
      setError("");
      onChanged();
    },
    onError,
  });
  const issue = useMutation({
    mutationFn: () => couriersApi.issueToken(courier.id),
    onSuccess: (link) => {
      setError("");
      onIssued(link);
      onChanged();
    },
    onError,
  });
  const state = !courier.active ? "inactive" : courier.available ? "available" : "unavailable";
  return (
    <li
      className={`flex flex-wrap items-center gap-3 rounded-2xl p-4 ${courier.active ? "bg-white/10" : "bg-white/5 text-gray-400"}`}
      data-testid="courier-row"
      data-name={courier.name}
      data-state={state}
    >
      <span className="min-w-40 text-2xl font-black">{courier.name}</span>
      <span className="font-mono text-lg">{courier.phone}</span>
      <span
        className={`rounded-full px-3 py-1 text-base font-bold ${state === "available" ? "bg-green-300 text-black" : "bg-white/15 text-white"}`}
        data-testid="courier-state"
      >
        {t(state === "inactive" ? "couriers.inactive" : state === "available" ? "couriers.available" : "couriers.unavailable")}
      </span>
      <span className="text-lg text-gray-300">
        {t(courier.signedIn ? "couriers.signedIn" : "couriers.notSignedIn")}
        {courier.lastLocation &&
          ` · ${t("couriers.lastSeen", { time: new Date(courier.lastLocation.at).toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" }) })}`}
      </span>
      <span className="ml-auto flex flex-wrap gap-2">
        {courier.active && (
          <>
            <button
              type="button"
              className={buttonClass.secondary}
              disabled={update.isPending}
              onClick={() => update.mutate({ available: !courier.available })}
              data-testid="courier-toggle-available"
            >
              {t(courier.available ? "couriers.makeUnavailable" : "couriers.makeAvailable")}
            </button>
            <button
              type="button"
              className={buttonClass.secondary}
              disabled={issue.isPending}
              onClick={() => issue.mutate()}
              data-testid="courier-issue-link"
            >
              {t("couriers.link")}
            </button>
          </>
        )}
        <button
          type="button"
          className={courier.active ? buttonClass.danger : buttonClass.secondary}
          disabled={update.isPending}
          onClick={() => update.mutate({ active: !courier.active })}
          data-testid="courier-toggle-active"
        >
          {t(courier.active ? "couriers.deactivate" : "couriers.activate")}
        </button>
      </span>
      {error && (
        <span role="alert" className="basis-full text-lg text-red-300">
          {error}
        </span>
      )}
    </li>
  );
}
