/**
 * The demo service's run (docs/architecture.md#demo-service): orders at a lunch-rush rate
 * through the HTTP API, most of them confirmed a few seconds later as a cashier would, the
 * kitchen left to a person. It ends by itself at its deadline, when stopped, or after repeated
 * failures (the server went away); at most `maxOrders`. No module state: each run is an object.
 */
import { type DemoMenu, type DemoOrderBody, demoOrder } from "./orders";

/** The three calls the demo makes, as any API client would. */
export type DemoApi = {
  menu(): Promise<DemoMenu>;
  place(body: DemoOrderBody): Promise<{ id: number }>;
  confirm(id: number, body: { paymentMethod: "CARD" | "CASH" }): Promise<void>;
};

export type DemoStatus = {
  partner: string;
  running: boolean;
  startedAt: string;
  endsAt: string;
  placed: number;
  confirmed: number;
  failed: number;
  lastError: string | null;
  /** Why it ended: its time was up, someone stopped it, it hit `maxOrders`, or the API kept failing. */
  ended: "time" | "stopped" | "limit" | "failing" | null;
};

export type DemoRun = { status(): DemoStatus; stop(): void; done: Promise<DemoStatus> };

export type DemoRunOptions = {
  api: DemoApi;
  partner: string;
  durationMs: number;
  /** Mean time between two orders; the gaps are random (exponential), kept within ¼…3× the mean. */
  meanGapMs?: number;
  /** Share of orders the "cashier" confirms; the rest wait on the cashier screen for a person. */
  confirmShare?: number;
  /** How long the "cashier" takes to confirm, [min, max] ms. */
  confirmDelayMs?: readonly [number, number];
  maxOrders?: number;
  random?: () => number;
  log?: (line: string) => void;
  /** Each order placed (the CLI prints a line). */
  onPlaced?: (id: number, body: DemoOrderBody) => void;
  /** The CLI's run is the process's only work: its timers keep it alive. A server's never hold its shutdown. */
  holdProcess?: boolean;
};

/** A lunch rush at a small counter: an order every ten seconds on average. */
export const LUNCH_RUSH_GAP_MS = 10_000;
const FAILURES_BEFORE_GIVING_UP = 5;

export function runDemo({
  api,
  partner,
  durationMs,
  meanGapMs = LUNCH_RUSH_GAP_MS,
  confirmShare = 0.8,
  confirmDelayMs = [4_000, 12_000],
  maxOrders = 1_000,
  random = Math.random,
  log = () => undefined,
  holdProcess = false,
  onPlaced,
}: DemoRunOptions): DemoRun {
  const started = Date.now();
  const status: DemoStatus = {
    partner,
    running: true,
    startedAt: new Date(started).toISOString(),
    endsAt: new Date(started + durationMs).toISOString(),
    placed: 0,
    confirmed: 0,
    failed: 0,
    lastError: null,
    ended: null,
  };
  const timers = new Set<NodeJS.Timeout>();
  /** Requests under way: a run is done only once they have answered (an order sent at the last moment is counted). */
  const inflight = new Set<Promise<void>>();
  let failuresInARow = 0;
  let finish!: (s: DemoStatus) => void;
  const done = new Promise<DemoStatus>((resolve) => (finish = resolve));
  let menu: DemoMenu | null = null;

  const later = (ms: number, fn: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    if (!holdProcess) timer.unref?.();
    timers.add(timer);
  };
  const end = (why: NonNullable<DemoStatus["ended"]>) => {
    if (!status.running) return;
    status.running = false;
    status.ended = why;
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    void Promise.allSettled([...inflight]).then(() => {
      log(`pass: demo service on ${partner} ended (${why}): ${status.placed} orders placed, ${status.confirmed} confirmed`);
      finish({ ...status });
    });
  };
  const track = (work: Promise<void>) => {
    inflight.add(work);
    void work.finally(() => inflight.delete(work));
  };
  const failed = (what: string, err: unknown) => {
    status.failed++;
    status.lastError = `${what}: ${err instanceof Error ? err.message : String(err)}`;
    if (++failuresInARow >= FAILURES_BEFORE_GIVING_UP) end("failing");
  };

  const placeOne = async () => {
    if (!status.running) return;
    try {
      // The menu is read again every ten orders: a dish 86'd meanwhile is no longer ordered.
      if (!menu || status.placed % 10 === 0) menu = await api.menu();
      const body = demoOrder({ menu, partner, random });
      const order = await api.place(body);
      status.placed++;
      onPlaced?.(order.id, body);
      failuresInARow = 0;
      if (random() < confirmShare) {
        const [lo, hi] = confirmDelayMs;
        later(lo + random() * (hi - lo), () => track(confirmOne(order.id)));
      }
    } catch (err) {
      failed("placing an order", err);
    }
    if (!status.running) return;
    if (status.placed >= maxOrders) return end("limit");
    const gap = Math.min(3 * meanGapMs, Math.max(meanGapMs / 4, -Math.log(1 - random()) * meanGapMs));
    if (Date.now() + gap >= started + durationMs) return;
    later(gap, () => track(placeOne()));
  };
  const confirmOne = async (id: number) => {
    if (!status.running) return;
    try {
      await api.confirm(id, { paymentMethod: random() < 0.7 ? "CARD" : "CASH" });
      status.confirmed++;
      failuresInARow = 0;
    } catch (err) {
      // Someone cancelled or confirmed it first on the cashier screen: not a failure of the API.
      if ((err as { status?: number }).status === 409) return;
      failed(`confirming order ${id}`, err);
    }
  };

  later(Math.max(0, durationMs), () => end("time"));
  later(0, () => track(placeOne()));
  log(`pass: demo service on ${partner} started until ${status.endsAt}`);
  return { status: () => ({ ...status }), stop: () => end("stopped"), done };
}

export class DemoHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The demo's API client: plain HTTP to a Pass server with a bearer device token, exactly what an
 * integration or a till would send (`fetch` is injectable for tests that serve the route handlers).
 */
export function httpDemoApi({
  base,
  token,
  partner,
  fetch: send = globalThis.fetch,
}: {
  base: string;
  token: string;
  partner: string;
  fetch?: typeof globalThis.fetch;
}): DemoApi {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await send(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    if (!res.ok) throw new DemoHttpError(res.status, `${method} ${path}: ${res.status} ${json?.error?.message ?? ""}`.trim());
    return json as T;
  };
  return {
    menu: () => call<DemoMenu>("GET", `/api/menu?partner=${encodeURIComponent(partner)}`),
    place: (body) => call<{ id: number }>("POST", "/api/orders", body),
    confirm: async (id, body) => {
      await call("POST", `/api/orders/${id}/confirm`, body);
    },
  };
}
