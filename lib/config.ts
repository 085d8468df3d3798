import "server-only";
import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import net from "node:net";
import { z } from "zod";
import { processSlot } from "./process";

/**
 * The whole runtime configuration, read once from the environment (README "Configuration").
 * Invalid configuration throws a ConfigError whose message is one line that names the variable.
 */
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type Config = {
  port: number;
  /** Listen address; null = every interface (tablets on the LAN reach the node directly). */
  host: string | null;
  dataDir: string;
  databaseUrl: string | null;
  redisUrl: string | null;
  /** Namespace of this deployment's Redis channels; null = derived from the log's epoch. */
  redisPrefix: string | null;
  sessionSecret: string;
  posUpstreamUrl: string | null;
  posUpstreamToken: string | null;
  keepaliveMs: number;
  /** Live streams end after this long and clients resume by id (docs/contracts.md#recovery: 10 min). */
  streamMaxLifeMs: number;
  /** Reconnect-storm pacing (lib/realtime/admission.ts): streams opening at once (0 = no limit), `retry:` jitter. */
  streamAdmissionLimit: number;
  streamRetryJitter: number;
  /** A confirmed ticket no kitchen screen showed within this long alarms the cashier and prints. */
  kitchenAckSeconds: number;
  adminPassword: string | null;
  /** A replay longer than this answers REPLAY_TOO_LARGE: the client reloads its snapshot instead. */
  replayMaxEvents: number;
  /** Multiplies every rate limit (lib/limits.ts); 1 = the defaults. */
  rateLimitScale: number;
  /**
   * The origin browsers use to reach Pass (`https://pass.example.com`, no path) when a proxy
   * in front rewrites `Host`: the CSRF and /ws Origin checks accept it, the cookie is `Secure`
   * when it is https. null = the request's own host.
   */
  publicUrl: string | null;
  /**
   * How many proxies in front of the node are trusted (0 = none): with ≥ 1, `X-Forwarded-For`
   * (the entry that many from the right), `X-Forwarded-Host` and `X-Forwarded-Proto` are read.
   */
  trustProxy: number;
  /** Further origins (normalized, no trailing slash) whose pages may use the session cookie and /ws. */
  allowedOrigins: string[];
  /** A client must have sent its request headers within this long (server.headersTimeout). */
  headersTimeoutMs: number;
  /** … and its whole request, body included, within this long (server.requestTimeout); streams are GETs and unaffected. */
  requestTimeoutMs: number;
  /** A bearer token that sees /api/health's details without a session (monitoring); null = staff only. */
  healthToken: string | null;
  /** Bearer token (≥ 16 chars) for GET /metrics (Prometheus); null/unset = /metrics answers 404. */
  metricsToken?: string | null;
  /** Structured log level (pino): fatal, error, warn, info, debug, trace, silent. */
  logLevel?: LogLevel;
  /** A print job its printer has not printed within this long goes to the printer's backup (lib/printing). */
  printFailoverMs?: number;
  /** A print job that waited longer than this prints stamped "LATE — queued 19:42". */
  printLateMs?: number;
  /**
   * Web Push's VAPID key pair (base64url, P-256): VAPID_PUBLIC_KEY + VAPID_PRIVATE_KEY, else
   * generated into DATA_DIR/vapid-keys.json at first start (like the session secret).
   */
  vapid: VapidKeys;
  /** `sub` of the VAPID claim: VAPID_SUBJECT, else PUBLIC_URL, else a mailto: placeholder. */
  vapidSubject: string;
  /** The generic HTTP SMS gateway (lib/notifications/sms.ts); null = SMS is off. */
  smsGatewayUrl: string | null;
  smsGatewayToken: string | null;
  /**
   * Webhook URLs may point at loopback / private / link-local addresses. Off in production
   * (NODE_ENV=production) unless WEBHOOK_ALLOW_PRIVATE=1; always on otherwise.
   */
  webhookAllowPrivate: boolean;
  /** Jobs this node runs at once (JOBS_CONCURRENCY); 0 = this node runs no jobs. */
  jobsConcurrency: number;
};

export type VapidKeys = { publicKey: string; privateKey: string };

export class ConfigError extends Error {
  override name = "ConfigError";
}

const emptyAsUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

/** An http(s) origin: scheme, host and optional port, nothing after (a trailing `/` is dropped). */
function originSchema() {
  return z.string().transform((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value.trim());
    } catch {
      ctx.addIssue({ code: "custom", message: `must be an origin like https://pass.example.com (got "${value}")` });
      return z.NEVER;
    }
    if (!/^https?:$/.test(url.protocol) || url.pathname !== "/" || url.search || url.hash || url.username || url.password) {
      ctx.addIssue({
        code: "custom",
        message: `must be an origin like https://pass.example.com, without path, query or credentials (got "${value}")`,
      });
      return z.NEVER;
    }
    return url.origin;
  });
}

/** A hostname or an IP address (IPv6 with or without brackets). */
const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

const envSchema = z.object({
  PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),
  DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default("./data")),
  DATABASE_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must start with postgres:// or postgresql://")
      .optional(),
  ),
  REDIS_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^rediss?:\/\//, "must start with redis:// or rediss://")
      .optional(),
  ),
  REDIS_PREFIX: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9:._-]{1,100}$/, "must be 1–100 letters, digits or : . _ -")
      .optional(),
  ),
  RATE_LIMIT_SCALE: z.preprocess(emptyAsUndefined, z.coerce.number().min(0.01).max(100_000).default(1)),
  REPLAY_MAX_EVENTS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(100).max(1_000_000).default(10_000)),
  SESSION_SECRET: z.preprocess(emptyAsUndefined, z.string().min(32, "must be at least 32 characters").optional()),
  POS_UPSTREAM_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()),
  POS_UPSTREAM_TOKEN: z.preprocess(emptyAsUndefined, z.string().optional()),
  KEEPALIVE_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(100).max(300_000).default(15_000)),
  STREAM_MAX_LIFE_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1_000).max(86_400_000).default(600_000)),
  STREAM_ADMISSION_LIMIT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(100_000).default(256)),
  STREAM_RETRY_JITTER: z.preprocess(emptyAsUndefined, z.coerce.number().min(0).max(0.9).default(0.25)),
  KITCHEN_ACK_SECONDS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(5).max(3600).default(60)),
  HEADERS_TIMEOUT_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(100).max(600_000).default(10_000)),
  REQUEST_TIMEOUT_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(100).max(3_600_000).default(30_000)),
  PRINT_FAILOVER_SECONDS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(3600).default(10)),
  PRINT_LATE_SECONDS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(10).max(86_400).default(120)),
  HEALTH_TOKEN: z.preprocess(emptyAsUndefined, z.string().min(16, "must be at least 16 characters").optional()),
  METRICS_TOKEN: z.preprocess(emptyAsUndefined, z.string().min(16, "must be at least 16 characters").optional()),
  LOG_LEVEL: z.preprocess(emptyAsUndefined, z.enum(LOG_LEVELS).default("info")),
  VAPID_PUBLIC_KEY: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{87}$/, "must be a base64url P-256 public key (87 chars)")
      .optional(),
  ),
  VAPID_PRIVATE_KEY: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{43}$/, "must be a base64url P-256 private key (43 chars)")
      .optional(),
  ),
  VAPID_SUBJECT: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^(mailto:|https:\/\/)/, "must start with mailto: or https://")
      .optional(),
  ),
  SMS_GATEWAY_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()),
  SMS_GATEWAY_TOKEN: z.preprocess(emptyAsUndefined, z.string().optional()),
  WEBHOOK_ALLOW_PRIVATE: z.preprocess(emptyAsUndefined, z.enum(["0", "1"], "must be 0 or 1").optional()),
  JOBS_CONCURRENCY: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(64).default(4)),
  NODE_ENV: z.string().optional(),
  PASS_ADMIN_PASSWORD: z.preprocess(emptyAsUndefined, z.string().min(10, "must be at least 10 characters").optional()),
  HOST: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .transform((v) => v.trim().replace(/^\[(.*)\]$/, "$1"))
      .refine(
        (v) => net.isIP(v) !== 0 || HOSTNAME.test(v),
        "must be an IP address or a hostname to listen on (e.g. 0.0.0.0, ::, 127.0.0.1)",
      )
      .optional(),
  ),
  PUBLIC_URL: z.preprocess(emptyAsUndefined, originSchema().optional()),
  TRUST_PROXY: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .trim()
      .regex(/^(?:[0-9]|10|true|false)$/, "must be 0 (no proxy), 1 (one proxy in front, e.g. nginx) … 10, or true / false")
      .transform((v) => (v === "true" ? 1 : v === "false" ? 0 : Number(v)))
      .default(0),
  ),
  ALLOWED_ORIGINS: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .transform((v) =>
        v
          .split(",")
          .map((o) => o.trim())
          .filter((o) => o !== ""),
      )
      .pipe(z.array(originSchema()))
      .optional(),
  ),
});

export function loadConfig({ env = process.env }: { env?: Record<string, string | undefined> } = {}): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`invalid configuration: ${String(issue.path[0])} ${issue.message}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST ?? null,
    dataDir,
    databaseUrl: e.DATABASE_URL ?? null,
    redisUrl: e.REDIS_URL ?? null,
    redisPrefix: e.REDIS_PREFIX ?? null,
    sessionSecret: e.SESSION_SECRET ?? readOrCreateSecret(dataDir),
    posUpstreamUrl: e.POS_UPSTREAM_URL?.replace(/\/+$/, "") ?? null,
    posUpstreamToken: e.POS_UPSTREAM_TOKEN ?? null,
    keepaliveMs: e.KEEPALIVE_MS,
    streamMaxLifeMs: e.STREAM_MAX_LIFE_MS,
    streamAdmissionLimit: e.STREAM_ADMISSION_LIMIT,
    streamRetryJitter: e.STREAM_RETRY_JITTER,
    kitchenAckSeconds: e.KITCHEN_ACK_SECONDS,
    adminPassword: e.PASS_ADMIN_PASSWORD ?? null,
    replayMaxEvents: e.REPLAY_MAX_EVENTS,
    rateLimitScale: e.RATE_LIMIT_SCALE,
    publicUrl: e.PUBLIC_URL ?? null,
    trustProxy: e.TRUST_PROXY,
    allowedOrigins: e.ALLOWED_ORIGINS ?? [],
    // headersTimeout may not exceed requestTimeout (Node refuses it).
    headersTimeoutMs: Math.min(e.HEADERS_TIMEOUT_MS, e.REQUEST_TIMEOUT_MS),
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    healthToken: e.HEALTH_TOKEN ?? null,
    metricsToken: e.METRICS_TOKEN ?? null,
    logLevel: e.LOG_LEVEL,
    printFailoverMs: e.PRINT_FAILOVER_SECONDS * 1000,
    printLateMs: e.PRINT_LATE_SECONDS * 1000,
    vapid: vapidKeys(e.VAPID_PUBLIC_KEY, e.VAPID_PRIVATE_KEY, dataDir),
    vapidSubject: e.VAPID_SUBJECT ?? (e.PUBLIC_URL?.startsWith("https://") ? e.PUBLIC_URL : "mailto:pass@localhost"),
    smsGatewayUrl: e.SMS_GATEWAY_URL ?? null,
    smsGatewayToken: e.SMS_GATEWAY_TOKEN ?? null,
    webhookAllowPrivate: e.WEBHOOK_ALLOW_PRIVATE ? e.WEBHOOK_ALLOW_PRIVATE === "1" : e.NODE_ENV !== "production",
    jobsConcurrency: e.JOBS_CONCURRENCY,
  };
}

function vapidKeys(publicKey: string | undefined, privateKey: string | undefined, dataDir: string): VapidKeys {
  if (publicKey && privateKey) return { publicKey, privateKey };
  if (publicKey || privateKey) throw new ConfigError("invalid configuration: VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY go together");
  const file = path.join(dataDir, "vapid-keys.json");
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as VapidKeys;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const keys = generateVapidKeys();
  try {
    fs.writeFileSync(file, JSON.stringify(keys) + "\n", { flag: "wx", mode: 0o600 });
    return keys;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return JSON.parse(fs.readFileSync(file, "utf8")) as VapidKeys;
    throw err;
  }
}

/** A P-256 key pair as Web Push wants it: the uncompressed public point and the private scalar, base64url. */
export function generateVapidKeys(): VapidKeys {
  const ecdh = crypto.createECDH("prime256v1");
  ecdh.generateKeys();
  const d = ecdh.getPrivateKey();
  // The scalar can have leading zero bytes, which Node drops; Web Push wants all 32.
  const scalar = Buffer.concat([Buffer.alloc(32 - d.length), d]);
  return { publicKey: ecdh.getPublicKey().toString("base64url"), privateKey: scalar.toString("base64url") };
}

/** The generated secret lives beside the data so restarts keep sessions and tokens valid. */
function readOrCreateSecret(dataDir: string): string {
  const file = path.join(dataDir, "session-secret");
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const secret = crypto.randomBytes(32).toString("base64url");
  try {
    // wx: a second process starting at the same moment keeps the first one's secret.
    fs.writeFileSync(file, secret + "\n", { flag: "wx", mode: 0o600 });
    return secret;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return fs.readFileSync(file, "utf8").trim();
    throw err;
  }
}

/**
 * The process-wide configuration, shared by server.ts and the route bundles. It is built once at
 * startup (server.ts, the CLI, test setup: loadConfig + setConfig) and only read here — reading it
 * never loads the environment or creates DATA_DIR/session-secret as a side effect.
 */
export function getConfig(): Config {
  const config = processSlot().config as Config | undefined;
  if (!config) {
    throw new ConfigError(
      "configuration not loaded: call setConfig(loadConfig()) at startup (server.ts, the CLI, test setup) before using it",
    );
  }
  return config;
}

/** Startup (server.ts, the CLI) and tests install the configuration once. */
export function setConfig(config: Config): void {
  processSlot().config = config;
}
