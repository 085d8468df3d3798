import "server-only";
import { Admission, DEFAULT_PACING, type PacingOptions } from "./admission";
import { processSlot } from "../process";
import type { Db } from "../db";
import type { Credential } from "../auth";
import type { PartnerInfo } from "../orders/dto";
import type { RevocationPayload } from "../orders/events";
import { CHANNEL_EVENT_TYPES, renderFrame, type StreamChannel } from "../projections";
import type { EventBus } from "./bus";
import { countEvents, logPosition, prunedThrough, pruneEvents, readEvents, sequencePending, type LoggedEvent } from "../events/log";
import { KEEPALIVE } from "./sse";
import { metrics } from "../metrics";
import type { HubReadings } from "../metrics/registry";
import { log as logger } from "../log";

/**
 * One hub per process: it takes committed events from the bus, puts them in id order (reading
 * the log for any gap), renders each event once per channel, and writes the same bytes to every
 * subscribed stream. It also keeps the most recent events in memory so that most reconnects
 * replay without touching the database.
 */

/** What the hub needs from a live stream; lib/realtime/handler implements it on Node's res. */
export interface Subscriber {
  readonly channel: StreamChannel;
  /** null = every partner (admin). */
  readonly partnerId: string | null;
  /** A narrower stream (one customer's order, some event types): which events it wants. */
  readonly accepts?: (event: LoggedEvent) => boolean;
  /** Called with the rendered frame of every event of this channel and partner scope. */
  deliver(id: number, frame: Buffer): void;
  keepalive(frame: Buffer): void;
  /** Server shutdown: say goodbye (each stream at its own position) and end. */
  shutdown(notice: ShutdownNotice): void;
  /** The credential the stream was opened with; an `auth.revoked` event for it ends the stream. */
  readonly credential?: Credential;
  revoke?(reason: string): void;
}

export type ShutdownNotice = { reason: "SERVER_MAINTENANCE"; reconnectAfter: number; message: string };

type RecentEntry = { event: LoggedEvent; frames: Map<StreamChannel, Buffer | null> };

export type HubOptions = {
  db: Db;
  bus: EventBus;
  keepaliveMs: number;
  /** Events kept in memory for replay. */
  recentCapacity?: number;
  /** With nothing heard for this long, check the log for events the bus did not bring. */
  gapCheckMs?: number;
  pruneEveryMs?: number;
  retention?: { minAgeMs: number; minPerPartner: number };
  /** A replay longer than this is refused (REPLAY_TOO_LARGE): the client reloads its snapshot. */
  maxReplayEvents?: number;
  /** Events one principal may have replayed per minute, all its connections together (REPLAY_RATE_LIMITED past it). */
  replayBudgetPerMinute?: number;
  /** Replays served at the same time on this node; more wait their turn. */
  maxConcurrentReplays?: number;
  /** Reconnect-storm pacing: `retry:` jitter and the admission limit (admission.ts). */
  pacing?: PacingOptions;
};

const KEEPALIVE_BUF = Buffer.from(KEEPALIVE);
const READ_PAGE = 500;
/** How long the hub trusts its copy of the partners' names and currencies. */
const PARTNER_INFO_TTL_MS = 30_000;

/** Replays read and render in smaller pages and yield between them: a page is a few ms of work. */
const REPLAY_PAGE = 100;

export class Hub {
  readonly db: Db;
  readonly bus: EventBus;
  #epoch = "";
  #lastId = 0;
  #subscribers = new Map<StreamChannel, Set<Subscriber>>();
  #recent: RecentEntry[] = [];
  readonly #recentCapacity: number;
  readonly #partners = new Map<string, PartnerInfo>();
  #inbox: LoggedEvent[] = [];
  #hintedUpTo = 0;
  #resyncWanted = false;
  #pumping: Promise<void> | null = null;
  #lastHeardAt = Date.now();
  #timers: NodeJS.Timeout[] = [];
  readonly #options: HubOptions;
  #starting = false;
  #started = false;
  /** Counters for health, tests and the benchmark. */
  readonly stats = { delivered: 0, repaired: 0, framesRendered: 0 };
  /** This node's stream admission: jittered `retry:` values and the limit on streams opening at once. */
  readonly admission: Admission;
  /** Frames written per channel since start (`/metrics`): one addition per channel per event. */
  readonly #deliveries = new Map<StreamChannel, number>();

  constructor(options: HubOptions) {
    this.#options = options;
    this.db = options.db;
    this.bus = options.bus;
    this.#recentCapacity = options.recentCapacity ?? 4096;
    this.admission = new Admission(options.pacing ?? DEFAULT_PACING);
  }

  get epoch(): string {
    return this.#epoch;
  }

  get maxReplayEvents(): number {
    return this.#options.maxReplayEvents ?? 10_000;
  }

  #replayBudgets = new Map<string, { since: number; used: number }>();

  /**
   * Charges a replay of `count` events to a principal's budget for the current minute; false =
   * over budget. A screen that reconnects now and then never comes near it; a client looping
   * `subscribe {offset}` does, and then reloads its snapshot instead of costing every replay.
   */
  chargeReplay(key: string, count: number): boolean {
    const limit = this.#options.replayBudgetPerMinute ?? 5 * this.maxReplayEvents;
    const budget = this.#budget(key);
    if (budget.used + count > limit) {
      // Spent: refusals from here on cost no database work until the minute is over.
      budget.used = limit;
      return false;
    }
    budget.used += count;
    return true;
  }

  #replaysRunning = 0;
  #replayQueue: (() => void)[] = [];

  /**
   * Replays run at most `maxConcurrentReplays` at a time on a node (2 by default); the others
   * wait their turn. Each yields between pages, so with two running the event loop still turns
   * every few milliseconds for everything else.
   */
  async replaySlot(): Promise<() => void> {
    const max = this.#options.maxConcurrentReplays ?? 2;
    if (this.#replaysRunning >= max) await new Promise<void>((resolve) => this.#replayQueue.push(resolve));
    else this.#replaysRunning++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#replayQueue.shift();
      if (next) next();
      else this.#replaysRunning--;
    };
  }

  /** False once a principal has spent this minute's budget: its replays are refused before any query. */
  hasReplayBudget(key: string): boolean {
    return this.#budget(key).used < (this.#options.replayBudgetPerMinute ?? 5 * this.maxReplayEvents);
  }

  #budget(key: string): { since: number; used: number } {
    const now = Date.now();
    let budget = this.#replayBudgets.get(key);
    if (!budget || now - budget.since >= 60_000) {
      budget = { since: now, used: 0 };
      this.#replayBudgets.set(key, budget);
      if (this.#replayBudgets.size > 10_000) {
        for (const [k, b] of this.#replayBudgets) if (now - b.since >= 60_000) this.#replayBudgets.delete(k);
      }
    }
    return budget;
  }

  /** The newest id this hub has handed to its subscribers. */
  get lastId(): number {
    return this.#lastId;
  }

  /** What `/metrics` reads at scrape time (lib/metrics/registry.ts); nothing is recorded per delivery. */
  readings(): HubReadings {
    return {
      streamsOpen: () => [...this.#subscribers].map(([channel, set]) => [channel, set.size] as [string, number]),
      deliveries: () => this.#deliveries,
      stats: () => this.stats,
    };
  }

  get connectionCount(): number {
    let n = 0;
    for (const set of this.#subscribers.values()) n += set.size;
    return n;
  }

  async start(): Promise<void> {
    if (this.#starting) return;
    this.#starting = true;
    // Subscribe before reading the position: anything published meanwhile waits in the inbox
    // and is either at or below the position (skipped) or above it (delivered).
    await this.bus.subscribe({
      onEvents: (events) => this.#receive(events),
      onHint: (id) => this.#hint(id),
      onResync: () => this.resync(),
    });
    const position = await logPosition({ db: this.db });
    this.#epoch = position.epoch;
    this.#lastId = position.lastEventId;
    await this.#loadPartners();
    this.#started = true;
    void this.#pump();
    const gapCheckMs = this.#options.gapCheckMs ?? 2_000;
    this.#every(Math.max(100, Math.floor(gapCheckMs / 2)), () => {
      if (Date.now() - this.#lastHeardAt >= gapCheckMs) this.resync();
    });
    this.#every(this.#options.keepaliveMs, () => this.#broadcastKeepalive());
    const pruneEveryMs = this.#options.pruneEveryMs ?? 3_600_000;
    this.#every(pruneEveryMs, () => {
      pruneEvents({ db: this.db, ...this.#options.retention }).catch((err) => logger().error(`pass: pruning failed: ${err.message}`));
    });
  }

  /** Ask the hub to read the log for anything it has not delivered yet. */
  resync(): void {
    this.#resyncWanted = true;
    this.#lastHeardAt = Date.now();
    void this.#pump();
  }

  /** Resolves when everything received so far has been delivered (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#pumping) await this.#pumping;
  }

  subscribe(subscriber: Subscriber): void {
    let set = this.#subscribers.get(subscriber.channel);
    if (!set) this.#subscribers.set(subscriber.channel, (set = new Set()));
    set.add(subscriber);
  }

  unsubscribe(subscriber: Subscriber): void {
    this.#subscribers.get(subscriber.channel)?.delete(subscriber);
  }

  /** SIGTERM: every stream gets `disconnecting`, then ends. */
  shutdown({ reconnectAfter }: { reconnectAfter: number }): void {
    const notice: ShutdownNotice = { reason: "SERVER_MAINTENANCE", reconnectAfter, message: "Pass is restarting" };
    for (const set of this.#subscribers.values()) for (const s of [...set]) s.shutdown(notice);
    this.#subscribers.clear();
  }

  async stop(): Promise<void> {
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
    await this.idle();
  }

  /**
   * Replay of (afterId, uptoId] for one channel and partner scope: the count first (for
   * `replay-start`), then the frames in order. From memory when the recent window covers the
   * range, else from the log, page by page.
   */
  async replay({
    channel,
    partnerId,
    afterId,
    uptoId,
    accepts,
    orderId,
  }: {
    channel: StreamChannel;
    partnerId: string | null;
    afterId: number;
    uptoId: number;
    /** A narrower stream's filter (see Subscriber.accepts). */
    accepts?: (event: LoggedEvent) => boolean;
    /** Lets the log narrow a one-order replay in SQL. */
    orderId?: number;
  }): Promise<{ count: number; frames: AsyncIterable<{ id: number; frame: Buffer }> }> {
    const oldestRecent = this.#recent[0]?.event.id;
    const types = CHANNEL_EVENT_TYPES[channel];
    const wanted = (e: LoggedEvent) =>
      e.id > afterId &&
      e.id <= uptoId &&
      inScope(e, partnerId) &&
      types.includes(e.type) &&
      (orderId === undefined || e.orderId === orderId) &&
      (!accepts || accepts(e));
    const self = this;
    // Pages of the log in id order, yielding to the event loop between pages so that a large
    // replay never starves other requests.
    async function* logPages() {
      let after = afterId;
      for (;;) {
        const page = await readEvents({ db: self.db, partnerId, afterId: after, uptoId, types, orderId, limit: REPLAY_PAGE });
        yield page;
        if (page.length < REPLAY_PAGE) return;
        after = page.at(-1)!.id;
        await new Promise((r) => setImmediate(r));
      }
    }
    async function* rendered(pages: AsyncIterable<LoggedEvent[]>) {
      for await (const page of pages) {
        for (const event of page) {
          if (!wanted(event)) continue;
          const frame = await self.#render(event, channel);
          if (frame) yield { id: event.id, frame };
        }
      }
    }
    if (oldestRecent !== undefined && oldestRecent <= afterId + 1) {
      // The memory window covers the range: frames rendered once per channel are shared.
      const entries = this.#recent.filter((e) => wanted(e.event));
      async function* fromMemory() {
        for (let i = 0; i < entries.length; i++) {
          const frame = await self.#frameOf(entries[i]!, channel);
          if (frame) yield { id: entries[i]!.event.id, frame };
          if (i % REPLAY_PAGE === REPLAY_PAGE - 1) await new Promise((r) => setImmediate(r));
        }
      }
      metrics()?.replay(channel, entries.length);
      return { count: entries.length, frames: fromMemory() };
    }
    if (accepts) {
      // Filters the log cannot apply: count by reading the range once, then stream it page by page.
      let count = 0;
      for await (const page of logPages()) for (const event of page) if (wanted(event)) count++;
      metrics()?.replay(channel, count);
      return { count, frames: rendered(logPages()) };
    }
    const count = await countEvents({ db: this.db, partnerId, afterId, uptoId, types, orderId });
    metrics()?.replay(channel, count);
    return { count, frames: rendered(logPages()) };
  }

  /** A resume from below this id has a hole: pruned events are gone. */
  async prunedThrough(partnerId: string | null): Promise<number> {
    // Joins at the same moment (a reconnect storm) share one read: an answer at most one query
    // old, and pruning only ever drops events far older than any reconnecting client's position.
    const key = partnerId ?? "";
    let pending = this.#prunedReads.get(key);
    if (!pending) {
      pending = prunedThrough({ db: this.db, partnerId }).finally(() => this.#prunedReads.delete(key));
      this.#prunedReads.set(key, pending);
    }
    return pending;
  }

  #prunedReads = new Map<string, Promise<number>>();

  /** The database's newest id; may be ahead of `lastId` by events still on their way here. */
  async logTop(): Promise<number> {
    return (await logPosition({ db: this.db })).lastEventId;
  }

  // --- the ordered delivery pipeline -------------------------------------------------------

  #receive(events: LoggedEvent[]): void {
    this.#lastHeardAt = Date.now();
    this.#inbox.push(...events);
    void this.#pump();
  }

  /** Another node committed up to `id`: read the log that far (never trust the message itself). */
  #hint(id: number): void {
    this.#lastHeardAt = Date.now();
    if (id <= this.#lastId || id <= this.#hintedUpTo) return;
    this.#hintedUpTo = id;
    void this.#pump();
  }

  /** Single-flight: one pass at a time delivers in id order and repairs gaps from the log. */
  #pump(): Promise<void> {
    if (!this.#started) return Promise.resolve();
    if (this.#pumping) return this.#pumping;
    const pass: Promise<void> = this.#drain().then(
      () => this.#afterPass(pass, 0),
      (err: Error) => {
        logger().error(`pass: event delivery failed, retrying from the log: ${err.message}`);
        this.#resyncWanted = true;
        this.#afterPass(pass, 500);
      },
    );
    this.#pumping = pass;
    return pass;
  }

  /** Anything that arrived after the pass looked at the inbox gets its own pass. */
  #afterPass(pass: Promise<void>, retryMs: number): void {
    if (this.#pumping === pass) this.#pumping = null;
    if (this.#inbox.length === 0 && !this.#resyncWanted && this.#hintedUpTo <= this.#lastId) return;
    if (retryMs) setTimeout(() => void this.#pump(), retryMs).unref();
    else void this.#pump();
  }

  async #drain(): Promise<void> {
    while (this.#inbox.length > 0 || this.#resyncWanted || this.#hintedUpTo > this.#lastId) {
      if (this.#resyncWanted) {
        this.#resyncWanted = false;
        // Events whose writer committed but never ran its sequencer step (it died in between)
        // get their positions here (lib/events/log.ts).
        await sequencePending({ db: this.db });
        await this.#repairUpTo(Infinity);
      }
      if (this.#hintedUpTo > this.#lastId) {
        // Only what the log has: a forged or foreign id moves nothing.
        const upTo = this.#hintedUpTo;
        this.#hintedUpTo = 0;
        await this.#repairUpTo(upTo);
      }
      const batch = this.#inbox.splice(0).sort((a, b) => a.id - b.id);
      for (const event of batch) {
        if (event.id <= this.#lastId) continue; // already delivered (or repaired from the log)
        if (event.id > this.#lastId + 1) await this.#repairUpTo(event.id - 1);
        // Still above lastId: either the next one, or the log has a pruned hole below it.
        if (event.id > this.#lastId) await this.#deliver(event);
      }
    }
  }

  async #repairUpTo(upTo: number): Promise<void> {
    for (;;) {
      const limit = upTo === Infinity ? READ_PAGE : Math.min(READ_PAGE, upTo - this.#lastId);
      if (limit <= 0) return;
      const page = await readEvents({ db: this.db, afterId: this.#lastId, limit });
      for (const event of page) {
        this.stats.repaired++;
        await this.#deliver(event);
      }
      if (page.length < limit) return;
    }
  }

  async #deliver(event: LoggedEvent): Promise<void> {
    if (event.type === "auth.revoked") this.#revoke(event as LoggedEvent<RevocationPayload>);
    const entry: RecentEntry = { event, frames: new Map() };
    this.#recent.push(entry);
    if (this.#recent.length > this.#recentCapacity) this.#recent.splice(0, this.#recent.length - this.#recentCapacity);
    this.#lastId = event.id;
    this.stats.delivered++;
    for (const [channel, subscribers] of this.#subscribers) {
      if (subscribers.size === 0 || !CHANNEL_EVENT_TYPES[channel].includes(event.type)) continue;
      // Rendered once per channel; every subscriber gets the same bytes.
      const frame = await this.#frameOf(entry, channel);
      if (!frame) continue;
      let written = 0;
      for (const s of subscribers) {
        if (inScope(event, s.partnerId) && (!s.accepts || s.accepts(event))) {
          s.deliver(event.id, frame);
          written++;
        }
      }
      if (written) this.#deliveries.set(channel, (this.#deliveries.get(channel) ?? 0) + written);
    }
  }

  /** Streams and sockets opened with a credential that just stopped being valid end now, on every node. */
  #revoke(event: LoggedEvent<RevocationPayload>): void {
    const { credential: c, reason } = event.payload;
    for (const set of this.#subscribers.values()) {
      for (const s of [...set]) {
        const mine = s.credential;
        if (!mine || !s.revoke) continue;
        const hit =
          (c.sessionId !== undefined && mine.sessionId === c.sessionId) ||
          (c.tokenId !== undefined && mine.tokenId === c.tokenId) ||
          (c.userId !== undefined && mine.userId === c.userId);
        if (hit) s.revoke(reason);
      }
    }
  }

  async #frameOf(entry: RecentEntry, channel: StreamChannel): Promise<Buffer | null> {
    if (entry.frames.has(channel)) return entry.frames.get(channel)!;
    const frame = await this.#render(entry.event, channel);
    entry.frames.set(channel, frame);
    return frame;
  }

  /** Through the projection registry (lib/projections): the hub knows no wire shape. */
  async #render(event: LoggedEvent, channel: StreamChannel): Promise<Buffer | null> {
    const partner = await this.#partner(event.partnerId);
    const frame = renderFrame(channel, event, { partner, now: new Date() });
    if (frame === null) return null;
    this.stats.framesRendered++;
    return Buffer.from(frame);
  }

  /**
   * The partner's public face for rendering, cached; re-read after PARTNER_INFO_TTL_MS so a
   * changed name or currency (the back office) reaches the streams without a restart.
   */
  async #partner(id: string): Promise<PartnerInfo> {
    const known = this.#partners.get(id);
    if (known && Date.now() - this.#partnersLoadedAt < PARTNER_INFO_TTL_MS) return known;
    await this.#loadPartners();
    return this.#partners.get(id) ?? { id, slug: "", name: "", imageUrl: null };
  }

  #partnersLoadedAt = 0;

  async #loadPartners(): Promise<void> {
    const rows = await this.db.selectFrom("partners").select(["id", "slug", "name", "imageUrl", "currency", "locale"]).execute();
    for (const p of rows) this.#partners.set(p.id, p);
    this.#partnersLoadedAt = Date.now();
  }

  #broadcastKeepalive(): void {
    for (const set of this.#subscribers.values()) for (const s of set) s.keepalive(KEEPALIVE_BUF);
  }

  #every(ms: number, fn: () => void): void {
    const t = setInterval(fn, ms);
    t.unref();
    this.#timers.push(t);
  }
}

const inScope = (event: LoggedEvent, partnerId: string | null) => partnerId === null || event.partnerId === partnerId;

// --- the process-wide hub ----------------------------------------------------------------------

export function setHub(hub: Hub | undefined): void {
  processSlot().hub = hub;
}

export function getHub(): Hub | undefined {
  return processSlot().hub as Hub | undefined;
}
