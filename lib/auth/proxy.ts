import net from "node:net";

/**
 * What the node may believe of a request that came through proxies (README "Behind a proxy").
 * The same settings drive the CSRF check (lib/http), the /ws upgrade (Origin, per-IP limits)
 * and the cookie's `Secure`; they are a subset of Config, so `config` itself can be passed.
 */
export type ProxySettings = {
  /** The origin browsers use (`https://pass.example.com`), or null = the request's own host. */
  publicUrl: string | null;
  /** Proxies in front of the node that are trusted; 0 = none, the X-Forwarded-* headers are ignored. */
  trustProxy: number;
  /** Further origins whose pages may use the session (normalized: scheme://host[:port]). */
  allowedOrigins: readonly string[];
};

/** Internal: the address server.ts determined for a request it hands to Next (lib/http clientAddressOf). */
export const CLIENT_ADDRESS_HEADER = "x-pass-client-address";
/** With it, the per-process secret proving server.ts wrote the address (lib/process.ts clientAddressProof). */
export const CLIENT_ADDRESS_PROOF_HEADER = "x-pass-client-proof";

export const NO_PROXY: ProxySettings = { publicUrl: null, trustProxy: 0, allowedOrigins: [] };

type HeaderValue = string | string[] | null | undefined;
const first = (v: HeaderValue) => (Array.isArray(v) ? v.join(",") : v) ?? null;

/**
 * The client's address for per-IP limits. Without a trusted proxy: the socket's peer. With
 * `trustProxy` = N: the N-th `X-Forwarded-For` entry from the right — each proxy appends the
 * address it was connected from, so the rightmost N entries were written by our N proxies and
 * everything further left is whatever the client sent (spoofable, never used). A header with
 * fewer entries than that gives its leftmost; a missing or malformed one, the socket's peer.
 */
export function clientAddress({
  remoteAddress,
  forwardedFor,
  trustProxy,
}: {
  remoteAddress: string | null | undefined;
  forwardedFor: HeaderValue;
  trustProxy: number;
}): string {
  const socket = normalizeAddress(remoteAddress ?? "") ?? "unknown";
  const header = first(forwardedFor);
  if (trustProxy <= 0 || !header) return socket;
  const hops = header
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (hops.length === 0) return socket;
  const picked = hops[Math.max(0, hops.length - trustProxy)]!;
  return normalizeAddress(picked) ?? socket;
}

/** `1.2.3.4`, `1.2.3.4:5678`, `[::1]:80`, `::ffff:1.2.3.4` → a bare IP; anything else → null. */
function normalizeAddress(raw: string): string | null {
  let a = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(a);
  if (bracketed) a = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(a)) a = a.slice(0, a.lastIndexOf(":"));
  if (a.toLowerCase().startsWith("::ffff:") && net.isIPv4(a.slice(7))) a = a.slice(7);
  return net.isIP(a) ? a.toLowerCase() : null;
}

/** The host the client asked for: `X-Forwarded-Host` (its first entry) only behind a trusted proxy. */
export function requestHost({
  host,
  forwardedHost,
  trustProxy,
}: {
  host: HeaderValue;
  forwardedHost: HeaderValue;
  trustProxy: number;
}): string | null {
  const forwarded = trustProxy > 0 ? first(forwardedHost)?.split(",")[0]?.trim() : undefined;
  return forwarded || first(host);
}

/** The scheme the client used, as far as headers tell: `X-Forwarded-Proto` only behind a trusted proxy. */
export function forwardedProto({ forwardedProto, trustProxy }: { forwardedProto: HeaderValue; trustProxy: number }): string | null {
  if (trustProxy <= 0) return null;
  return first(forwardedProto)?.split(",")[0]?.trim().toLowerCase() || null;
}

/**
 * Whether the session cookie gets `Secure`: when the client is on https — the public URL is https,
 * a trusted proxy says https, or the request itself is https — unless a browser says its page is
 * plain http (`Origin: http://…`, a tablet on the LAN talking to the node directly), which would
 * drop a Secure cookie. An https `Origin` is always Secure.
 */
export function isSecureClient({
  origin,
  urlProtocol,
  forwardedProto: proto,
  settings,
}: {
  origin: string | null;
  urlProtocol: string;
  forwardedProto: HeaderValue;
  settings: ProxySettings;
}): boolean {
  if (origin && origin !== "null") {
    if (origin.toLowerCase().startsWith("https:")) return true;
    if (origin.toLowerCase().startsWith("http:")) return false;
  }
  return (
    settings.publicUrl?.startsWith("https:") === true ||
    forwardedProto({ forwardedProto: proto, trustProxy: settings.trustProxy }) === "https" ||
    urlProtocol === "https:"
  );
}
