"use client";

import { useState } from "react";
import { useT } from "@/components/i18n";

export function LoginForm({ next }: { next: string }) {
  const t = useT();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const res = await fetch("/api/auth/login", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: form.get("username"), password: form.get("password") }),
      });
      if (!res.ok) {
        const body = await res.json().catch(() => null);
        setError(body?.error?.message ?? t("login.failed", { status: res.status }));
        return;
      }
      window.location.assign(next);
    } catch {
      setError(t("login.network"));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form method="post" onSubmit={onSubmit} className="flex flex-col gap-5" data-testid="login-form">
      <label className="flex flex-col gap-2 text-lg font-semibold">
        {t("login.username")}
        <input
          name="username"
          autoComplete="username"
          required
          autoFocus
          data-testid="login-username"
          className="min-h-14 rounded-xl border border-white/20 bg-black/40 px-4 text-xl outline-none focus:border-sky-400"
        />
      </label>
      <label className="flex flex-col gap-2 text-lg font-semibold">
        {t("login.password")}
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          required
          data-testid="login-password"
          className="min-h-14 rounded-xl border border-white/20 bg-black/40 px-4 text-xl outline-none focus:border-sky-400"
        />
      </label>
      {error && (
        <p
          role="alert"
          data-testid="login-error"
          className="rounded-xl border border-red-400 bg-red-950 px-4 py-3 text-lg font-semibold text-red-100"
        >
          {error}
        </p>
      )}
      <button
        type="submit"
        disabled={busy}
        data-testid="login-submit"
        className="min-h-14 rounded-xl bg-sky-500 text-xl font-bold text-black hover:bg-sky-400 disabled:opacity-60"
      >
        {busy ? t("login.busy") : t("login.submit")}
      </button>
    </form>
  );
}
