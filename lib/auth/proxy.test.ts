/**
 * The origin and proxy decisions (README "Behind a proxy"): which Origin is ours, which host a
 * request was sent to, which address a per-IP limit counts, and when the cookie is Secure.
 */
import { describe, expect, it } from "vitest";
import { isAllowedOrigin, isSameOrigin } from "./csrf";
import { NO_PROXY, clientAddress, isSecureClient, requestHost, type ProxySettings } from "./proxy";

const proxied: ProxySettings = { publicUrl: "https://pass.example.com:8443", trustProxy: 1, allowedOrigins: ["https://kiosk.example.com"] };

describe("isSameOrigin (CSRF)", () => {
  const same = (origin: string | null, host: string | null, settings?: ProxySettings, secFetchSite: string | null = null) =>
    isSameOrigin({ origin, secFetchSite, host, settings });

  it("the request's own host, port included; a default port counts as none", () => {
    expect(same("http://pass.test", "pass.test")).toBe(true);
    expect(same("http://pass.test:3000", "pass.test:3000")).toBe(true);
    expect(same("http://pass.test", "pass.test:80")).toBe(true);
    expect(same("https://pass.test", "pass.test:443")).toBe(true);
    expect(same("http://Pass.Test:3000", "pass.test:3000")).toBe(true);
    expect(same("http://pass.test:3001", "pass.test:3000")).toBe(false);
    expect(same("https://evil.example", "pass.test")).toBe(false);
    expect(same("not a url", "pass.test")).toBe(false);
    expect(same("file:///etc", "pass.test")).toBe(false);
  });

  it("behind nginx's `Host $host` the public port is gone: only PUBLIC_URL matches the browser's Origin", () => {
    // Before PUBLIC_URL existed every cookie login through such a proxy was refused.
    expect(same("https://pass.example.com:8443", "pass.example.com")).toBe(false);
    expect(same("https://pass.example.com:8443", "pass.example.com", proxied)).toBe(true);
    expect(same("https://pass.example.com:8443", "pass.example.com", { ...NO_PROXY, publicUrl: "https://pass.example.com:8443" })).toBe(
      true,
    );
    // The public URL is an exact origin: scheme and port matter.
    expect(same("http://pass.example.com:8443", "pass.example.com", proxied)).toBe(false);
    expect(same("https://pass.example.com", "pass.example.com:9999", proxied)).toBe(false);
  });

  it("ALLOWED_ORIGINS are ours too, nothing else is", () => {
    expect(same("https://kiosk.example.com", "pass.example.com", proxied)).toBe(true);
    expect(same("https://kiosk.example.com", "pass.example.com")).toBe(false);
    expect(same("https://evil.example", "pass.example.com", proxied)).toBe(false);
  });

  it("without Origin: Sec-Fetch-Site decides; with neither, refused", () => {
    expect(same(null, "pass.test", NO_PROXY, "same-origin")).toBe(true);
    expect(same(null, "pass.test", NO_PROXY, "cross-site")).toBe(false);
    expect(same("null", "pass.test", NO_PROXY, "same-origin")).toBe(true);
    expect(same(null, "pass.test")).toBe(false);
  });

  it("isAllowedOrigin without a host accepts only configured origins", () => {
    expect(isAllowedOrigin({ origin: "https://pass.example.com:8443", host: null, settings: proxied })).toBe(true);
    expect(isAllowedOrigin({ origin: "http://pass.test", host: null })).toBe(false);
  });
});

describe("requestHost", () => {
  it("X-Forwarded-Host only behind a trusted proxy, its first entry", () => {
    expect(requestHost({ host: "10.0.0.5:3000", forwardedHost: "pass.example.com:8443", trustProxy: 0 })).toBe("10.0.0.5:3000");
    expect(requestHost({ host: "10.0.0.5:3000", forwardedHost: "pass.example.com:8443", trustProxy: 1 })).toBe("pass.example.com:8443");
    expect(requestHost({ host: "10.0.0.5:3000", forwardedHost: "a.example, b.example", trustProxy: 1 })).toBe("a.example");
    expect(requestHost({ host: "10.0.0.5:3000", forwardedHost: null, trustProxy: 1 })).toBe("10.0.0.5:3000");
  });
});

describe("clientAddress (per-IP limits)", () => {
  it("without TRUST_PROXY, X-Forwarded-For is ignored: the socket's peer counts", () => {
    expect(clientAddress({ remoteAddress: "10.0.0.9", forwardedFor: "203.0.113.7", trustProxy: 0 })).toBe("10.0.0.9");
    expect(clientAddress({ remoteAddress: "::ffff:10.0.0.9", forwardedFor: null, trustProxy: 0 })).toBe("10.0.0.9");
    expect(clientAddress({ remoteAddress: undefined, forwardedFor: null, trustProxy: 0 })).toBe("unknown");
  });

  it("TRUST_PROXY=1: the rightmost entry, the one our proxy appended; what the client wrote to its left is ignored", () => {
    expect(clientAddress({ remoteAddress: "127.0.0.1", forwardedFor: "203.0.113.7", trustProxy: 1 })).toBe("203.0.113.7");
    expect(clientAddress({ remoteAddress: "127.0.0.1", forwardedFor: "6.6.6.6, 203.0.113.7", trustProxy: 1 })).toBe("203.0.113.7");
    expect(clientAddress({ remoteAddress: "127.0.0.1", forwardedFor: ["6.6.6.6", "203.0.113.7"], trustProxy: 1 })).toBe("203.0.113.7");
    expect(clientAddress({ remoteAddress: "127.0.0.1", forwardedFor: "[2001:db8::1]:4711", trustProxy: 1 })).toBe("2001:db8::1");
    expect(clientAddress({ remoteAddress: "127.0.0.1", forwardedFor: "203.0.113.7:4711", trustProxy: 1 })).toBe("203.0.113.7");
  });

  it("TRUST_PROXY=2: the second from the right (a CDN in front of nginx); a short header gives its leftmost", () => {
    expect(clientAddress({ remoteAddress: "127.0.0.1", forwardedFor: "6.6.6.6, 203.0.113.7, 10.0.0.2", trustProxy: 2 })).toBe(
      "203.0.113.7",
    );
    expect(clientAddress({ remoteAddress: "127.0.0.1", forwardedFor: "203.0.113.7", trustProxy: 2 })).toBe("203.0.113.7");
  });

  it("a missing or malformed header behind a trusted proxy falls back to the socket's peer", () => {
    expect(clientAddress({ remoteAddress: "127.0.0.1", forwardedFor: null, trustProxy: 1 })).toBe("127.0.0.1");
    expect(clientAddress({ remoteAddress: "127.0.0.1", forwardedFor: " , ", trustProxy: 1 })).toBe("127.0.0.1");
    expect(clientAddress({ remoteAddress: "127.0.0.1", forwardedFor: "1.2.3.4, unknown", trustProxy: 1 })).toBe("127.0.0.1");
  });
});

describe("isSecureClient (the cookie's Secure)", () => {
  const secure = (o: { origin?: string | null; url?: string; proto?: string | null; settings?: ProxySettings }) =>
    isSecureClient({
      origin: o.origin ?? null,
      urlProtocol: o.url ?? "http:",
      forwardedProto: o.proto ?? null,
      settings: o.settings ?? NO_PROXY,
    });

  it("an https PUBLIC_URL makes it Secure", () => {
    expect(secure({})).toBe(false);
    expect(secure({ settings: { ...NO_PROXY, publicUrl: "https://pass.example.com" } })).toBe(true);
    expect(secure({ settings: { ...NO_PROXY, publicUrl: "http://pass.lan:3000" } })).toBe(false);
  });

  it("X-Forwarded-Proto counts only with TRUST_PROXY", () => {
    expect(secure({ proto: "https" })).toBe(false);
    expect(secure({ proto: "https", settings: { ...NO_PROXY, trustProxy: 1 } })).toBe(true);
    expect(secure({ proto: "http", settings: { ...NO_PROXY, trustProxy: 1 } })).toBe(false);
  });

  it("the browser's Origin wins: https is Secure; a plain-http page (a LAN tablet) is not, whatever PUBLIC_URL says", () => {
    expect(secure({ origin: "https://pass.example.com:8443" })).toBe(true);
    expect(secure({ origin: "http://192.168.1.20:3000", settings: { ...NO_PROXY, publicUrl: "https://pass.example.com" } })).toBe(false);
    expect(secure({ url: "https:" })).toBe(true);
  });
});
