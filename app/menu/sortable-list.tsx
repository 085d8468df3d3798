"use client";

import { useEffect, useRef, useState } from "react";
import { useT } from "@/components/i18n";
import { moveItem } from "@/lib/client/menu";

export type SortControls = {
  /** The ≥ 44 px drag handle: drag it (mouse, finger, pen) or focus it and press Alt+↑/↓. */
  handle: React.ReactNode;
  /** "Move up" / "Move down" buttons. */
  moveButtons: React.ReactNode;
  dragging: boolean;
};

/**
 * A reorderable list for a tablet: a pointer drag on the handle (touch included: pointer events,
 * not HTML5 drag and drop), Alt+ArrowUp/Down on the handle or the row, and Move up / Move down
 * buttons. `onReorder` gets every id in the new order; the handle keeps focus across the move.
 */
export function SortableList<T>({
  items,
  getId,
  label,
  onReorder,
  render,
  testId,
  className = "flex flex-col gap-2",
}: {
  items: readonly T[];
  getId: (item: T) => string;
  /** How an item is named to assistive technology ("Move Starters up"). */
  label: (item: T) => string;
  onReorder: (ids: string[]) => void;
  render: (item: T, controls: SortControls) => React.ReactNode;
  testId?: string;
  className?: string;
}) {
  const t = useT();
  const ids = items.map(getId);
  const listRef = useRef<HTMLUListElement>(null);
  const [drag, setDrag] = useState<{ id: string; over: number } | null>(null);
  const refocus = useRef<string | null>(null);

  // After a keyboard move the list re-renders in the new order: keep the focus on the moved handle.
  useEffect(() => {
    const id = refocus.current;
    if (!id || !listRef.current) return;
    const handle = [...listRef.current.querySelectorAll<HTMLElement>("[data-sort-handle]")].find((h) => h.dataset.sortHandle === id);
    if (handle && document.activeElement !== handle) handle.focus();
    refocus.current = null;
  });

  const move = (id: string, delta: number) => {
    const next = moveItem(ids, id, delta);
    if (next.join() === ids.join()) return;
    refocus.current = id;
    onReorder(next);
  };

  const overIndex = (clientY: number) => {
    const rows = [...(listRef.current?.querySelectorAll<HTMLElement>(":scope > [data-sort-row]") ?? [])];
    for (const [i, row] of rows.entries()) {
      const r = row.getBoundingClientRect();
      if (clientY < r.top + r.height / 2) return i;
    }
    return Math.max(0, rows.length - 1);
  };

  const endDrag = () => {
    if (drag) {
      const from = ids.indexOf(drag.id);
      if (from >= 0 && drag.over !== from) {
        refocus.current = drag.id;
        onReorder(moveItem(ids, drag.id, drag.over - from));
      }
    }
    setDrag(null);
  };

  return (
    <ul ref={listRef} className={className} data-testid={testId}>
      {items.map((item, index) => {
        const id = getId(item);
        const name = label(item);
        const handle = (
          <button
            type="button"
            data-sort-handle={id}
            data-testid="drag-handle"
            aria-label={t("menu.sort.reorder", { name })}
            title={t("menu.sort.hint")}
            className="inline-flex h-11 min-h-11 w-11 min-w-11 shrink-0 cursor-grab touch-none items-center justify-center rounded-lg bg-white/10 text-2xl text-gray-200 active:cursor-grabbing"
            onPointerDown={(e) => {
              e.currentTarget.setPointerCapture(e.pointerId);
              setDrag({ id, over: index });
            }}
            onPointerMove={(e) => {
              if (drag?.id === id) setDrag({ id, over: overIndex(e.clientY) });
            }}
            onPointerUp={endDrag}
            onPointerCancel={() => setDrag(null)}
          >
            <span aria-hidden>⠿</span>
          </button>
        );
        const moveButtons = (
          <span className="flex shrink-0 gap-1">
            <button
              type="button"
              data-testid="move-up"
              aria-label={t("menu.sort.up", { name })}
              disabled={index === 0}
              onClick={() => move(id, -1)}
              className="h-11 min-w-11 rounded-lg bg-white/10 px-2 text-xl font-bold disabled:opacity-30"
            >
              ↑
            </button>
            <button
              type="button"
              data-testid="move-down"
              aria-label={t("menu.sort.down", { name })}
              disabled={index === items.length - 1}
              onClick={() => move(id, 1)}
              className="h-11 min-w-11 rounded-lg bg-white/10 px-2 text-xl font-bold disabled:opacity-30"
            >
              ↓
            </button>
          </span>
        );
        const target = drag && drag.id !== id && drag.over === index;
        return (
          <li
            key={id}
            data-sort-row
            data-id={id}
            onKeyDown={(e) => {
              if (!e.altKey || (e.key !== "ArrowUp" && e.key !== "ArrowDown")) return;
              e.preventDefault();
              move(id, e.key === "ArrowUp" ? -1 : 1);
            }}
            className={`rounded-xl ${drag?.id === id ? "opacity-60 ring-2 ring-sky-400" : ""} ${target ? "ring-2 ring-amber-400" : ""}`}
          >
            {render(item, { handle, moveButtons, dragging: drag?.id === id })}
          </li>
        );
      })}
    </ul>
  );
}
