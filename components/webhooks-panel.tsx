"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError, sendJson } from "@/lib/client/api";
import { WEBHOOK_EVENT_TYPES } from "@/lib/events/webhook-events";
import { useLocale, useT } from "./i18n";

/**
 * A partner's webhooks for the back office (/settings mounts it: `<WebhooksPanel partner="demo" />`):
 * the list, a form to add one (the signing secret shown once), remove, and each one's delivery log.
 * Talks to GET/POST /api/partners/{slug}/webhooks, DELETE …/{id}, GET …/{id}/deliveries
 * (docs/contracts.md#jobs-and-notifications); admins only, others see the API's refusal.
 */
const EVENTS = WEBHOOK_EVENT_TYPES;

type Webhook = { id: string; url: string; events: string[]; createdAt: string };
type Delivery = {
  id: string;
  deliveryId: string;
  event: string;
  attempt: number;
  status: number | null;
  error: string | null;
  durationMs: number;
  at: string;
};

export function WebhooksPanel({ partner }: { partner: string }) {
  const t = useT();
  const client = useQueryClient();
  const base = `/api/partners/${encodeURIComponent(partner)}/webhooks`;
  const list = useQuery({
    queryKey: ["webhooks", partner],
    queryFn: async () => {
      const res = await fetch(base, { cache: "no-store" });
      if (!res.ok)
        throw new ApiError(
          res.status,
          ((await res.json().catch(() => null)) as { error?: { message?: string } } | null)?.error?.message ?? `HTTP ${res.status}`,
        );
      return ((await res.json()) as { webhooks: Webhook[] }).webhooks;
    },
  });
  const [url, setUrl] = useState("");
  const [events, setEvents] = useState<string[]>([...EVENTS]);
  const [secret, setSecret] = useState<{ id: string; secret: string } | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const add = useMutation({
    mutationFn: () => sendJson<Webhook & { secret: string }>("POST", base, { url, events }),
    onSuccess: (hook) => {
      setSecret({ id: hook.id, secret: hook.secret });
      setUrl("");
      void client.invalidateQueries({ queryKey: ["webhooks", partner] });
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => sendJson("DELETE", `${base}/${encodeURIComponent(id)}`),
    onSuccess: () => void client.invalidateQueries({ queryKey: ["webhooks", partner] }),
  });

  return (
    <section
      aria-labelledby="webhooks-heading"
      className="grid gap-4 rounded-2xl border border-white/10 bg-white/5 p-5"
      data-testid="webhooks-panel"
    >
      <h2 id="webhooks-heading" className="text-2xl font-black">
        {t("webhooks.title")}
      </h2>
      {list.error && (
        <p role="alert" className="text-lg text-red-300">
          {(list.error as Error).message}
        </p>
      )}
      <ul className="grid gap-3">
        {(list.data ?? []).map((h) => (
          <li key={h.id} data-testid="webhook" data-id={h.id} className="grid gap-2 rounded-xl bg-black/30 p-3">
            <div className="flex flex-wrap items-center gap-3">
              <span className="break-all font-mono text-lg">{h.url}</span>
              <span className="text-base text-gray-300">{h.events.join(", ")}</span>
              <span className="ml-auto" />
              <button
                type="button"
                className="min-h-11 rounded-xl bg-white/10 px-4 text-lg font-bold"
                onClick={() => setOpen(open === h.id ? null : h.id)}
                aria-expanded={open === h.id}
              >
                {t("webhooks.deliveries")}
              </button>
              <button
                type="button"
                data-testid="webhook-remove"
                className="min-h-11 rounded-xl bg-red-700 px-4 text-lg font-bold"
                onClick={() => remove.mutate(h.id)}
              >
                {t("webhooks.remove")}
              </button>
            </div>
            {secret?.id === h.id && (
              <p data-testid="webhook-secret" className="rounded-lg border-2 border-amber-400 bg-amber-950 p-3 text-lg">
                {t("webhooks.secret")} <code className="break-all font-mono">{secret.secret}</code>
              </p>
            )}
            {open === h.id && <DeliveryLog url={`${base}/${encodeURIComponent(h.id)}/deliveries`} />}
          </li>
        ))}
        {list.data?.length === 0 && <li className="text-lg text-gray-300">{t("webhooks.none")}</li>}
      </ul>
      <form
        className="grid gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          add.mutate();
        }}
      >
        <label className="grid gap-1 text-lg">
          {t("webhooks.url")}
          <input
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            type="url"
            required
            placeholder="https://example.com/pass-hook"
            data-testid="webhook-url"
            className="min-h-11 rounded-xl bg-black/40 px-3 text-lg"
          />
        </label>
        <fieldset className="flex flex-wrap gap-3">
          <legend className="mb-1 text-lg">{t("webhooks.events")}</legend>
          {EVENTS.map((ev) => (
            <label key={ev} className="flex min-h-11 items-center gap-2 rounded-xl bg-black/30 px-3 text-lg">
              <input
                type="checkbox"
                checked={events.includes(ev)}
                onChange={(e) => setEvents((cur) => (e.target.checked ? [...cur, ev] : cur.filter((x) => x !== ev)))}
                className="h-6 w-6"
              />
              {ev}
            </label>
          ))}
        </fieldset>
        {add.error && (
          <p role="alert" className="text-lg text-red-300" data-testid="webhook-error">
            {(add.error as Error).message}
          </p>
        )}
        <button
          type="submit"
          disabled={add.isPending}
          data-testid="webhook-add"
          className="min-h-12 rounded-xl bg-sky-500 px-5 text-xl font-black text-black"
        >
          {t("webhooks.add")}
        </button>
      </form>
    </section>
  );
}

function DeliveryLog({ url }: { url: string }) {
  const t = useT();
  const locale = useLocale();
  const log = useQuery({
    queryKey: ["webhook-deliveries", url],
    queryFn: async () => (await (await fetch(url, { cache: "no-store" })).json()) as { pending: number; deliveries: Delivery[] },
    refetchInterval: 10_000,
  });
  const data = log.data;
  if (!data) return null;
  return (
    <div className="grid gap-1 text-base" data-testid="webhook-deliveries">
      <p className="text-gray-300">{t("webhooks.pending", { count: data.pending })}</p>
      <table className="w-full text-left">
        <thead>
          <tr className="text-gray-400">
            <th>{t("webhooks.col.when")}</th>
            <th>{t("webhooks.col.event")}</th>
            <th>{t("webhooks.col.attempt")}</th>
            <th>{t("webhooks.col.answer")}</th>
          </tr>
        </thead>
        <tbody>
          {data.deliveries.map((d) => (
            <tr key={d.id} data-testid="webhook-delivery">
              <td>{new Date(d.at).toLocaleTimeString(locale)}</td>
              <td className="font-mono">{d.event}</td>
              <td>{d.attempt}</td>
              <td className={d.error ? "text-red-300" : "text-green-300"}>
                {d.error ?? t("webhooks.answered", { status: String(d.status), ms: d.durationMs })}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
