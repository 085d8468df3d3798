import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "pass-config-"));

describe("loadConfig", () => {
  it("defaults to the embedded setup and keeps a generated secret across starts", () => {
    const dir = tmp();
    const a = loadConfig({ env: { DATA_DIR: dir } });
    expect(a).toMatchObject({ port: 3000, dataDir: dir, databaseUrl: null, redisUrl: null, keepaliveMs: 15000, adminPassword: null });
    // Every interface, no proxy trusted, no public URL: the LAN setup.
    expect(a).toMatchObject({ host: null, publicUrl: null, trustProxy: 0, allowedOrigins: [] });
    expect(a).toMatchObject({ headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, healthToken: null });
    expect(a.sessionSecret.length).toBeGreaterThanOrEqual(32);
    expect(fs.statSync(path.join(dir, "session-secret")).mode & 0o777).toBe(0o600);
    expect(loadConfig({ env: { DATA_DIR: dir } }).sessionSecret).toBe(a.sessionSecret);
  });

  it("reads every variable of the README configuration table", () => {
    const c = loadConfig({
      env: {
        PORT: "8080",
        DATA_DIR: tmp(),
        DATABASE_URL: "postgres://u@h/db",
        REDIS_URL: "redis://127.0.0.1:6379",
        SESSION_SECRET: "s".repeat(40),
        POS_UPSTREAM_URL: "https://pos.example/api/",
        POS_UPSTREAM_TOKEN: "tok",
        KEEPALIVE_MS: "5000",
        PASS_ADMIN_PASSWORD: "correct horse",
        HOST: "127.0.0.1",
        PUBLIC_URL: "https://pass.example.com:8443/",
        TRUST_PROXY: "1",
        ALLOWED_ORIGINS: "https://kiosk.example.com, http://192.168.1.20:3000/",
      },
    });
    expect(c).toMatchObject({
      port: 8080,
      databaseUrl: "postgres://u@h/db",
      redisUrl: "redis://127.0.0.1:6379",
      sessionSecret: "s".repeat(40),
      posUpstreamUrl: "https://pos.example/api",
      posUpstreamToken: "tok",
      keepaliveMs: 5000,
      adminPassword: "correct horse",
      host: "127.0.0.1",
      publicUrl: "https://pass.example.com:8443",
      trustProxy: 1,
      allowedOrigins: ["https://kiosk.example.com", "http://192.168.1.20:3000"],
    });
  });

  it("HOST takes IPv4, IPv6 (bracketed or not) and hostnames; TRUST_PROXY takes a hop count or true / false", () => {
    const c = (env: Record<string, string>) => loadConfig({ env: { DATA_DIR: tmp(), ...env } });
    expect(c({ HOST: "0.0.0.0" }).host).toBe("0.0.0.0");
    expect(c({ HOST: "[::1]" }).host).toBe("::1");
    expect(c({ HOST: "::" }).host).toBe("::");
    expect(c({ HOST: "pass.local" }).host).toBe("pass.local");
    expect(c({ TRUST_PROXY: "true" }).trustProxy).toBe(1);
    expect(c({ TRUST_PROXY: "false" }).trustProxy).toBe(0);
    expect(c({ TRUST_PROXY: "2" }).trustProxy).toBe(2);
    expect(c({ PUBLIC_URL: "HTTPS://Pass.Example.com:443" }).publicUrl).toBe("https://pass.example.com");
  });

  it.each([
    [{ PORT: "abc" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL"],
    [{ REDIS_URL: "http://x" }, "REDIS_URL"],
    [{ SESSION_SECRET: "short" }, "SESSION_SECRET"],
    [{ POS_UPSTREAM_URL: "not a url" }, "POS_UPSTREAM_URL"],
    [{ KEEPALIVE_MS: "10" }, "KEEPALIVE_MS"],
    [{ PASS_ADMIN_PASSWORD: "123" }, "PASS_ADMIN_PASSWORD"],
    [{ HOST: "not a host" }, "HOST"],
    [{ HOST: "http://0.0.0.0" }, "HOST"],
    [{ PUBLIC_URL: "pass.example.com" }, "PUBLIC_URL"],
    [{ PUBLIC_URL: "https://pass.example.com/pass" }, "PUBLIC_URL"],
    [{ PUBLIC_URL: "ftp://pass.example.com" }, "PUBLIC_URL"],
    [{ TRUST_PROXY: "yes" }, "TRUST_PROXY"],
    [{ TRUST_PROXY: "11" }, "TRUST_PROXY"],
    [{ ALLOWED_ORIGINS: "https://ok.example,not-an-origin" }, "ALLOWED_ORIGINS"],
  ])("invalid %j fails with one line naming %s", (env, name) => {
    let error: unknown;
    try {
      loadConfig({ env: { DATA_DIR: tmp(), ...env } });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message.startsWith(`invalid configuration: ${name} `)).toBe(true);
    expect(message).not.toContain("\n");
  });
});
