"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useT } from "@/components/i18n";
import { PrinterStateChip, routedText } from "@/components/printer-status";
import { postJson, sendJson } from "@/lib/client/api";
import { type FieldErrors, fieldErrors, staffMenuQuery } from "@/lib/client/menu";
import type { PrinterView } from "@/lib/printing/status";
import { Field, FieldError, FormError, buttonClass, inputClass, invalid } from "../menu/ui";

/**
 * Settings → Printers (issue "Network printers" item 1): the restaurant's network printers with
 * their live state, added and changed here as `npm run pass -- printer add` / the printers API do —
 * name, address, port, paper width, the stations whose slips it prints, the receipt, code page,
 * buzzer, backup, enabled. Every check is the server's; its message shows under its field.
 */
/** A printer as GET /api/printers lists it (lib/printing/printers.ts toPrinterDto). */
type PrinterDto = PrinterView & {
  host: string;
  port: number;
  paperWidth: number;
  codePage: string;
  buzzer: boolean;
  backup: string | null;
};

type Draft = {
  name: string;
  host: string;
  port: string;
  paperWidth: number;
  stations: string[];
  receipt: boolean;
  codePage: string;
  buzzer: boolean;
  backup: string;
  enabled: boolean;
};

const EMPTY: Draft = {
  name: "",
  host: "",
  port: "9100",
  paperWidth: 80,
  stations: [],
  receipt: false,
  codePage: "auto",
  buzzer: false,
  backup: "",
  enabled: true,
};

const draftOf = (p: PrinterDto): Draft => ({
  name: p.name,
  host: p.host,
  port: String(p.port),
  paperWidth: p.paperWidth,
  stations: p.stations,
  receipt: p.receipt,
  codePage: p.codePage,
  buzzer: p.buzzer,
  backup: p.backup ?? "",
  enabled: p.enabled,
});

export function PrintersPanel({ partner }: { partner: string }) {
  const t = useT();
  const qc = useQueryClient();
  const printers = useQuery({
    queryKey: ["printers", "settings", partner],
    queryFn: async () => {
      const res = await fetch(`/api/printers?partner=${encodeURIComponent(partner)}`, { cache: "no-store" });
      if (!res.ok) throw new Error(`printers: HTTP ${res.status}`);
      return ((await res.json()) as { printers: PrinterDto[] }).printers;
    },
    refetchInterval: 2_000,
  });
  const menu = useQuery(staffMenuQuery(partner));
  const [editing, setEditing] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [errors, setErrors] = useState<FieldErrors>({});
  const refresh = () => void qc.invalidateQueries({ queryKey: ["printers"] });
  const save = useMutation({
    mutationFn: () => {
      const port = /^\d+$/.test(draft.port.trim()) ? Number(draft.port) : Number.NaN;
      const body = {
        name: draft.name.trim(),
        host: draft.host.trim(),
        port: Number.isNaN(port) ? draft.port : port,
        paperWidth: draft.paperWidth,
        stations: draft.stations,
        receipt: draft.receipt,
        codePage: draft.codePage.trim() || "auto",
        buzzer: draft.buzzer,
        backup: draft.backup || null,
        enabled: draft.enabled,
      };
      return editing
        ? sendJson("PATCH", `/api/printers/${encodeURIComponent(editing)}`, body)
        : postJson("/api/printers", { partner, ...body });
    },
    onSuccess: () => {
      setDraft(EMPTY);
      setEditing(null);
      setErrors({});
      refresh();
    },
    onError: (err) => setErrors(fieldErrors(err)),
  });
  const remove = useMutation({
    mutationFn: (id: string) => sendJson("DELETE", `/api/printers/${encodeURIComponent(id)}`),
    onSuccess: refresh,
    onError: (err) => setErrors(fieldErrors(err)),
  });
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const list = printers.data ?? [];
  const stations = menu.data?.stations ?? [];

  return (
    <div className="mx-auto grid max-w-5xl gap-6">
      <section className="grid gap-3 rounded-2xl bg-white/5 p-4">
        <h2 className="text-2xl font-black">{t("printers.title")}</h2>
        <p className="text-lg text-gray-300">{t("printers.what")}</p>
        <ul className="grid gap-2" data-testid="settings-printers">
          {printers.isSuccess && list.length === 0 && <li className="text-lg text-gray-400">{t("printers.none")}</li>}
          {list.map((p) => (
            <li
              key={p.id}
              data-testid="settings-printer"
              data-printer={p.name}
              className="flex flex-wrap items-center gap-3 rounded-xl bg-black/30 px-4 py-3 text-lg"
            >
              <strong className="text-xl">{p.name}</strong>
              <PrinterStateChip printer={p} />
              <span className="font-mono text-gray-300">
                {p.host}:{p.port} · {p.paperWidth} mm
              </span>
              <span>{routedText(t, p)}</span>
              {p.backup && <span className="text-gray-300">{t("printers.backupIs", { printer: p.backup })}</span>}
              <span className="ml-auto flex gap-2">
                <button
                  type="button"
                  className={buttonClass.secondary}
                  data-testid="settings-printer-edit"
                  onClick={() => {
                    setEditing(p.id);
                    setDraft(draftOf(p));
                    setErrors({});
                  }}
                >
                  {t("printers.edit")}
                </button>
                <button
                  type="button"
                  className={buttonClass.danger}
                  data-testid="settings-printer-remove"
                  onClick={() => {
                    if (window.confirm(t("printers.removeConfirm", { printer: p.name }))) remove.mutate(p.id);
                  }}
                >
                  {t("printers.remove")}
                </button>
              </span>
            </li>
          ))}
        </ul>
      </section>

      <form
        className="grid gap-4 rounded-2xl bg-white/5 p-4 sm:grid-cols-2"
        data-testid="printer-form"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <h2 className="text-2xl font-black sm:col-span-2">
          {editing ? t("printers.editTitle", { printer: draft.name }) : t("printers.add")}
        </h2>
        <Field label={t("printers.name")} field="name" errors={errors}>
          <input
            className={inputClass}
            value={draft.name}
            maxLength={64}
            onChange={(e) => set("name", e.target.value)}
            data-testid="printer-name"
            {...invalid("name", errors)}
          />
        </Field>
        <Field label={t("printers.host")} field="host" errors={errors}>
          <input
            className={inputClass}
            value={draft.host}
            placeholder="192.168.1.50"
            onChange={(e) => set("host", e.target.value)}
            data-testid="printer-host"
            {...invalid("host", errors)}
          />
        </Field>
        <Field label={t("printers.port")} field="port" errors={errors}>
          <input
            className={inputClass}
            inputMode="numeric"
            value={draft.port}
            onChange={(e) => set("port", e.target.value)}
            data-testid="printer-port"
            {...invalid("port", errors)}
          />
        </Field>
        <Field label={t("printers.paperWidth")} field="paperWidth" errors={errors}>
          <select
            className={inputClass}
            value={draft.paperWidth}
            onChange={(e) => set("paperWidth", Number(e.target.value))}
            data-testid="printer-paper-width"
          >
            <option value={80}>80 mm</option>
            <option value={58}>58 mm</option>
          </select>
        </Field>
        <fieldset className="sm:col-span-2" {...invalid("stations", errors)}>
          <legend className="text-base font-semibold text-gray-300">{t("printers.stations")}</legend>
          <div className="mt-1 flex flex-wrap gap-2" data-testid="printer-stations">
            {stations.map((s) => {
              const on = draft.stations.includes(s.key);
              return (
                <button
                  key={s.key}
                  type="button"
                  aria-pressed={on}
                  data-station={s.key}
                  onClick={() => set("stations", on ? draft.stations.filter((x) => x !== s.key) : [...draft.stations, s.key])}
                  className={`min-h-11 rounded-full px-4 text-lg font-bold ${on ? "bg-sky-400 text-black" : "bg-white/10"}`}
                >
                  {s.name}
                </button>
              );
            })}
            <label className="flex min-h-11 items-center gap-2 rounded-full bg-white/10 px-4 text-lg font-bold">
              <input
                type="checkbox"
                className="size-5"
                checked={draft.receipt}
                onChange={(e) => set("receipt", e.target.checked)}
                data-testid="printer-receipt"
              />
              {t("printers.receipt")}
            </label>
          </div>
          <FieldError field="stations" errors={errors} />
        </fieldset>
        <Field label={t("printers.backup")} field="backup" errors={errors}>
          <select className={inputClass} value={draft.backup} onChange={(e) => set("backup", e.target.value)} data-testid="printer-backup">
            <option value="">{t("printers.noBackup")}</option>
            {list
              .filter((p) => p.id !== editing)
              .map((p) => (
                <option key={p.id} value={p.name}>
                  {p.name}
                </option>
              ))}
          </select>
        </Field>
        <Field label={t("printers.codePage")} field="codePage" errors={errors}>
          <input
            className={inputClass}
            value={draft.codePage}
            onChange={(e) => set("codePage", e.target.value)}
            data-testid="printer-code-page"
            {...invalid("codePage", errors)}
          />
        </Field>
        <div className="flex flex-wrap gap-4 sm:col-span-2">
          <label className="flex min-h-11 items-center gap-2 text-lg">
            <input type="checkbox" className="size-5" checked={draft.buzzer} onChange={(e) => set("buzzer", e.target.checked)} />
            {t("printers.buzzer")}
          </label>
          <label className="flex min-h-11 items-center gap-2 text-lg">
            <input
              type="checkbox"
              className="size-5"
              checked={draft.enabled}
              onChange={(e) => set("enabled", e.target.checked)}
              data-testid="printer-enabled"
            />
            {t("printers.enabled")}
          </label>
        </div>
        <div className="sm:col-span-2">
          <FormError errors={errors} />
        </div>
        <div className="flex flex-wrap gap-3 sm:col-span-2">
          <button type="submit" className={buttonClass.primary} disabled={save.isPending} data-testid="printer-save">
            {save.isPending ? t("settings.saving") : editing ? t("printers.save") : t("printers.addButton")}
          </button>
          {editing && (
            <button
              type="button"
              className={buttonClass.secondary}
              onClick={() => {
                setEditing(null);
                setDraft(EMPTY);
                setErrors({});
              }}
            >
              {t("printers.cancel")}
            </button>
          )}
        </div>
      </form>
    </div>
  );
}
