"use client";

import { useT } from "@/components/i18n";
import type { MessageKey } from "@/lib/i18n";

/** One colour per status, on every screen (README "Screens"). */
/** `label` is the status's key in the message catalogue (lib/i18n). */
export const STATUS_STYLE: Record<string, { label: MessageKey; chip: string; edge: string }> = {
  PENDING: { label: "status.PENDING", chip: "bg-amber-400 text-black", edge: "border-amber-400" },
  CONFIRMED: { label: "status.CONFIRMED", chip: "bg-blue-600 text-white", edge: "border-blue-500" },
  PREPARING: { label: "status.PREPARING", chip: "bg-violet-600 text-white", edge: "border-violet-500" },
  READY: { label: "status.READY", chip: "bg-green-500 text-black", edge: "border-green-500" },
  PICKED_UP: { label: "status.PICKED_UP", chip: "bg-gray-400 text-black", edge: "border-gray-500" },
  DELIVERED: { label: "status.DELIVERED", chip: "bg-gray-400 text-black", edge: "border-gray-500" },
  CANCELLED: { label: "status.CANCELLED", chip: "bg-red-600 text-white line-through", edge: "border-red-600" },
};

export function StatusChip({ status }: { status: string }) {
  const tr = useT();
  const known = status in STATUS_STYLE ? status : "PENDING";
  const s = STATUS_STYLE[known]!;
  return <span className={`inline-flex items-center rounded-full px-3 py-1 text-base font-bold ${s.chip}`}>{tr(s.label)}</span>;
}
