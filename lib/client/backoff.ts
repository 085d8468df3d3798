/**
 * Reconnect delays: exponential from 1 s to 30 s, with jitter so that a kitchen full of screens
 * does not come back in the same millisecond after a restart. Pure.
 */
export function reconnectDelay({
  attempt,
  baseMs = 1_000,
  maxMs = 30_000,
  random = Math.random,
}: {
  attempt: number;
  baseMs?: number;
  maxMs?: number;
  random?: () => number;
}): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
  // "Equal jitter": at least half the ceiling, so the delay still grows with each attempt.
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
