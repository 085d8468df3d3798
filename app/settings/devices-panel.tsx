"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useLocale, useT } from "@/components/i18n";
import type { MessageKey, Translate } from "@/lib/i18n";
import { type FieldErrors, fieldErrors, staffMenuQuery } from "@/lib/client/menu";
import { type DeviceRow, devicesQuery, type IssuedDevice, settingsApi, settingsKeys } from "@/lib/client/settings";
import { Field, FormError, buttonClass, inputClass, invalid } from "../menu/ui";

const SCREEN_ROLES = ["kitchen", "display", "printer", "operator"] as const;
const TOKEN_ROLES = [...SCREEN_ROLES, "integration"] as const;
const roleName = (t: Translate, role: string): string =>
  (TOKEN_ROLES as readonly string[]).includes(role) ? t(`devices.role.${role}` as MessageKey) : role;

function ago(t: Translate, locale: string, iso: string | null): string {
  if (!iso) return t("devices.never");
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (s < 90) return t("devices.justNow");
  if (s < 5400) return t("devices.minutesAgo", { minutes: Math.round(s / 60) });
  if (s < 172_800) return t("devices.hoursAgo", { hours: Math.round(s / 3600) });
  return new Date(iso).toLocaleDateString(locale);
}

/** Devices: pair a screen by its code (or the QR's link), issue a token by hand, revoke. */
export function DevicesPanel({ partner, pairCode }: { partner: string; pairCode: string }) {
  const t = useT();
  const qc = useQueryClient();
  // Right after a pairing the screen has yet to collect its token (its next poll, within ~2 s):
  // follow the list closely for a little while so the new device shows up, then relax.
  const [watchUntil, setWatchUntil] = useState(0);
  const watching = watchUntil > Date.now();
  const devices = useQuery({ ...devicesQuery(partner), refetchInterval: watching ? 2_000 : 30_000 });
  const refresh = () => qc.invalidateQueries({ queryKey: settingsKeys.devices(partner) });
  useEffect(() => {
    if (!watching) return;
    const t = setTimeout(() => setWatchUntil(0), watchUntil - Date.now());
    return () => clearTimeout(t);
  }, [watching, watchUntil]);
  return (
    <div className="mx-auto grid max-w-5xl gap-6">
      <PairForm
        partner={partner}
        initialCode={pairCode}
        onPaired={() => {
          setWatchUntil(Date.now() + 30_000);
          void refresh();
        }}
      />
      <IssueForm partner={partner} onIssued={refresh} />
      {devices.isError && (
        <p role="alert" className="rounded-xl bg-red-950 px-4 py-3 text-xl">
          {devices.error.message}
        </p>
      )}
      <section className="grid gap-3">
        <h2 className="text-2xl font-black">{t("devices.title")}</h2>
        <ul className="grid gap-3" data-testid="device-list">
          {devices.data?.map((d) => (
            <DeviceItem key={d.id} device={d} onRevoked={refresh} />
          ))}
          {devices.data?.length === 0 && <li className="text-lg text-gray-400">{t("devices.none")}</li>}
        </ul>
      </section>
    </div>
  );
}

function PairForm({ partner, initialCode, onPaired }: { partner: string; initialCode: string; onPaired: () => void }) {
  const t = useT();
  const menu = useQuery(staffMenuQuery(partner));
  const [draft, setDraft] = useState({ code: initialCode, role: "kitchen", station: "", name: "" });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [paired, setPaired] = useState<string | null>(null);
  const stations = menu.data?.stations ?? [];
  const stationName = stations.find((s) => s.key === draft.station)?.name;
  const defaultName =
    draft.role === "kitchen" ? t("devices.kitchenName", { station: stationName ?? t("devices.expo") }) : roleName(t, draft.role);
  const claim = useMutation({
    mutationFn: () =>
      settingsApi.claimPairing(partner, {
        code: draft.code.trim(),
        role: draft.role,
        station: draft.role === "kitchen" && draft.station ? draft.station : null,
        name: draft.name.trim() || defaultName,
      }),
    onSuccess: (r) => {
      setErrors({});
      setPaired(t("devices.paired", { name: r.name, path: r.path }));
      setDraft({ code: "", role: draft.role, station: draft.station, name: "" });
      onPaired();
    },
    onError: (err) => {
      setPaired(null);
      setErrors(fieldErrors(err));
    },
  });
  return (
    <form
      className={`grid gap-4 rounded-2xl p-4 sm:grid-cols-2 lg:grid-cols-4 ${initialCode ? "bg-sky-950 ring-2 ring-sky-400" : "bg-white/5"}`}
      data-testid="pair-form"
      onSubmit={(e) => {
        e.preventDefault();
        claim.mutate();
      }}
    >
      <div className="sm:col-span-2 lg:col-span-4">
        <h2 className="text-2xl font-black">{t("devices.pairTitle")}</h2>
        <p className="text-lg text-gray-300">
          {t("devices.pairHowBefore")}
          <span className="font-mono text-amber-300">/pair</span>
          {t("devices.pairHowAfter")}
        </p>
        {initialCode && (
          <p className="mt-2 text-lg font-bold text-amber-200" data-testid="pair-warning">
            {t("devices.pairWarning")}
          </p>
        )}
      </div>
      <FormError errors={errors} />
      <Field label={t("devices.code")} field="code" errors={errors}>
        <input
          className={`${inputClass} font-mono uppercase tracking-widest`}
          autoComplete="off"
          placeholder="ABCD-EFGH"
          value={draft.code}
          onChange={(e) => setDraft({ ...draft, code: e.target.value })}
          data-testid="pair-code-input"
          {...invalid("code", errors)}
        />
      </Field>
      <Field label={t("devices.itIs")} field="role" errors={errors}>
        <select
          className={inputClass}
          value={draft.role}
          onChange={(e) => setDraft({ ...draft, role: e.target.value })}
          data-testid="pair-role"
        >
          {SCREEN_ROLES.map((v) => (
            <option key={v} value={v}>
              {roleName(t, v)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t("devices.station")} field="station" errors={errors}>
        <select
          className={inputClass}
          value={draft.station}
          disabled={draft.role !== "kitchen"}
          onChange={(e) => setDraft({ ...draft, station: e.target.value })}
          data-testid="pair-station"
        >
          <option value="">{t("devices.allStations")}</option>
          {stations.map((s) => (
            <option key={s.id} value={s.key}>
              {s.name}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t("devices.name")} field="name" errors={errors}>
        <input
          className={inputClass}
          placeholder={defaultName}
          value={draft.name}
          onChange={(e) => setDraft({ ...draft, name: e.target.value })}
          data-testid="pair-name"
          {...invalid("name", errors)}
        />
      </Field>
      <div className="flex flex-wrap items-center gap-4 sm:col-span-2 lg:col-span-4">
        <button type="submit" className={buttonClass.primary} disabled={claim.isPending || !draft.code.trim()} data-testid="pair-submit">
          {t("devices.pair")}
        </button>
        {paired && (
          <span role="status" className="text-xl font-bold text-green-300" data-testid="pair-result">
            {paired}
          </span>
        )}
      </div>
    </form>
  );
}

function IssueForm({ partner, onIssued }: { partner: string; onIssued: () => void }) {
  const t = useT();
  const [draft, setDraft] = useState({ name: "", role: "printer" });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [issued, setIssued] = useState<IssuedDevice | null>(null);
  const issue = useMutation({
    mutationFn: () => settingsApi.issueDevice(partner, { name: draft.name.trim(), role: draft.role }),
    onSuccess: (d) => {
      setErrors({});
      setIssued(d);
      setDraft({ name: "", role: draft.role });
      onIssued();
    },
    onError: (err) => setErrors(fieldErrors(err)),
  });
  return (
    <form
      className="grid gap-4 rounded-2xl bg-white/5 p-4 md:grid-cols-3"
      data-testid="device-issue"
      onSubmit={(e) => {
        e.preventDefault();
        issue.mutate();
      }}
    >
      <div className="md:col-span-3">
        <h2 className="text-2xl font-black">{t("devices.issueTitle")}</h2>
        <p className="text-lg text-gray-300">{t("devices.issueHow")}</p>
      </div>
      <FormError errors={errors} />
      <Field label={t("devices.name")} field="name" errors={errors}>
        <input
          className={inputClass}
          value={draft.name}
          onChange={(e) => setDraft({ ...draft, name: e.target.value })}
          data-testid="device-name"
          {...invalid("name", errors)}
        />
      </Field>
      <Field label={t("devices.role")} field="role" errors={errors}>
        <select
          className={inputClass}
          value={draft.role}
          onChange={(e) => setDraft({ ...draft, role: e.target.value })}
          data-testid="device-role"
        >
          {TOKEN_ROLES.map((v) => (
            <option key={v} value={v}>
              {roleName(t, v)}
            </option>
          ))}
        </select>
      </Field>
      <div className="content-end">
        <button type="submit" className={buttonClass.primary} disabled={issue.isPending} data-testid="device-issue-submit">
          {t("devices.issue")}
        </button>
      </div>
      {issued && (
        <div className="grid gap-2 rounded-xl bg-amber-950 p-4 md:col-span-3" role="status">
          <p className="text-lg font-bold">{t("devices.tokenFor", { name: issued.name })}</p>
          <code className="break-all rounded bg-black px-3 py-2 font-mono text-lg text-amber-200 select-all" data-testid="device-token">
            {issued.token}
          </code>
          <button type="button" className={`${buttonClass.secondary} justify-self-start`} onClick={() => setIssued(null)}>
            {t("devices.hideToken")}
          </button>
        </div>
      )}
    </form>
  );
}

function DeviceItem({ device, onRevoked }: { device: DeviceRow; onRevoked: () => void }) {
  const t = useT();
  const locale = useLocale();
  const [confirming, setConfirming] = useState(false);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [renameErrors, setRenameErrors] = useState<FieldErrors>({});
  const [error, setError] = useState("");
  const rename = useMutation({
    mutationFn: (name: string) => settingsApi.renameDevice(device.id, name),
    onSuccess: () => {
      setRenaming(null);
      setRenameErrors({});
      onRevoked();
    },
    onError: (err) => setRenameErrors(fieldErrors(err)),
  });
  const revoke = useMutation({
    mutationFn: () => settingsApi.revokeDevice(device.id),
    onSuccess: () => {
      setConfirming(false);
      onRevoked();
    },
    onError: (err) => setError(err instanceof Error ? err.message : String(err)),
  });
  return (
    <li
      className={`flex flex-wrap items-center gap-3 rounded-2xl p-4 ${device.revokedAt ? "bg-white/5 text-gray-500" : "bg-white/10"}`}
      data-testid="device-row"
      data-name={device.name}
      data-revoked={device.revokedAt ? "true" : "false"}
    >
      {renaming === null ? (
        <span className="min-w-48 text-2xl font-black">{device.name}</span>
      ) : (
        <form
          className="flex flex-wrap items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            rename.mutate(renaming.trim());
          }}
        >
          <Field label={t("presence.renameLabel")} field="name" errors={renameErrors}>
            <input
              className={inputClass}
              value={renaming}
              autoFocus
              onChange={(e) => setRenaming(e.target.value)}
              data-testid="device-rename-input"
              {...invalid("name", renameErrors)}
            />
          </Field>
          <button type="submit" className={buttonClass.primary} disabled={rename.isPending} data-testid="device-rename-save">
            {t("presence.renameSave")}
          </button>
          <button type="button" className={buttonClass.secondary} onClick={() => (setRenaming(null), setRenameErrors({}))}>
            {t("presence.renameCancel")}
          </button>
        </form>
      )}
      <span className="text-lg">{roleName(t, device.role)}</span>
      <span className="text-lg text-gray-300" data-testid="device-last-seen">
        {t("devices.lastSeen", { when: ago(t, locale, device.lastSeenAt) })}
      </span>
      {device.revokedAt ? (
        <span className="rounded-full bg-red-900 px-3 py-1 text-base font-bold text-white">{t("devices.revoked")}</span>
      ) : confirming ? (
        <span className="ml-auto flex gap-2">
          <button
            type="button"
            className={buttonClass.danger}
            onClick={() => revoke.mutate()}
            disabled={revoke.isPending}
            data-testid="device-revoke-confirm"
          >
            {t("devices.revokeNow")}
          </button>
          <button type="button" className={buttonClass.secondary} onClick={() => setConfirming(false)}>
            {t("devices.keep")}
          </button>
        </span>
      ) : (
        <span className="ml-auto flex gap-2">
          {renaming === null && (
            <button type="button" className={buttonClass.secondary} onClick={() => setRenaming(device.name)} data-testid="device-rename">
              {t("presence.rename")}
            </button>
          )}
          <button type="button" className={buttonClass.secondary} onClick={() => setConfirming(true)} data-testid="device-revoke">
            {t("devices.revoke")}
          </button>
        </span>
      )}
      {error && (
        <p role="alert" className="w-full text-lg text-red-300">
          {error}
        </p>
      )}
    </li>
  );
}
