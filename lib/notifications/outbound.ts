import "server-only";
import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import { ValidationError } from "../errors";

/**
 * One outgoing HTTP request to an address someone else chose (a partner's webhook, a guest's
 * push endpoint, the SMS gateway). Unless private targets are allowed (WEBHOOK_ALLOW_PRIVATE,
 * on outside production), the URL must be http(s) and every address its host resolves to must
 * be public: the check runs in the socket's own DNS lookup, so a name cannot resolve to a public
 * address when checked and to 169.254.169.254 when connected (DNS rebinding).
 */
const BLOCKED = new net.BlockList();
for (const [net4, bits] of [
  ["0.0.0.0", 8], // this network
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT; 100.100.100.200 is a cloud metadata address
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local, 169.254.169.254 metadata
  ["172.16.0.0", 12],
  ["192.168.0.0", 16],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4],
] as const)
  BLOCKED.addSubnet(net4, bits, "ipv4");
for (const [net6, bits] of [
  ["::", 128],
  ["::1", 128], // loopback
  ["fe80::", 10], // link-local
  ["fc00::", 7], // unique local, fd00:ec2::254 metadata
  ["ff00::", 8],
] as const)
  BLOCKED.addSubnet(net6, bits, "ipv6");

export function isPrivateAddress(address: string): boolean {
  const family = net.isIPv6(address) ? "ipv6" : "ipv4";
  // ::ffff:127.0.0.1 is 127.0.0.1.
  const mapped = family === "ipv6" && /^::ffff:/i.test(address) ? address.slice(7) : null;
  if (mapped && net.isIPv4(mapped)) return BLOCKED.check(mapped, "ipv4");
  return BLOCKED.check(address, family);
}

/** Checks a URL someone registers: http(s), and no private address literal / localhost unless allowed. */
export function assertDeliverableUrl(raw: string, { field, allowPrivate }: { field: string; allowPrivate: boolean }): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ValidationError(field, "must be an absolute http(s) URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new ValidationError(field, "must be an http(s) URL");
  if (url.username || url.password) throw new ValidationError(field, "must not carry a user name or password");
  if (allowPrivate) return url;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (host === "localhost" || host.endsWith(".localhost") || host.endsWith(".internal") || host === "metadata.google.internal") {
    throw new ValidationError(field, "must not point at this machine or an internal host");
  }
  if (net.isIP(host) && isPrivateAddress(host)) {
    throw new ValidationError(field, "must not point at a loopback, private, link-local or metadata address");
  }
  return url;
}

export type OutboundResponse = { status: number; body: string };

export async function postOutbound({
  url,
  headers,
  body,
  allowPrivate,
  timeoutMs = 10_000,
}: {
  url: string;
  headers: Record<string, string>;
  body: Buffer | string;
  allowPrivate: boolean;
  timeoutMs?: number;
}): Promise<OutboundResponse> {
  const target = assertDeliverableUrl(url, { field: "url", allowPrivate });
  const lookup: net.LookupFunction = (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, "", 4);
      const list = addresses as dns.LookupAddress[];
      const bad = !allowPrivate && list.find((a) => isPrivateAddress(a.address));
      if (bad) return callback(new Error(`${hostname} resolves to a private address (${bad.address})`), "", 4);
      if ((options as dns.LookupOptions).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
  const client = target.protocol === "https:" ? https : http;
  const payload = typeof body === "string" ? Buffer.from(body) : body;
  return new Promise<OutboundResponse>((resolve, reject) => {
    const req = client.request(
      target,
      { method: "POST", headers: { ...headers, "content-length": String(payload.length) }, lookup, timeout: timeoutMs },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => {
          if (text.length < 2000) text += d;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text.slice(0, 2000) }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end(payload);
  });
}
