"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useT } from "@/components/i18n";
import { type FieldErrors, fieldErrors } from "@/lib/client/menu";
import { profileQuery, settingsApi, settingsKeys } from "@/lib/client/settings";
import { FieldError, FormError, buttonClass, inputClass, invalid } from "../menu/ui";

/** The dining room's tables: names, saved on the restaurant, and the printable QR sheet. */
export function TablesPanel({ partner }: { partner: string }) {
  const t = useT();
  const query = useQuery(profileQuery(partner));
  if (!query.data) return <p className="text-xl text-gray-300">{query.isError ? query.error.message : t("settings.loading")}</p>;
  return <TablesForm partner={partner} saved={query.data.tables} />;
}

function TablesForm({ partner, saved }: { partner: string; saved: string[] }) {
  const t = useT();
  const qc = useQueryClient();
  const [tables, setTables] = useState<string[]>(saved);
  const [name, setName] = useState("");
  const [upTo, setUpTo] = useState("12");
  const [errors, setErrors] = useState<FieldErrors>({});
  const save = useMutation({
    mutationFn: () => settingsApi.updateProfile(partner, { tables }),
    onSuccess: (profile) => {
      qc.setQueryData(settingsKeys.profile(partner), profile);
      setTables(profile.tables);
      setErrors({});
    },
    onError: (err) => setErrors(fieldErrors(err)),
  });
  const changed = JSON.stringify(tables) !== JSON.stringify(saved);
  const tableError = Object.keys(errors).find((k) => k === "tables" || k.startsWith("tables."));

  return (
    <div className="mx-auto grid max-w-4xl gap-6">
      <section className="grid gap-4 rounded-2xl bg-white/5 p-4">
        <h2 className="text-2xl font-black">{t("tables.title")}</h2>
        <p className="text-lg text-gray-300">{t("tables.what")}</p>
        <form
          className="flex flex-wrap items-end gap-3"
          onSubmit={(e) => {
            e.preventDefault();
            const n = name.trim();
            if (n && !tables.some((x) => x.toLowerCase() === n.toLowerCase())) setTables([...tables, n]);
            setName("");
          }}
        >
          <label className="text-base font-semibold text-gray-300">
            {t("tables.name")}
            <input
              className={inputClass}
              value={name}
              maxLength={20}
              onChange={(e) => setName(e.target.value)}
              data-testid="table-name"
              {...invalid("tables", errors)}
            />
          </label>
          <button type="submit" className={buttonClass.secondary} data-testid="table-add">
            {t("tables.add")}
          </button>
          <span className="px-2 text-lg text-gray-400">{t("tables.or")}</span>
          <label className="text-base font-semibold text-gray-300">
            {t("tables.upTo")}
            <input
              className={`${inputClass} w-24`}
              inputMode="numeric"
              value={upTo}
              onChange={(e) => setUpTo(e.target.value)}
              data-testid="table-up-to"
            />
          </label>
          <button
            type="button"
            className={buttonClass.secondary}
            data-testid="table-add-range"
            onClick={() => {
              const n = Math.min(200, Number.parseInt(upTo, 10) || 0);
              const more = Array.from({ length: n }, (_, i) => String(i + 1)).filter((x) => !tables.includes(x));
              setTables([...tables, ...more]);
            }}
          >
            {t("tables.addNumbers")}
          </button>
        </form>
        <ul className="flex flex-wrap gap-2" data-testid="table-list">
          {tables.map((table, i) => (
            <li
              key={table}
              className={`flex items-center gap-1 rounded-full py-1 pr-1 pl-4 text-xl font-bold ${errors[`tables.${i}`] ? "bg-red-900" : "bg-white/10"}`}
              data-testid="table-chip"
            >
              {table}
              <button
                type="button"
                aria-label={t("tables.remove", { table })}
                className="min-h-11 min-w-11 rounded-full text-2xl hover:bg-white/10"
                onClick={() => setTables(tables.filter((x) => x !== table))}
              >
                ×
              </button>
            </li>
          ))}
          {tables.length === 0 && <li className="text-lg text-gray-400">{t("tables.none")}</li>}
        </ul>
        {tableError && <FieldError field={tableError} errors={errors} />}
        <FormError errors={errors} />
        <div className="flex flex-wrap items-center gap-4">
          <button
            type="button"
            className={buttonClass.primary}
            disabled={!changed || save.isPending}
            onClick={() => save.mutate()}
            data-testid="tables-save"
          >
            {save.isPending ? t("settings.saving") : t("tables.save")}
          </button>
          <a
            href={`/settings/tables/print?partner=${encodeURIComponent(partner)}`}
            target="_blank"
            rel="noopener"
            className={`${buttonClass.secondary} content-center ${changed || saved.length === 0 ? "pointer-events-none opacity-40" : ""}`}
            aria-disabled={changed || saved.length === 0}
            data-testid="tables-print"
          >
            {t("tables.print")}
          </a>
          {changed && <span className="text-lg text-amber-300">{t("tables.saveFirst")}</span>}
        </div>
      </section>
    </div>
  );
}
