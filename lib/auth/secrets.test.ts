import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, getConfig, loadConfig, setConfig } from "../config";
import { hashSecret } from "./secrets";

/**
 * The session secret is created at startup (loadConfig in server.ts, the CLI, test setup), never
 * as a side effect of hashing: hashSecret only reads the configuration that is already loaded.
 */
describe("hashSecret", () => {
  const saved = process.env.DATA_DIR;
  afterEach(() => {
    if (saved === undefined) delete process.env.DATA_DIR;
    else process.env.DATA_DIR = saved;
  });

  it("without a loaded configuration throws a clear ConfigError and creates no secret file", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pass-secrets-"));
    process.env.DATA_DIR = dir;
    expect(() => getConfig()).toThrow(ConfigError);
    expect(() => hashSecret("abc")).toThrow(/configuration not loaded/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it("uses the secret of the configuration loaded at startup, or one passed explicitly", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pass-secrets-"));
    const config = loadConfig({ env: { DATA_DIR: dir } });
    expect(fs.existsSync(path.join(dir, "session-secret"))).toBe(true);
    setConfig(config);
    const a = hashSecret("abc");
    expect(a).toBe(hashSecret("abc", config));
    expect(a).not.toBe(hashSecret("abc", { sessionSecret: "x".repeat(32) }));
    expect(a).not.toBe(hashSecret("abd"));
  });
});

/** The receipt's QR code carries a tracking token derived from the order's stored hash (lib/printing). */
describe("receipt tracking token", () => {
  const config = { sessionSecret: "receipt-test-secret-0123456789abcdef" };
  it("opens exactly its order, as the guest's own token does; nothing else does", async () => {
    const { matchesTrackingToken, receiptTrackingToken } = await import("./secrets");
    setConfig(loadConfig({ env: { SESSION_SECRET: config.sessionSecret, DATA_DIR: os.tmpdir() } }));
    const guest = "trk_guest-token-of-order-7";
    const stored = hashSecret(guest);
    const printed = receiptTrackingToken(stored);
    expect(printed).toMatch(/^trk_r\.[\w-]{43}$/);
    expect(matchesTrackingToken(guest, stored)).toBe(true);
    expect(matchesTrackingToken(printed, stored)).toBe(true);
    expect(matchesTrackingToken(printed, hashSecret("trk_another-order"))).toBe(false);
    expect(matchesTrackingToken(`${printed.slice(0, -1)}x`, stored)).toBe(false);
    expect(matchesTrackingToken("trk_r.", stored)).toBe(false);
    expect(matchesTrackingToken(guest, null)).toBe(false);
    // Another deployment's secret makes another token.
    expect(receiptTrackingToken(stored, { sessionSecret: "another-secret-0123456789abcdefghij" })).not.toBe(printed);
  });
});
