"use client";

import { type RefObject, useEffect, useState } from "react";

/**
 * Whether an element is on (or near) the screen, from one IntersectionObserver shared by every
 * caller: a cashier holding thousands of cards (a tablet that was offline through a rush) runs
 * the one-second clocks of the few it shows, not of all of them (components/elapsed.tsx).
 * Until the observer has answered, and where there is none, an element counts as on screen.
 */
const callbacks = new WeakMap<Element, (onScreen: boolean) => void>();
let observer: IntersectionObserver | null = null;

function shared(): IntersectionObserver | null {
  if (typeof IntersectionObserver === "undefined") return null;
  observer ??= new IntersectionObserver(
    (entries) => {
      for (const e of entries) callbacks.get(e.target)?.(e.isIntersecting);
    },
    { rootMargin: "200px" },
  );
  return observer;
}

export function useOnScreen(ref: RefObject<Element | null>): boolean {
  const [onScreen, setOnScreen] = useState(true);
  useEffect(() => {
    const el = ref.current;
    const io = shared();
    if (!el || !io) return;
    callbacks.set(el, setOnScreen);
    io.observe(el);
    return () => {
      io.unobserve(el);
      callbacks.delete(el);
    };
  }, [ref]);
  return onScreen;
}
