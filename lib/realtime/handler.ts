import "server-only";
import crypto from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { CHANNELS, canReadChannel, resolvePartnerScope, resolvePrincipal, type Channel, type Principal } from "../auth";
import { AppError, ForbiddenError, UnauthorizedError, ValidationError } from "../errors";
import type { Hub, Subscriber } from "./hub";
import type { StreamChannel } from "./channels";
import type { LoggedEvent } from "../events/log";
import { OPENING, SSE_HEADERS, formatFrame, parseLastEventId } from "./sse";
import { proxyUpstream } from "./upstream";

/**
 * GET /api/events/{channel} and /events/{channel} on Node's own req/res (SPEC §4).
 *
 * Join order, for no gap and no duplicate: subscribe first (live frames wait in a queue), note
 * the hub's newest id, replay the log up to it, then flush the queued frames above it. Every
 * frame carries its log id, and a stream never writes an id at or below the last one it wrote.
 */
export type SseOptions = {
  hub: Hub;
  keepaliveMs: number;
  /** Streams end after this long (± 10 %) and the client resumes by id. */
  maxLifeMs?: number;
  /** A stream whose unsent bytes pass this is closed: the client resumes by id. */
  maxQueueBytes?: number;
  /** Upstream mode (SPEC §4): proxy a seeds/003 POS instead of serving the local hub. */
  upstream?: { url: string; token: string | null } | null;
};

const CHANNEL_PATH = /^\/(?:api\/)?events\/([^/?#]*)\/?$/;

export function isSsePath(pathname: string): boolean {
  return CHANNEL_PATH.test(pathname);
}

export async function handleSse(req: IncomingMessage, res: ServerResponse, options: SseOptions): Promise<void> {
  try {
    const request = await admit(req, options.hub);
    if (options.upstream) {
      await proxyUpstream({
        req,
        res,
        channel: request.channel,
        lastEventId: request.lastEventId,
        upstream: options.upstream,
        keepaliveMs: options.keepaliveMs,
      });
      return;
    }
    await serveStream({ req, res, options, ...request });
  } catch (err) {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const status = err instanceof AppError ? err.status : 500;
    if (!(err instanceof AppError)) console.error("pass: stream failed", err);
    const body =
      err instanceof AppError
        ? { error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } }
        : { error: { code: "INTERNAL", message: "internal error" } };
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
    res.end(JSON.stringify(body));
  }
}

type Admitted = { channel: Channel; principal: Principal; partnerId: string | null; lastEventId: number | null; epoch: string | null };

/** Channel, credentials, permission, partner scope and resume position — or a typed error. */
async function admit(req: IncomingMessage, hub: Hub): Promise<Admitted> {
  if (req.method !== "GET" && req.method !== "HEAD") throw new AppError(405, "METHOD_NOT_ALLOWED", "use GET");
  const url = new URL(req.url ?? "/", "http://localhost");
  const name = decodeURIComponent(CHANNEL_PATH.exec(url.pathname)?.[1] ?? "");
  if (!(CHANNELS as readonly string[]).includes(name)) {
    throw new ValidationError("channel", `unknown channel '${name}' (one of ${CHANNELS.join(", ")})`);
  }
  const channel = name as Channel;
  const resolved = await resolvePrincipal({
    db: hub.db,
    cookieHeader: req.headers.cookie,
    authorization: req.headers.authorization,
  });
  if (!resolved) throw new UnauthorizedError();
  const { principal } = resolved;
  if (!canReadChannel(principal, channel)) throw new ForbiddenError(`no access to the ${channel} channel`);

  const partnerId = await resolvePartnerScope({ db: hub.db, principal, partnerSlug: url.searchParams.get("partner") });

  const header = req.headers["last-event-id"];
  const raw = (Array.isArray(header) ? header[0] : header) ?? url.searchParams.get("lastEventId");
  const parsed = parseLastEventId(raw);
  if (!parsed.ok) throw new ValidationError("lastEventId", "must be a log event id (a non-negative integer)");
  return { channel, principal, partnerId, lastEventId: parsed.id, epoch: url.searchParams.get("epoch") };
}

/** One live stream: the Subscriber the hub writes to, with its queue limit and one cleanup. */
export class SseStream implements Subscriber {
  readonly channel: StreamChannel;
  readonly partnerId: string | null;
  readonly accepts?: (event: LoggedEvent) => boolean;
  lastSentId = 0;
  #joining: { id: number; frame: Buffer }[] | null = [];
  #closed = false;
  #lifeTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly res: ServerResponse,
    private readonly hub: Hub,
    init: { channel: StreamChannel; partnerId: string | null; maxQueueBytes: number; accepts?: (event: LoggedEvent) => boolean },
    private readonly maxQueueBytes = init.maxQueueBytes,
  ) {
    this.channel = init.channel;
    this.partnerId = init.partnerId;
    this.accepts = init.accepts;
  }

  get closed(): boolean {
    return this.#closed;
  }

  deliver(id: number, frame: Buffer): void {
    if (this.#joining) this.#joining.push({ id, frame });
    else this.writeEvent(id, frame);
  }

  /** Writes a log event unless this stream already sent it (or a later one). */
  writeEvent(id: number, frame: Buffer): void {
    if (id <= this.lastSentId) return;
    this.lastSentId = id;
    this.write(frame);
  }

  /** Ends the join phase: queued live frames above the replayed position go out in order. */
  goLive(): void {
    const queued = this.#joining ?? [];
    this.#joining = null;
    for (const { id, frame } of queued) this.writeEvent(id, frame);
  }

  keepalive(frame: Buffer): void {
    if (!this.#joining) this.write(frame);
  }

  shutdown(frame: Buffer): void {
    this.write(frame);
    this.close();
  }

  write(chunk: Buffer | string): void {
    if (this.#closed) return;
    try {
      this.res.write(chunk);
    } catch {
      this.close();
      return;
    }
    // Bytes the client has not taken yet: past the bound, drop the stream; it resumes by id.
    if (this.res.writableLength > this.maxQueueBytes) this.close(true);
  }

  startLife(ms: number): void {
    this.#lifeTimer = setTimeout(() => {
      this.write(formatFrame({ event: "disconnecting", data: JSON.stringify({ reason: "MAX_STREAM_LIFE", reconnectAfter: 0 }) }));
      this.close();
    }, ms);
    this.#lifeTimer.unref();
  }

  /** The one cleanup, safe to call from every path (client gone, write error, slow, life, shutdown). */
  close(abort = false): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#lifeTimer);
    this.hub.unsubscribe(this);
    this.#joining = null;
    if (abort) this.res.destroy();
    else this.res.end();
  }
}

async function serveStream({
  req,
  res,
  options,
  channel,
  partnerId,
  lastEventId,
  epoch,
}: Admitted & { req: IncomingMessage; res: ServerResponse; options: SseOptions }): Promise<void> {
  const { hub } = options;
  const stream = new SseStream(res, hub, { channel, partnerId, maxQueueBytes: options.maxQueueBytes ?? 512 * 1024 });
  const cleanup = () => stream.close();
  req.on("close", cleanup);
  res.on("close", cleanup);
  res.on("error", cleanup);

  req.socket.setNoDelay(true);
  req.socket.setKeepAlive(true, 30_000);
  res.writeHead(200, SSE_HEADERS);
  res.write(OPENING);
  if (req.method === "HEAD") return stream.close();

  const streamId = `live-${crypto.randomBytes(6).toString("hex")}`;
  await joinLive({
    hub,
    stream,
    partnerId,
    from: lastEventId,
    epochChanged: epoch !== null && epoch !== hub.epoch,
    connected: (top, extra) =>
      formatFrame({
        event: "connected",
        data: JSON.stringify({ streamId, channel, timestamp: new Date().toISOString(), epoch: hub.epoch, lastEventId: top, ...extra }),
        retry: 1000,
      }),
    replay: (afterId, uptoId) => hub.replay({ channel, partnerId, afterId, uptoId }),
    maxLifeMs: options.maxLifeMs ?? 10 * 60_000,
  });
}

/**
 * The join order every stream follows (no gap, no duplicate): subscribe (live frames wait in
 * the stream's queue), note the hub's top, say `connected`, replay (from, top] bracketed by
 * `replay-start` / `replay-complete` — or `replay-failed` when that range cannot be replayed —
 * then flush the queue and go live until the stream's maximum life.
 */
export async function joinLive({
  hub,
  stream,
  partnerId,
  from,
  epochChanged = false,
  connected,
  replay,
  maxLifeMs,
}: {
  hub: Hub;
  stream: SseStream;
  partnerId: string | null;
  /** Where the client is (Last-Event-ID, or the start of a time-based replay); null = from now. */
  from: number | null;
  /** The client's id belongs to another log. */
  epochChanged?: boolean;
  connected(top: number, extra?: Record<string, unknown>): string;
  replay(afterId: number, uptoId: number): Promise<{ count: number; frames: AsyncIterable<{ id: number; frame: Buffer }> }>;
  maxLifeMs: number;
}): Promise<void> {
  hub.subscribe(stream);
  const top = hub.lastId;
  stream.lastSentId = top;
  const failed = async (reason: string) => {
    const oldestAvailable = String((await hub.prunedThrough(partnerId)) + 1);
    stream.write(formatFrame({ event: "replay-failed", data: JSON.stringify({ reason, oldestAvailable, requestedId: String(from) }) }));
    stream.write(connected(top, { replayUnavailable: true }));
  };

  if (from === null) {
    stream.write(connected(top));
  } else if (epochChanged) {
    // The log was reset since the client's id was issued: its ids mean nothing now.
    await failed("EPOCH_CHANGED");
  } else if (from > top) {
    // Ahead of this node: either another node already delivered it (we skip up to it), or the
    // id was never issued (a reset log), which the database tells.
    if (from <= (await hub.logTop())) {
      stream.lastSentId = from;
      stream.write(connected(top));
    } else {
      await failed("EVENT_ID_UNKNOWN");
    }
  } else if (from < (await hub.prunedThrough(partnerId))) {
    await failed("EVENT_ID_EXPIRED");
  } else {
    stream.write(connected(top));
    const { count, frames } = await replay(from, top);
    stream.write(
      formatFrame({ id: from, event: "replay-start", data: JSON.stringify({ missedEvents: count, replayingFrom: String(from) }) }),
    );
    stream.lastSentId = from;
    let replayed = 0;
    for await (const { id, frame } of frames) {
      if (stream.closed) return;
      stream.writeEvent(id, frame);
      replayed++;
    }
    stream.lastSentId = Math.max(stream.lastSentId, top);
    stream.write(
      formatFrame({ id: top, event: "replay-complete", data: JSON.stringify({ replayedEvents: replayed, resumingLiveStream: true }) }),
    );
  }
  if (stream.closed) return;
  stream.goLive();
  stream.startLife(maxLifeMs * (0.9 + Math.random() * 0.2));
}
