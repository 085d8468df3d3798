"use client";

import { useEffect, useRef, useState } from "react";
import { useT } from "@/components/i18n";

/** The DOM id of a category's section on the ordering page: the bar scrolls to it. */
export const sectionId = (categoryId: string) => `cat-section-${categoryId.replace(/[^A-Za-z0-9_-]/g, "_")}`;

/**
 * The menu's categories as a sticky bar on top of the ordering page (phone first): a tap scrolls
 * to the category, and the category being read is highlighted (and kept in view in the bar) as
 * the guest scrolls. The current one is the last whose heading has passed under the bar.
 */
export function CategoryBar({ sections }: { sections: { id: string; name: string }[] }) {
  const t = useT();
  const bar = useRef<HTMLElement>(null);
  const [current, setCurrent] = useState<string | null>(sections[0]?.id ?? null);
  // While a tap's smooth scroll runs, the scroll position must not move the highlight back.
  const jumping = useRef<{ id: string; until: number } | null>(null);

  useEffect(() => {
    let frame = 0;
    const read = () => {
      frame = 0;
      const j = jumping.current;
      if (j && Date.now() < j.until) return;
      jumping.current = null;
      const below = (bar.current?.getBoundingClientRect().bottom ?? 0) + 8;
      let found = sections[0]?.id ?? null;
      for (const s of sections) {
        const el = document.getElementById(sectionId(s.id));
        if (el && el.getBoundingClientRect().top <= below) found = s.id;
      }
      // At the very bottom the last short category cannot reach the bar: it is the one being read.
      if (window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 2) found = sections.at(-1)?.id ?? found;
      setCurrent(found);
    };
    const onScroll = () => {
      if (!frame) frame = requestAnimationFrame(read);
    };
    read();
    window.addEventListener("scroll", onScroll, { passive: true });
    window.addEventListener("resize", onScroll);
    return () => {
      if (frame) cancelAnimationFrame(frame);
      window.removeEventListener("scroll", onScroll);
      window.removeEventListener("resize", onScroll);
    };
  }, [sections]);

  // The highlighted chip stays visible in the bar; only the bar scrolls sideways, never the page.
  useEffect(() => {
    const nav = bar.current;
    const chip = nav?.querySelector<HTMLElement>(`[data-id="${CSS.escape(current ?? "")}"]`);
    if (!nav || !chip) return;
    nav.scrollTo({ left: chip.offsetLeft - nav.clientWidth / 2 + chip.clientWidth / 2, behavior: "smooth" });
  }, [current]);

  const jump = (id: string) => {
    const el = document.getElementById(sectionId(id));
    if (!el) return;
    const top = el.getBoundingClientRect().top + window.scrollY - (bar.current?.offsetHeight ?? 0) - 4;
    const smooth = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    jumping.current = { id, until: Date.now() + (smooth ? 900 : 0) };
    setCurrent(id);
    window.scrollTo({ top: Math.max(0, top), behavior: smooth ? "smooth" : "auto" });
  };

  if (sections.length < 2) return null;
  return (
    <nav
      ref={bar}
      aria-label={t("order.categories")}
      data-testid="category-bar"
      className="sticky top-0 z-20 -mx-4 mb-4 flex gap-2 overflow-x-auto border-b border-white/10 bg-[#0b0d10]/95 px-4 py-2 backdrop-blur [scrollbar-width:none]"
    >
      {sections.map((s) => {
        const on = s.id === current;
        return (
          <a
            key={s.id}
            href={`#${sectionId(s.id)}`}
            data-id={s.id}
            data-testid="category-link"
            data-name={s.name}
            aria-current={on ? "true" : undefined}
            onClick={(e) => {
              e.preventDefault();
              jump(s.id);
            }}
            className={`flex min-h-11 shrink-0 items-center whitespace-nowrap rounded-full px-4 text-lg font-bold ${on ? "bg-white text-black" : "bg-white/10 text-gray-100"}`}
          >
            {s.name}
          </a>
        );
      })}
    </nav>
  );
}
