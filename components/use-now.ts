"use client";

import { useSyncExternalStore } from "react";

/**
 * One shared one-second clock. Only components that show a running time subscribe, so a
 * kitchen with 200 tickets re-renders 200 small timers a second, never the tickets themselves.
 */
let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void) {
  listeners.add(listener);
  if (!timer) {
    // The clock may have stood still while nobody watched it.
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, 1000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

export function useNow(): number {
  return useSyncExternalStore(
    subscribe,
    () => now,
    () => now,
  );
}

const stayStill = () => () => {};

/**
 * The shared clock while `running`; otherwise the time it last showed, with no subscription (a
 * timer off screen, components/use-on-screen.ts). Turning it on again shows the time at once.
 */
export function useNowWhile(running: boolean): number {
  return useSyncExternalStore(
    running ? subscribe : stayStill,
    () => now,
    () => now,
  );
}

/**
 * A value derived from the shared clock that re-renders its component only when it changes
 * (a card's "warning" / "late" level turns twice in its life, not every second).
 */
export function useClockValue<T extends string | number | boolean>(derive: (now: number) => T): T {
  return useSyncExternalStore(
    subscribe,
    () => derive(now),
    () => derive(now),
  );
}
