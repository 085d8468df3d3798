"use client";

import { useState } from "react";

/** Signs this screen in with a device token (POST /api/auth/device); the token is never put in a URL. */
export function DeviceForm({ next }: { next: string }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const res = await fetch("/api/auth/device", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ token: String(form.get("token") ?? "").trim() }),
      });
      if (!res.ok) {
        const body = await res.json().catch(() => null);
        setError(body?.error?.message ?? `sign-in failed (${res.status})`);
        return;
      }
      window.location.assign(next);
    } catch {
      setError("cannot reach Pass — check the network");
    } finally {
      setBusy(false);
    }
  }

  return (
    <form method="post" onSubmit={onSubmit} className="flex flex-col gap-5" data-testid="device-form">
      <label className="flex flex-col gap-2 text-lg font-semibold">
        Device token
        <input
          name="token"
          type="password"
          autoComplete="off"
          required
          autoFocus
          data-testid="device-token"
          className="min-h-14 rounded-xl border border-white/20 bg-black/40 px-4 text-xl outline-none focus:border-sky-400"
        />
      </label>
      {error && (
        <p
          role="alert"
          data-testid="device-error"
          className="rounded-xl border border-red-400 bg-red-950 px-4 py-3 text-lg font-semibold text-red-100"
        >
          {error}
        </p>
      )}
      <button
        type="submit"
        disabled={busy}
        data-testid="device-submit"
        className="min-h-14 rounded-xl bg-sky-500 text-xl font-bold text-black hover:bg-sky-400 disabled:opacity-60"
      >
        {busy ? "Signing in…" : "Sign in this screen"}
      </button>
    </form>
  );
}
