import "server-only";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import {
  NO_PROXY,
  canReadChannel,
  canSubscribeTopic,
  clientAddress,
  isAllowedOrigin,
  partnerScope,
  requestHost,
  resolvePrincipal,
  type Credential,
  type Principal,
  type ProxySettings,
} from "../auth";
import { AppError, ERROR_HEADERS, ForbiddenError, errorBody, errorHeaders } from "../errors";
import { INT4_MAX } from "../fields";
import { recordCourierLocation, recordCourierPosition } from "../orders/couriers";
import { WS_TOPICS, type WsTopic } from "../projections";
import type { Hub, Subscriber } from "./hub";
import { limits } from "../limits";
import { budgetKeyOf } from "./handler";
import { join, type JoinTarget } from "./join";
import { metrics } from "../metrics";

/**
 * WebSocket /ws (docs/contracts.md, "seeds/001"), served by the Node process that hosts Next.
 * Before the handshake: the per-IP limits, the `Origin` check (a browser page of another site is
 * refused 403) and the credentials — a bad `Authorization: Bearer` is refused 401; a missing or
 * stale session cookie is accepted and closed with 1008 (a browser cannot read an upgrade's
 * status). Then `connected`, subscribe / unsubscribe to topics, ping / pong (the message, and
 * protocol pings that drop a peer gone silent), an `error` message for anything invalid. A `subscribe`
 * may carry an `offset` (the last `id` seen) and the `epoch` it belongs to: each topic joins
 * through the same joiner as the SSE streams (join.ts), so a position that cannot be replayed
 * answers `replay-failed` before `subscribed`, exactly as SSE answers it.
 */
const MAX_MESSAGE_BYTES = 4 * 1024;
const MAX_BUFFERED_BYTES = 512 * 1024;
const REPLAY_HIGH_WATER = 64 * 1024;
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Protocol ping interval: a peer that has not answered the previous ping by the next one is terminated. */
export const WS_PING_MS = 30_000;

export type WsLimits = { perIp: number; attemptsPerMinute: number };

export function isWsPath(pathname: string): boolean {
  return pathname === "/ws";
}

/** An upgrade refused before the handshake: a plain HTTP answer through the one error renderer. */
function refuseUpgrade(socket: Duplex, err: unknown): void {
  const { status, body } = errorBody(err);
  const text = JSON.stringify(body);
  const reason = status === 429 ? "Too Many Requests" : status === 401 ? "Unauthorized" : status === 403 ? "Forbidden" : "Error";
  const headers = Object.entries({
    ...ERROR_HEADERS,
    ...errorHeaders(err),
    "content-length": String(Buffer.byteLength(text)),
    connection: "close",
  })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join("");
  socket.end(`HTTP/1.1 ${status} ${reason}\r\n${headers}\r\n${text}`);
}

/**
 * Who may use /ws: any user session; a device token that reads the full order data — the
 * `partner` or `cashier` channel (integrations, operator devices), and a courier's phone (its
 * position only). Screens'
 * tokens (kitchen, display, printer) stay on their SSE channels.
 */
function mayUseWs(principal: Principal): boolean {
  return (
    principal.kind === "user" ||
    canReadChannel(principal, "partner") ||
    canReadChannel(principal, "cashier") ||
    // A courier's phone (lib/orders/couriers.ts) sends its position; it may subscribe to no topic.
    principal.role === "courier"
  );
}

const header = (req: IncomingMessage, name: string): string | null => {
  const v = req.headers[name];
  return (Array.isArray(v) ? v[0] : v) ?? null;
};

export function createWsServer({
  hub,
  limits = { perIp: 20, attemptsPerMinute: 120 },
  pingMs = WS_PING_MS,
  proxy = NO_PROXY,
}: {
  hub: Hub;
  limits?: WsLimits;
  /** Protocol ping interval (tests shorten it). */
  pingMs?: number;
  /** PUBLIC_URL, TRUST_PROXY, ALLOWED_ORIGINS: the Origin check and the address per-IP limits count. */
  proxy?: ProxySettings;
}) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const open = new Map<string, number>();
  const attempts = new Map<string, number[]>();
  /** Sockets that answered (pong) since the last ping. */
  const alive = new WeakSet<WebSocket>();

  const release = (ip: string) => {
    const n = (open.get(ip) ?? 1) - 1;
    if (n <= 0) open.delete(ip);
    else open.set(ip, n);
  };

  async function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const ip = clientAddress({
      remoteAddress: req.socket.remoteAddress,
      forwardedFor: req.headers["x-forwarded-for"],
      trustProxy: proxy.trustProxy,
    });
    const now = Date.now();
    const recent = (attempts.get(ip) ?? []).filter((t) => now - t < 60_000);
    recent.push(now);
    attempts.set(ip, recent);
    if ((open.get(ip) ?? 0) >= limits.perIp || recent.length > limits.attemptsPerMinute) {
      refuseUpgrade(socket, new AppError(429, "RATE_LIMITED", "too many WebSocket connections"));
      return;
    }
    // The slot is held from here, so upgrades still authenticating count against the limit.
    open.set(ip, (open.get(ip) ?? 0) + 1);
    let principal: Principal | null;
    let credential: Credential | undefined;
    try {
      // A browser always sends Origin on an upgrade; a page of another site must not ride the cookie.
      // Clients without one (a courier app, an integration) are not browsers: they authenticate by bearer.
      const origin = header(req, "origin");
      const host = requestHost({ host: req.headers.host, forwardedHost: req.headers["x-forwarded-host"], trustProxy: proxy.trustProxy });
      if (origin !== null && !isAllowedOrigin({ origin, host, settings: proxy })) {
        throw new ForbiddenError("cross-origin WebSocket refused: the page's Origin is not this site (PUBLIC_URL, ALLOWED_ORIGINS)");
      }
      // A bad bearer is refused here (401); a missing or stale cookie is not: it closes with 1008 after the handshake.
      const resolved = await resolvePrincipal({
        db: hub.db,
        cookieHeader: req.headers.cookie,
        authorization: header(req, "authorization"),
      });
      principal = resolved?.principal ?? null;
      credential = resolved?.credential;
      if (principal && !mayUseWs(principal))
        throw new ForbiddenError("this token may not use /ws: it needs the partner or cashier channel");
    } catch (err) {
      release(ip);
      refuseUpgrade(socket, err);
      return;
    }
    if (socket.destroyed) {
      release(ip);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.once("close", () => release(ip));
      alive.add(ws);
      ws.on("pong", () => alive.add(ws));
      accept({ ws, hub, principal, credential });
    });
  }

  // One timer for every socket: ping; a socket that did not answer the previous ping is gone
  // (a tablet that lost Wi-Fi, a NAT that forgot the flow) and is terminated, freeing its slot.
  const pinger = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, pingMs);
  pinger.unref();

  return {
    handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
      handleUpgrade(req, socket, head).catch(() => socket.destroy());
    },
    close() {
      clearInterval(pinger);
      for (const client of wss.clients) client.close(1001, "server shutting down");
      wss.close();
    },
  };
}

/**
 * The upgraded socket. `userId` in `connected` is the user's id for a session and the token's id
 * for a device token (docs/contracts.md#seeds-001).
 */
function accept({
  ws,
  hub,
  principal,
  credential,
}: {
  ws: WebSocket;
  hub: Hub;
  principal: Principal | null;
  credential?: Credential;
}): void {
  ws.on("error", () => ws.terminate());
  if (!principal) {
    ws.close(1008, "authentication required");
    return;
  }
  const connection = new WsConnection(ws, hub, principal, credential);
  hub.subscribe(connection);
  ws.on("close", () => {
    hub.unsubscribe(connection);
    connection.dispose();
  });
  connection.send({
    type: "connected",
    message: "WebSocket connection established",
    userId: principal.kind === "user" ? principal.userId : principal.tokenId,
  });
  // The credentials were checked before the handshake: every message finds the connection ready.
  // One message at a time per connection, in order: a replay (subscribe with an offset) is
  // finished before the next message starts one, so a client cannot run replays in parallel.
  let chain: Promise<void> = Promise.resolve();
  ws.on("message", (raw, isBinary) => {
    const text = raw.toString();
    chain = chain.then(() => connection.onMessage(text, isBinary)).catch(() => ws.terminate());
  });
}

class WsConnection implements Subscriber {
  readonly channel = "ws" as const;
  readonly partnerId: string | null;
  #topics = new Map<WsTopic, TopicStream>();

  #expiry: NodeJS.Timeout | undefined;

  constructor(
    private readonly ws: WebSocket,
    private readonly hub: Hub,
    private readonly principal: Principal,
    /** Its revocation (an `auth.revoked` event) or expiry closes the socket. */
    readonly credential?: Credential,
  ) {
    this.partnerId = partnerScope(principal);
    if (credential?.expiresAt) {
      // setTimeout holds at most ~24.8 days; a longer credential is checked again then.
      const arm = () => {
        const left = Date.parse(credential.expiresAt!) - Date.now();
        this.#expiry = setTimeout(
          () => (left > MAX_TIMER_MS ? arm() : this.ws.close(1008, "credentials expired")),
          Math.min(Math.max(0, left), MAX_TIMER_MS),
        );
        this.#expiry.unref();
      };
      arm();
    }
  }

  revoke(): void {
    this.ws.close(1008, "credentials revoked");
  }

  dispose(): void {
    clearTimeout(this.#expiry);
  }

  send(message: unknown): void {
    this.sendText(JSON.stringify(message));
  }

  sendText(text: string): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    // A client that does not read is dropped; it reconnects and resumes with an offset.
    if (this.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      metrics()?.slowConsumer("ws");
      this.ws.terminate();
      return;
    }
    this.ws.send(text);
  }

  get closed(): boolean {
    return this.ws.readyState !== this.ws.OPEN;
  }

  /** Resolves when the socket has sent what a replay wrote (or closed): replays are paced, not queued. */
  async drained(): Promise<void> {
    while (!this.closed && this.ws.bufferedAmount > REPLAY_HIGH_WATER) await new Promise((r) => setTimeout(r, 5));
  }

  deliver(id: number, frame: Buffer): void {
    if (this.#topics.size === 0) return;
    const byTopic = new Map<TopicStream, string[]>();
    for (const line of frame.toString().split("\n")) {
      const tab = line.indexOf("\t");
      const topic = this.#topics.get(line.slice(0, tab) as WsTopic);
      if (!topic) continue;
      const lines = byTopic.get(topic);
      if (lines) lines.push(line.slice(tab + 1));
      else byTopic.set(topic, [line.slice(tab + 1)]);
    }
    for (const [topic, lines] of byTopic) topic.deliver(id, lines);
  }

  keepalive(): void {
    // WebSocket keeps itself alive (ping / pong); nothing to send.
  }

  shutdown(): void {
    this.ws.close(1001, "server maintenance");
  }

  async onMessage(raw: string, isBinary: boolean): Promise<void> {
    let message: { type?: unknown; channel?: unknown; offset?: unknown };
    try {
      if (isBinary) throw new Error("binary");
      message = JSON.parse(raw) as typeof message;
      if (typeof message !== "object" || message === null || Array.isArray(message)) throw new Error("not an object");
    } catch {
      return this.send({ type: "error", message: "Invalid message: expected a JSON object" });
    }
    switch (message.type) {
      case "ping":
        return this.send({ type: "pong" });
      case "location":
        return this.#location(message as { orderId?: unknown; lat?: unknown; lng?: unknown });
      case "subscribe":
      case "unsubscribe": {
        const topic = message.channel;
        if (typeof topic !== "string" || !(WS_TOPICS as readonly string[]).includes(topic)) {
          return this.send({ type: "error", message: `Unknown channel: use one of ${WS_TOPICS.join(", ")}` });
        }
        if (message.type === "subscribe" && !canSubscribeTopic(this.principal, topic)) {
          return this.send({ type: "error", message: `Not allowed: ${topic} is not for this role`, code: "FORBIDDEN" });
        }
        if (message.type === "unsubscribe") {
          this.#topics.delete(topic as WsTopic);
          return this.send({ type: "unsubscribed", channel: topic });
        }
        const offset = message.offset;
        if (offset !== undefined && (typeof offset !== "number" || !Number.isInteger(offset) || offset < 0)) {
          return this.send({ type: "error", message: "offset must be the last event id received (a non-negative integer)" });
        }
        const epoch = (message as { epoch?: unknown }).epoch;
        if (epoch !== undefined && typeof epoch !== "string") {
          return this.send({ type: "error", message: "epoch must be the log epoch the offset belongs to (a string)" });
        }
        return this.#subscribe(topic as WsTopic, offset, epoch);
      }
      default:
        return this.send({ type: "error", message: `Unknown message type: ${String(message.type)}` });
    }
  }

  /** docs/contracts.md#seeds-004: a courier's app reports where the delivery is. */
  async #location({ orderId, lat, lng }: { orderId?: unknown; lat?: unknown; lng?: unknown }): Promise<void> {
    // A courier's phone between deliveries: where they are, for rider:auto_assign (no order, not logged).
    if (orderId === undefined && this.principal.kind === "token" && this.principal.role === "courier") {
      if (typeof lat !== "number" || typeof lng !== "number")
        return this.send({ type: "error", message: "location needs numeric lat and lng" });
      try {
        await limits().consume("location", `token:${this.principal.tokenId}`);
        await recordCourierPosition({ db: this.hub.db, principal: this.principal, lat, lng });
        return this.send({ type: "location-recorded", orderId: null });
      } catch (err) {
        const { body } = errorBody(err);
        return this.send({ type: "error", message: body.error.message, code: body.error.code });
      }
    }
    if (typeof orderId !== "number" || typeof lat !== "number" || typeof lng !== "number") {
      return this.send({ type: "error", message: "location needs numeric orderId, lat and lng" });
    }
    // An id past the `integer` column is no order (PostgreSQL would refuse the query).
    if (!Number.isInteger(orderId) || orderId < 1 || orderId > INT4_MAX) {
      return this.send({ type: "error", message: `orderId: must be an order id (1 to ${INT4_MAX})`, code: "VALIDATION_FAILED" });
    }
    try {
      // Every report is a logged event kept 24 h: one courier app sends one every few seconds, not thousands.
      await limits().consume(
        "location",
        this.principal.kind === "user" ? `user:${this.principal.userId}` : `token:${this.principal.tokenId}`,
      );
      await recordCourierLocation({ db: this.hub.db, principal: this.principal, id: orderId, lat, lng });
      this.send({ type: "location-recorded", orderId });
    } catch (err) {
      const { body } = errorBody(err);
      this.send({ type: "error", message: body.error.message, code: body.error.code });
    }
  }

  /**
   * Live first (queued), then the replay from the offset, then the queue: no gap, no duplicate.
   * Same plan as every SSE stream (join.ts); a failure says so before `subscribed`.
   */
  async #subscribe(topic: WsTopic, offset: number | undefined, epoch: string | undefined): Promise<void> {
    const existing = this.#topics.get(topic);
    if (existing) return this.send({ type: "subscribed", channel: topic, lastEventId: existing.lastSentId, epoch: this.hub.epoch });
    const stream = new TopicStream(this, topic);
    this.#topics.set(topic, stream);
    await join({
      hub: this.hub,
      target: stream,
      partnerId: this.partnerId,
      from: offset ?? null,
      budgetKey: budgetKeyOf(this.credential) ?? (this.principal.kind === "user" ? `user:${this.principal.userId}` : null),
      epochChanged: epoch !== undefined && epoch !== this.hub.epoch,
      control: {
        connected: () => undefined,
        replayFailed: ({ reason, oldestAvailable }) => this.send({ type: "replay-failed", channel: topic, reason, oldestAvailable }),
      },
      replay: (afterId, uptoId) => this.hub.replay({ channel: "ws", partnerId: this.partnerId, afterId, uptoId }),
    });
    this.send({ type: "subscribed", channel: topic, lastEventId: stream.lastSentId, epoch: this.hub.epoch });
  }
}

/** One topic of a connection, as join.ts sees it: queues live lines until the replay is done. */
class TopicStream implements JoinTarget {
  lastSentId = 0;
  #joining: { id: number; lines: string[] }[] | null = [];

  constructor(
    private readonly connection: WsConnection,
    private readonly topic: WsTopic,
  ) {}

  get closed(): boolean {
    return this.connection.closed;
  }

  /** The lines of one live event that concern this topic. */
  deliver(id: number, lines: string[]): void {
    if (this.#joining) this.#joining.push({ id, lines });
    else this.#send(id, lines);
  }

  /** A replayed frame (all topics' lines of one event): this topic's lines only, paced by the client. */
  async writeReplayed(id: number, frame: Buffer): Promise<void> {
    const prefix = `${this.topic}\t`;
    const lines = frame
      .toString()
      .split("\n")
      .filter((line) => line.startsWith(prefix))
      .map((line) => line.slice(prefix.length));
    this.#send(id, lines);
    await this.connection.drained();
  }

  goLive(): void {
    const queued = this.#joining ?? [];
    this.#joining = null;
    for (const { id, lines } of queued) this.#send(id, lines);
  }

  #send(id: number, lines: string[]): void {
    if (id <= this.lastSentId) return;
    this.lastSentId = id;
    for (const text of lines) this.connection.sendText(text);
  }
}
