"use client";

import { useRef } from "react";
import { formatDuration } from "@/lib/duration-format";
import { useOnScreen } from "./use-on-screen";
import { useNowWhile } from "./use-now";

/**
 * Running mm:ss since `from`, coloured by age thresholds (minutes). It ticks only while on
 * screen: a list of thousands re-renders the dozen timers it shows each second, not all of them.
 */
export function Elapsed({
  from,
  warnAfterMin = 5,
  lateAfterMin = 10,
  className = "",
}: {
  from: string;
  warnAfterMin?: number;
  lateAfterMin?: number;
  className?: string;
}) {
  const ref = useRef<HTMLSpanElement>(null);
  const now = useNowWhile(useOnScreen(ref));
  const seconds = Math.max(0, Math.floor((now - Date.parse(from)) / 1000));
  const colour =
    seconds >= lateAfterMin * 60
      ? "bg-red-600 text-white"
      : seconds >= warnAfterMin * 60
        ? "bg-amber-400 text-black"
        : "bg-green-700 text-white";
  return (
    <span ref={ref} data-testid="elapsed" className={`rounded-lg px-2 py-0.5 font-mono font-bold tabular-nums ${colour} ${className}`}>
      {formatDuration(seconds, { rounding: "down", padMinutes: true })}
    </span>
  );
}
