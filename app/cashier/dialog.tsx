"use client";

import { useEffect, useRef } from "react";

/** The cashier's modal: Esc closes it (the native dialog), the page behind does not take keys. */
export function Dialog({
  title,
  onClose,
  children,
  testId,
  wide = false,
}: {
  title: string;
  onClose(): void;
  children: React.ReactNode;
  testId: string;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  return (
    <dialog
      ref={ref}
      onClose={onClose}
      data-testid={testId}
      aria-label={title}
      className={`m-auto max-h-[96dvh] ${wide ? "w-[min(52rem,96vw)]" : "w-[min(36rem,95vw)]"} rounded-2xl border border-white/20 bg-[#15181d] p-5 text-white backdrop:bg-black/70`}
    >
      <h2 className="mb-3 text-3xl font-black">{title}</h2>
      {children}
    </dialog>
  );
}
