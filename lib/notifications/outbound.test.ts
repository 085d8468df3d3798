/** Where Pass may send a request someone else chose (webhooks, push endpoints): lib/notifications/outbound.ts. */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { assertDeliverableUrl, isPrivateAddress, postOutbound } from "./outbound";

describe("outbound requests", () => {
  it("knows the loopback, private, link-local and metadata ranges", () => {
    for (const a of [
      "127.0.0.1",
      "127.255.0.9",
      "10.1.2.3",
      "172.16.0.1",
      "172.31.255.255",
      "192.168.1.1",
      "169.254.169.254",
      "100.100.100.200",
      "0.0.0.0",
      "::1",
      "fe80::1",
      "fd00:ec2::254",
      "::ffff:127.0.0.1",
      "::ffff:169.254.169.254",
    ]) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
    for (const a of ["8.8.8.8", "172.32.0.1", "93.184.216.34", "2606:4700::1111", "::ffff:8.8.8.8"])
      expect(isPrivateAddress(a), a).toBe(false);
  });

  it("refuses URLs by scheme always, and by address unless private targets are allowed", () => {
    for (const url of [
      "ftp://example.com/",
      "file:///etc/passwd",
      "javascript:alert(1)",
      "//example.com",
      "https://user:pw@example.com/",
    ]) {
      expect(() => assertDeliverableUrl(url, { field: "url", allowPrivate: true }), url).toThrow();
    }
    for (const url of [
      "http://127.0.0.1/",
      "http://localhost:8080/",
      "http://api.localhost/",
      "http://metadata.google.internal/",
      "http://[::1]/",
      "http://169.254.169.254/latest",
      "http://10.0.0.1/",
    ]) {
      expect(() => assertDeliverableUrl(url, { field: "url", allowPrivate: false }), url).toThrow(/loopback|this machine/);
      expect(assertDeliverableUrl(url, { field: "url", allowPrivate: true }).toString()).toBe(new URL(url).toString());
    }
    expect(assertDeliverableUrl("https://hooks.example.com/x", { field: "url", allowPrivate: false }).hostname).toBe("hooks.example.com");
  });

  it("does not connect to a private address unless allowed", async () => {
    let hits = 0;
    const server = http.createServer((_req, res) => {
      hits++;
      res.end("ok");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      await expect(postOutbound({ url, headers: {}, body: "{}", allowPrivate: false })).rejects.toThrow();
      expect(hits).toBe(0);
      expect(await postOutbound({ url, headers: {}, body: "{}", allowPrivate: true })).toEqual({ status: 200, body: "ok" });
      expect(hits).toBe(1);
    } finally {
      server.close();
    }
  });
});
