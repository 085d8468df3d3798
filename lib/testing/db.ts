/**
 * Real databases for tests: SQLite in a temporary folder always, PostgreSQL when DATABASE_URL
 * is set (each test file in a schema of its own, dropped afterwards). With REQUIRE_SERVICES=1
 * a missing DATABASE_URL is an error, not a skip.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import crypto from "node:crypto";
import pg from "pg";
import { generateVapidKeys, setConfig, type Config } from "../config";
import { createLimits, scaledRules, setLimits } from "../limits";
import { openDatabase, migrateToLatest, setDbHandle, type DbHandle, type Dialect } from "../db";
import { processSlot } from "../process";

export const TEST_SESSION_SECRET = "test-secret-0123456789abcdef0123456789abcdef";
/** Stands in for server.ts's per-process secret (lib/http clientAddressOf). */
export const TEST_ADDRESS_PROOF = "test-address-proof-0123456789";

/** The headers server.ts puts on a request from `address` before a route handler sees it. */
export function fromAddress(address: string): Record<string, string> {
  processSlot().clientAddressProof = TEST_ADDRESS_PROOF;
  return { "x-pass-client-address": address, "x-pass-client-proof": TEST_ADDRESS_PROOF };
}

export function requireServices(): boolean {
  return process.env.REQUIRE_SERVICES === "1";
}

export type TestTarget = { dialect: Dialect; label: string; skipReason: string | null };

/** The dialects a data test runs on; a PostgreSQL entry carries a visible skip reason when unavailable. */
export function testTargets(): TestTarget[] {
  const pgUrl = process.env.DATABASE_URL;
  if (!pgUrl && requireServices()) throw new Error("REQUIRE_SERVICES=1 but DATABASE_URL is not set");
  return [
    { dialect: "sqlite", label: "sqlite", skipReason: null },
    {
      dialect: "postgres",
      label: pgUrl ? "postgres" : "postgres (SKIPPED: set DATABASE_URL to run on PostgreSQL)",
      skipReason: pgUrl ? null : "DATABASE_URL not set",
    },
  ];
}

export type TestDb = DbHandle & { config: Config; cleanup(): Promise<void> };

export async function openTestDb(dialect: Dialect): Promise<TestDb> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pass-test-"));
  let databaseUrl: string | null = null;
  let schema: string | null = null;
  if (dialect === "postgres") {
    const base = process.env.DATABASE_URL;
    if (!base) throw new Error("DATABASE_URL is not set");
    schema = `t_${crypto.randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    databaseUrl = withSearchPath(base, schema);
  }
  const config: Config = {
    port: 0,
    host: null,
    dataDir,
    databaseUrl,
    redisUrl: null,
    sessionSecret: TEST_SESSION_SECRET,
    posUpstreamUrl: null,
    posUpstreamToken: null,
    keepaliveMs: 15_000,
    streamMaxLifeMs: 600_000,
    streamAdmissionLimit: 256,
    streamRetryJitter: 0.25,
    kitchenAckSeconds: 60,
    adminPassword: null,
    redisPrefix: null,
    replayMaxEvents: 10_000,
    rateLimitScale: 1,
    publicUrl: null,
    trustProxy: 0,
    allowedOrigins: [],
    headersTimeoutMs: 10_000,
    requestTimeoutMs: 30_000,
    healthToken: null,
    vapid: generateVapidKeys(),
    vapidSubject: "mailto:test@pass.test",
    smsGatewayUrl: null,
    smsGatewayToken: null,
    webhookAllowPrivate: true,
    jobsConcurrency: 4,
  };
  setConfig(config);
  // Tests reconnect and place orders far faster than any restaurant: limits ×1000 unless a test
  // installs its own (lib/limits.test.ts, the rate-limit tests).
  setLimits(createLimits({ rules: scaledRules(1000) }));
  const handle = openDatabase({ databaseUrl, dataDir });
  await migrateToLatest({ ...handle, schema: schema ?? undefined });
  setDbHandle(handle);
  return {
    ...handle,
    config,
    async cleanup() {
      await handle.destroy();
      if (schema && process.env.DATABASE_URL) {
        const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
        await admin.connect();
        await admin.query(`drop schema ${schema} cascade`);
        // graphile-worker's queue for this schema, when a test started a job runner (lib/events/jobs.ts).
        await admin.query(`drop schema if exists ${schema}_jobs cascade`);
        await admin.end();
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function withSearchPath(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set("options", `-c search_path=${schema}`);
  return u.toString();
}
