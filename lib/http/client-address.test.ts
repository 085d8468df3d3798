import { afterEach, describe, expect, it } from "vitest";
import { setConfig } from "../config";
import { processSlot } from "../process";
import { TEST_ADDRESS_PROOF, fromAddress } from "../testing/db";
import { clientAddressOf } from "./index";

const request = (headers: Record<string, string>) => new Request("http://pass.test/api/orders", { headers });
const withTrustProxy = (trustProxy: number) => setConfig({ trustProxy } as Parameters<typeof setConfig>[0]);

describe("clientAddressOf: only server.ts's own address header is believed", () => {
  afterEach(() => {
    delete processSlot().clientAddressProof;
  });

  it("the address server.ts wrote, with this process's proof", () => {
    withTrustProxy(0);
    expect(clientAddressOf(request(fromAddress("203.0.113.7")))).toBe("203.0.113.7");
  });

  it("a client's own x-pass-client-address, without the proof or with a wrong one, is ignored", () => {
    withTrustProxy(0);
    processSlot().clientAddressProof = TEST_ADDRESS_PROOF;
    expect(clientAddressOf(request({ "x-pass-client-address": "198.51.100.9" }))).toBe("unknown");
    expect(clientAddressOf(request({ "x-pass-client-address": "198.51.100.9", "x-pass-client-proof": "guess" }))).toBe("unknown");
    // Plain `next start`: no server.ts, no proof at all.
    delete processSlot().clientAddressProof;
    expect(clientAddressOf(request({ "x-pass-client-address": "198.51.100.9", "x-pass-client-proof": "" }))).toBe("unknown");
  });

  it("under plain next start behind a trusted proxy, the proxy's X-Forwarded-For entry", () => {
    withTrustProxy(1);
    expect(clientAddressOf(request({ "x-forwarded-for": "1.2.3.4, 198.51.100.20", "x-pass-client-address": "9.9.9.9" }))).toBe(
      "198.51.100.20",
    );
    withTrustProxy(0);
    expect(clientAddressOf(request({ "x-forwarded-for": "198.51.100.20" }))).toBe("unknown");
  });
});
