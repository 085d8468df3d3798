"use client";

import { forgetOfflineData } from "@/lib/client/offline-snapshot";

export function LogoutButton({ label }: { label: string }) {
  async function logout() {
    await fetch("/api/auth/logout", { method: "POST" });
    // Nothing of this sign-in stays on the device for the next person (pages, snapshots).
    await forgetOfflineData();
    window.location.assign("/login");
  }
  return (
    <button
      type="button"
      onClick={logout}
      data-testid="logout"
      className="min-h-12 rounded-xl border border-white/20 px-5 text-lg font-semibold hover:bg-white/10"
    >
      {label}
    </button>
  );
}
