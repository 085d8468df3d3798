"use client";

import { create } from "zustand";
import { persist } from "zustand/middleware";

/**
 * Browsers play audio only after a gesture: each screen shows "tap to enable sound" until the
 * audio context runs, and a mute toggle that survives reloads. Alerts are synthesised (no files).
 * `window.__passSound` counts what was actually played, for tests and the health panel.
 */
type SoundState = { muted: boolean; unlocked: boolean; setMuted(muted: boolean): void; setUnlocked(): void };

export const useSound = create<SoundState>()(
  persist(
    (set) => ({
      muted: false,
      unlocked: false,
      setMuted: (muted) => set({ muted }),
      setUnlocked: () => set({ unlocked: true }),
    }),
    { name: "pass.sound", partialize: (s) => ({ muted: s.muted }) },
  ),
);

let context: AudioContext | null = null;

declare global {
  interface Window {
    __passSound?: { played: number; byKind: Record<string, number> };
  }
}

export function unlockSound(): void {
  const Ctor = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Ctor) return;
  context ??= new Ctor();
  void context.resume().then(() => useSound.getState().setUnlocked());
  if (context.state === "running") useSound.getState().setUnlocked();
}

const TONES: Record<string, number[]> = {
  "new-order": [880, 1175],
  ticket: [660, 880],
  ready: [1047, 1319, 1568],
};

export function playAlert(kind: keyof typeof TONES): void {
  const { muted, unlocked } = useSound.getState();
  if (muted || !unlocked || !context) return;
  const start = context.currentTime;
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

export function SoundControl() {
  const { muted, unlocked, setMuted } = useSound();
  if (!unlocked) {
    return (
      <button
        type="button"
        onClick={unlockSound}
        data-testid="sound-unlock"
        className="min-h-11 pulse-ring rounded-full bg-amber-400 px-4 text-lg font-bold text-black"
      >
        Tap to enable sound
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
      className={`inline-flex min-h-11 items-center gap-2 rounded-full px-4 text-lg font-bold ${muted ? "bg-red-700 text-white" : "bg-white/10 text-white"}`}
    >
      <SpeakerIcon muted={muted} />
      {muted ? "Muted" : "Sound on"}
    </button>
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
