import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  CHANNELS,
  PUBLIC_CHANNELS,
  STREAM_FORMATS,
  canReadChannel,
  clientAddress,
  resolvePartnerScope,
  resolvePrincipal,
  type Channel,
  type Credential,
  type PublicChannel,
  type StreamFormat,
} from "../auth";
import { AppError, ForbiddenError, NotFoundError, UnauthorizedError, ValidationError } from "../errors";
import { decodePathSegment, hasControlCharacters } from "../fields";
import type { StreamChannel } from "../projections";
import type { Hub } from "./hub";
import { limits } from "../limits";
import { join, type JoinControl } from "./join";
import { OPENING, SSE_HEADERS, readPosition } from "./sse";
import { SseStream, jitteredLife, nextStreamId } from "./stream";
import { NodeTransport, type StreamRequest, type StreamTransport } from "./transport";
import { proxyUpstream } from "./upstream";

/**
 * GET /api/events/{channel} and /events/{channel} (docs/contracts.md, "seeds/003"), on any
 * transport: admission (channel, credentials, permission, partner scope, resume position) or
 * one typed error; then upstream mode or the local hub through the one joiner (join.ts).
 * `?view=pass` serves the same channel in the shape Pass's own screens read (full orders).
 * `menu` is public: no credentials, one partner by `?partner=`, opens limited per address.
 */
export type SseOptions = {
  hub: Hub;
  keepaliveMs: number;
  /** Streams end after this long (± 10 %) and the client resumes by id. */
  maxLifeMs?: number;
  /** A stream whose unsent bytes pass this is closed: the client resumes by id. */
  maxQueueBytes?: number;
  /** Upstream mode: proxy a seeds/003 POS instead of serving the local hub. */
  upstream?: { url: string; token: string | null } | null;
  /** TRUST_PROXY: how many proxies' X-Forwarded-For entries to believe for per-address limits. */
  trustProxy?: number;
};

const CHANNEL_PATH = /^\/(?:api\/)?events\/([^/?#]*)\/?$/;

export function isSsePath(pathname: string): boolean {
  return CHANNEL_PATH.test(pathname);
}

/** Node's req/res (server.ts). */
export function handleSse(req: IncomingMessage, res: ServerResponse, options: SseOptions): Promise<void> {
  return serveChannel(new NodeTransport(req, res), options);
}

export async function serveChannel(transport: StreamTransport, options: SseOptions): Promise<void> {
  let admitted: Admitted;
  // Past the node's limit of streams opening at once: 503 + Retry-After before any work (admission.ts).
  let release = () => {};
  try {
    release = options.hub.admission.enter();
    admitted = await admit(transport.request, options.hub, options.trustProxy ?? 0);
  } catch (err) {
    release();
    transport.fail(err);
    return;
  }
  try {
    // The menu is this node's own, also in upstream mode.
    if (options.upstream && admitted.channel !== "menu") {
      release();
      await proxyUpstream({
        transport,
        channel: admitted.channel as Channel,
        lastEventId: typeof admitted.position.from === "number" ? admitted.position.from : null,
        upstream: options.upstream,
        keepaliveMs: options.keepaliveMs,
      });
      return;
    }
    await serveStream(transport, options, admitted);
  } catch (err) {
    transport.fail(err);
  } finally {
    // Admitted once joined: the replay is sent and the stream is live (or it failed).
    release();
  }
}

type Admitted = {
  channel: Channel | PublicChannel;
  view: "pass" | null;
  format: StreamFormat;
  partnerId: string | null;
  /** undefined on a public channel: nothing to revoke. */
  credential: Credential | undefined;
  /** Whose replay budget pays. */
  budgetKey: string | null;
  position: ReturnType<typeof readPosition>;
  epoch: string | null;
};

/** Channel, credentials, permission, partner scope and resume position — or a typed error. */
async function admit(request: StreamRequest, hub: Hub, trustProxy: number): Promise<Admitted> {
  if (request.method !== "GET" && request.method !== "HEAD") throw new AppError(405, "METHOD_NOT_ALLOWED", "use GET");
  const { url } = request;
  const name = decodePathSegment(CHANNEL_PATH.exec(url.pathname)?.[1] ?? "");
  if ((PUBLIC_CHANNELS as readonly string[]).includes(name)) return admitPublic(request, hub, name as PublicChannel, trustProxy);
  if (!(CHANNELS as readonly string[]).includes(name)) {
    const known = [...CHANNELS, ...PUBLIC_CHANNELS].join(", ");
    throw new ValidationError("channel", `unknown channel '${name}' (one of ${known})`);
  }
  const channel = name as Channel;
  const resolved = await resolvePrincipal({
    db: hub.db,
    cookieHeader: request.header("cookie"),
    authorization: request.header("authorization"),
  });
  if (!resolved) throw new UnauthorizedError();
  const { principal, credential } = resolved;
  // A device opens a stream now and then; hundreds a minute on one token is a loop or an attack.
  if (principal.kind === "token") await limits().consume("streams:token", principal.tokenId);
  if (!canReadChannel(principal, channel)) throw new ForbiddenError(`no access to the ${channel} channel`);

  const partnerSlug = url.searchParams.get("partner");
  if (partnerSlug !== null && (partnerSlug.length > 64 || hasControlCharacters(partnerSlug))) {
    throw new ValidationError("partner", "must be a partner slug (at most 64 characters, no control characters)");
  }
  const partnerId = await resolvePartnerScope({ db: hub.db, principal, partnerSlug });

  const view = url.searchParams.get("view");
  if (view !== null && view !== "pass") throw new ValidationError("view", "must be 'pass' (Pass's own screens) or absent");
  // Unnamed data frames for onmessage clients: `?format=message`, or the token's own setting.
  const formatParam = url.searchParams.get("format");
  if (formatParam !== null && !(STREAM_FORMATS as readonly string[]).includes(formatParam)) {
    throw new ValidationError("format", `must be one of ${STREAM_FORMATS.join(", ")}`);
  }
  const format = (formatParam as StreamFormat | null) ?? (principal.kind === "token" ? principal.streamFormat : undefined) ?? "named";

  const position = readPosition(request.header("last-event-id"), url.searchParams.get("lastEventId"));
  return {
    channel,
    view,
    format,
    partnerId,
    position,
    credential,
    budgetKey: budgetKeyOf(credential),
    epoch: url.searchParams.get("epoch"),
  };
}

/**
 * A public channel (`menu`): anyone, signed in or not, for one partner named by `?partner=`
 * (required; an unknown slug is a 404). Opens are counted per client address, as a dining room
 * of guests' phones shares one; replays are budgeted per address too.
 */
async function admitPublic(request: StreamRequest, hub: Hub, channel: PublicChannel, trustProxy: number): Promise<Admitted> {
  const { url } = request;
  const address = clientAddress({ remoteAddress: request.remoteAddress, forwardedFor: request.header("x-forwarded-for"), trustProxy });
  await limits().consume("streams:anonymous", address);
  const slug = url.searchParams.get("partner");
  if (slug === null || slug === "") throw new ValidationError("partner", `the ${channel} channel is one partner's: pass ?partner=SLUG`);
  if (slug.length > 64 || hasControlCharacters(slug)) {
    throw new ValidationError("partner", "must be a partner slug (at most 64 characters, no control characters)");
  }
  if (!canReadChannel(null, channel)) throw new ForbiddenError(`no access to the ${channel} channel`);
  const partner = await hub.db.selectFrom("partners").select("id").where("slug", "=", slug).executeTakeFirst();
  if (!partner) throw new NotFoundError("partner", { field: "partner" });
  const position = readPosition(request.header("last-event-id"), url.searchParams.get("lastEventId"));
  return {
    channel,
    view: null,
    format: "named",
    partnerId: partner.id,
    position,
    credential: undefined,
    budgetKey: `address:${address}`,
    epoch: url.searchParams.get("epoch"),
  };
}

async function serveStream(
  transport: StreamTransport,
  options: SseOptions,
  { channel, view, format, partnerId, position, credential, budgetKey, epoch }: Admitted,
) {
  const { hub } = options;
  const streamChannel: StreamChannel =
    channel === "menu" ? channel : view === "pass" ? `pass:${channel}` : format === "message" ? `msg:${channel}` : channel;
  const sink = transport.open(SSE_HEADERS);
  const stream = new SseStream(sink, hub, {
    channel: streamChannel,
    partnerId,
    credential,
    maxQueueBytes: options.maxQueueBytes ?? 512 * 1024,
  });
  transport.onClose(() => stream.close());
  stream.write(OPENING);
  if (transport.request.method === "HEAD") return stream.close();

  const streamId = nextStreamId();
  hub.subscribe(stream);
  await join({
    hub,
    target: stream,
    partnerId,
    from: position.from,
    requested: position.raw,
    budgetKey,
    epochChanged: epoch !== null && epoch !== hub.epoch,
    control: sseControl(
      stream,
      (top, extra) => ({
        streamId,
        channel,
        timestamp: new Date().toISOString(),
        epoch: hub.epoch,
        lastEventId: top,
        ...extra,
      }),
      { retry: hub.admission.retry(1000) },
    ),
    replay: (afterId, uptoId) => hub.replay({ channel: streamChannel, partnerId, afterId, uptoId }),
  });
  if (!stream.closed) stream.startLife(jitteredLife(options.maxLifeMs ?? 10 * 60_000));
}

/** The SSE side of join.ts's control frames, shared by the channels and /v1/orders/live. */
export function sseControl(
  stream: SseStream,
  connectedData: (top: number, extra: Record<string, unknown>) => Record<string, unknown>,
  { retry }: { retry?: number } = {},
): JoinControl {
  // Every control frame carries the stream's position as its id (join.ts sets it first).
  return {
    connected(top, extra) {
      stream.writeControl("connected", connectedData(top, extra ?? {}), { retry });
    },
    replayStart(count, from) {
      stream.writeControl("replay-start", { missedEvents: count, replayingFrom: String(from) });
    },
    replayComplete(replayed) {
      stream.writeControl("replay-complete", { replayedEvents: replayed, resumingLiveStream: true });
    },
    replayFailed({ reason, oldestAvailable, requestedId }) {
      stream.writeControl("replay-failed", { reason, oldestAvailable: String(oldestAvailable), requestedId: String(requestedId) });
    },
  };
}

/** One replay budget per credential's owner: a user's sessions share it, a device token has its own. */
export function budgetKeyOf(credential: Credential | undefined): string | null {
  if (!credential) return null;
  if (credential.userId) return `user:${credential.userId}`;
  if (credential.tokenId) return `token:${credential.tokenId}`;
  return null;
}
