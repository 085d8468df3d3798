"use client";

import { useEffect } from "react";
import { create } from "zustand";
import { persist } from "zustand/middleware";
import { useT } from "./i18n";

/**
 * Browsers play audio only after a gesture. Each screen arms the unlock on its first key or tap
 * (a bump bar is a keyboard, so its first press counts) as well as on the "Tap to enable sound"
 * button; once sound ran on this device it is remembered (`pass.sound` in localStorage) and a
 * reload or another station tries to resume it at once — which the browser allows when the site
 * has earned it (Chrome's media engagement), and otherwise the next key or tap does it. While
 * sound is off (locked or muted) the screen shows a full-width SOUND OFF bar, and the heartbeat
 * reports it to the health panel. Alerts are synthesised (no files). `window.__passSound`
 * counts what was actually played, for tests and the health panel.
 */
type SoundState = {
  muted: boolean;
  unlocked: boolean;
  /** Sound ran on this device before: try to resume without waiting for a gesture. */
  remembered: boolean;
  setMuted(muted: boolean): void;
  setUnlocked(): void;
};

export const useSound = create<SoundState>()(
  persist(
    (set) => ({
      muted: false,
      unlocked: false,
      remembered: false,
      setMuted: (muted) => set({ muted }),
      setUnlocked: () => set({ unlocked: true, remembered: true }),
    }),
    { name: "pass.sound", partialize: (s) => ({ muted: s.muted, remembered: s.remembered }) },
  ),
);

let context: AudioContext | null = null;

declare global {
  interface Window {
    __passSound?: { played: number; byKind: Record<string, number> };
  }
}

/**
 * `afterClick`: the unlock came from a pointerdown anywhere on the screen. The audio must start
 * inside that gesture, but the screen must not change under the finger before its click lands
 * (the SOUND OFF bar going away shifts everything up; the unlock button turns into the mute
 * toggle), so the state follows once the click is through.
 */
export function unlockSound({ afterClick = false }: { afterClick?: boolean } = {}): void {
  const Ctor = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Ctor) return;
  context ??= new Ctor();
  const unlocked = () => {
    if (context?.state !== "running") return;
    if (!afterClick) return useSound.getState().setUnlocked();
    const settle = () => useSound.getState().setUnlocked();
    window.addEventListener("click", () => setTimeout(settle, 0), { once: true, capture: true });
    setTimeout(settle, 800);
  };
  if (context.state === "running") unlocked();
  else void context.resume().then(unlocked);
}

/**
 * The screen's part of the unlock: resume at once when this device had sound before, and
 * otherwise (or if the browser refuses) on the first key or tap anywhere on the screen.
 */
export function useSoundUnlock(enabled = true): void {
  const unlocked = useSound((s) => s.unlocked);
  useEffect(() => {
    if (unlocked || !enabled) return;
    if (useSound.getState().remembered) unlockSound();
    const onKey = () => unlockSound();
    const onPointer = () => unlockSound({ afterClick: true });
    // Capture: a key the bump bar handles (and stops) still counts.
    window.addEventListener("keydown", onKey, { capture: true });
    window.addEventListener("pointerdown", onPointer, { capture: true });
    return () => {
      window.removeEventListener("keydown", onKey, { capture: true });
      window.removeEventListener("pointerdown", onPointer, { capture: true });
    };
  }, [unlocked, enabled]);
}

/** Whether alerts are heard on this screen: unlocked and not muted (what the health panel shows as "sound on"). */
export const useSoundAudible = () => useSound((s) => s.unlocked && !s.muted);

/** Why this screen is silent, if it is. */
export const useSoundOff = (): "locked" | "muted" | null => useSound((s) => (!s.unlocked ? "locked" : s.muted ? "muted" : null));

const TONES: Record<string, number[]> = {
  "new-order": [880, 1175],
  ticket: [660, 880],
  ready: [1047, 1319, 1568],
};

/** A tone lasts ~0.4 s: the same alert asked again meanwhile (a burst of replayed arrivals) plays once. */
const ALERT_GAP_S = 0.4;
const lastPlayed: Partial<Record<string, number>> = {};

export function playAlert(kind: keyof typeof TONES): void {
  const { muted, unlocked } = useSound.getState();
  if (muted || !unlocked || !context) return;
  const start = context.currentTime;
  const last = lastPlayed[kind];
  if (last !== undefined && start - last < ALERT_GAP_S && start >= last) return;
  lastPlayed[kind] = start;
  TONES[kind]!.forEach((freq, i) => {
    const osc = context!.createOscillator();
    const gain = context!.createGain();
    osc.frequency.value = freq;
    osc.type = "sine";
    gain.gain.setValueAtTime(0.0001, start + i * 0.18);
    gain.gain.exponentialRampToValueAtTime(0.4, start + i * 0.18 + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + i * 0.18 + 0.16);
    osc.connect(gain).connect(context!.destination);
    osc.start(start + i * 0.18);
    osc.stop(start + i * 0.18 + 0.17);
  });
  const counter = (window.__passSound ??= { played: 0, byKind: {} });
  counter.played++;
  counter.byKind[kind] = (counter.byKind[kind] ?? 0) + 1;
}

/** `off`: the header itself is the SOUND OFF bar (wall TVs), so the button says it too. */
export function SoundControl({ off = false }: { off?: boolean }) {
  const t = useT();
  const { muted, unlocked, setMuted } = useSound();
  const prefix = off ? `${t("sound.off")} · ` : "";
  if (!unlocked) {
    return (
      <button
        type="button"
        onClick={() => unlockSound()}
        data-testid="sound-unlock"
        className="min-h-11 pulse-ring rounded-full bg-amber-400 px-4 text-lg font-bold text-black"
      >
        {prefix}
        {t("sound.unlock")}
      </button>
    );
  }
  return (
    <button
      type="button"
      onClick={() => setMuted(!muted)}
      data-testid="sound-toggle"
      data-muted={muted}
      aria-pressed={muted}
      className={`inline-flex min-h-11 items-center gap-2 rounded-full px-4 text-lg font-bold ${muted ? (off ? "bg-white text-red-800" : "bg-red-700 text-white") : "bg-white/10 text-white"}`}
    >
      <SpeakerIcon muted={muted} />
      {muted ? `${prefix}${t("sound.muted")}` : t("sound.on")}
    </button>
  );
}

/** Full width under the header while alerts would not be heard: a kitchen must see it from across the room. */
export function SoundOffBar() {
  const t = useT();
  const { muted, unlocked, setMuted } = useSound();
  if (unlocked && !muted) return null;
  const reason = unlocked ? "muted" : "locked";
  return (
    <div
      role="alert"
      data-testid="sound-off"
      data-reason={reason}
      className="flex w-full shrink-0 flex-wrap items-center justify-center gap-x-4 gap-y-1 bg-red-700 px-4 py-2 text-center text-white"
    >
      <span className="inline-flex items-center gap-2 text-2xl font-black tracking-widest">
        <SpeakerIcon muted />
        {t("sound.off")}
      </span>
      <span className="text-lg font-semibold">{reason === "muted" ? t("sound.offMuted") : t("sound.offLocked")}</span>
      {reason === "muted" && (
        <button
          type="button"
          onClick={() => setMuted(false)}
          data-testid="sound-unmute"
          className="min-h-11 rounded-full bg-white px-4 text-lg font-black text-red-800"
        >
          {t("sound.unmute")}
        </button>
      )}
    </div>
  );
}

function SpeakerIcon({ muted }: { muted: boolean }) {
  return (
    <svg
      aria-hidden
      viewBox="0 0 24 24"
      className="h-5 w-5"
      fill="none"
      stroke="currentColor"
      strokeWidth="2.2"
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      <path d="M4 9h4l5-4v14l-5-4H4z" fill="currentColor" />
      {muted ? <path d="M17 9l5 6M22 9l-5 6" /> : <path d="M16.5 8.5a5 5 0 0 1 0 7M19 6a8.5 8.5 0 0 1 0 12" />}
    </svg>
  );
}
