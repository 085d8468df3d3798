import "server-only";
import { assertCan, createDeviceToken, type Principal, revokeDeviceToken } from "../auth";
import type { Db } from "../db";
import { ConflictError, NotFoundError, ValidationError } from "../errors";
import { findPartnerBySlug } from "../menu";
import { processSlot } from "../process";
import { type DemoApi, type DemoRun, type DemoStatus, httpDemoApi, runDemo } from "./service";
import { log as logger } from "../log";

/** The restaurant first start seeds (lib/bootstrap.ts): the only one invented orders may land on. */
export const DEMO_PARTNER = "demo";
export const DEMO_MINUTES = { min: 1, max: 60, default: 10 } as const;

/**
 * The server's demo service (issue "Cashier and back office" item 4): built once with the
 * process runtime (lib/process-runtime.ts) and reached by `POST|GET|DELETE /api/demo` through the
 * process slot. At most one run per restaurant; each run orders over HTTP to this very server
 * with a device token of its own (role operator, expiring with the run, revoked when it ends),
 * so its orders take the path a till's would: the route, its schema, permissions, the event log.
 */
export class DemoRunner {
  readonly #db: Db;
  readonly #api: (token: string, partner: string) => DemoApi;
  readonly #options: { meanGapMs?: number; confirmDelayMs?: readonly [number, number] };
  readonly #runs = new Map<string, { run: DemoRun; tokenId: string }>();
  readonly #last = new Map<string, DemoStatus>();
  readonly #log: (line: string) => void;
  readonly #minuteMs: number;

  constructor({
    db,
    baseUrl,
    fetch,
    log = (line: string) => logger().info(line),
    meanGapMs,
    confirmDelayMs,
    minuteMs = 60_000,
  }: {
    db: Db;
    /** Where this server answers HTTP (loopback and its port). */
    baseUrl: string;
    fetch?: typeof globalThis.fetch;
    log?: (line: string) => void;
    meanGapMs?: number;
    confirmDelayMs?: readonly [number, number];
    /** How long a "minute" of a run lasts: tests shorten it. */
    minuteMs?: number;
  }) {
    this.#db = db;
    this.#api = (token, partner) => httpDemoApi({ base: baseUrl, token, partner, fetch });
    this.#options = { meanGapMs, confirmDelayMs };
    this.#log = log;
    this.#minuteMs = minuteMs;
  }

  async start({ principal, partner: slug, minutes }: { principal: Principal; partner: string; minutes: number }): Promise<DemoStatus> {
    assertCan(principal, "demo:run");
    if (slug !== DEMO_PARTNER) {
      throw new ValidationError("partner", `the demo service runs on the demo restaurant '${DEMO_PARTNER}' only, never on a real one`);
    }
    if (!Number.isInteger(minutes) || minutes < DEMO_MINUTES.min || minutes > DEMO_MINUTES.max) {
      throw new ValidationError("minutes", `must be a whole number ${DEMO_MINUTES.min}–${DEMO_MINUTES.max}`);
    }
    const partner = await findPartnerBySlug({ db: this.#db, slug });
    if (!partner) throw new NotFoundError("partner", { field: "partner" });
    if (this.#runs.has(slug)) throw new ConflictError(`the demo service is already running on '${slug}'`, { status: "running" });
    const durationMs = minutes * this.#minuteMs;
    const token = await createDeviceToken({
      db: this.#db,
      partnerId: partner.id,
      role: "operator",
      name: "demo service",
      expiresAt: new Date(Date.now() + durationMs + 120_000).toISOString(),
    });
    // A second start racing this one lost the check above only if it ran first: keep one run.
    if (this.#runs.has(slug)) {
      await revokeDeviceToken({ db: this.#db, id: token.id });
      throw new ConflictError(`the demo service is already running on '${slug}'`, { status: "running" });
    }
    const run = runDemo({ api: this.#api(token.token, slug), partner: slug, durationMs, log: this.#log, ...this.#options });
    this.#runs.set(slug, { run, tokenId: token.id });
    void run.done.then(async (final) => {
      this.#runs.delete(slug);
      this.#last.set(slug, final);
      await revokeDeviceToken({ db: this.#db, id: token.id }).catch(() => undefined);
    });
    return run.status();
  }

  async stop({ principal, partner }: { principal: Principal; partner: string }): Promise<DemoStatus | null> {
    assertCan(principal, "demo:run");
    const entry = this.#runs.get(partner);
    if (!entry) return this.#last.get(partner) ?? null;
    entry.run.stop();
    return entry.run.done;
  }

  status({ principal, partner }: { principal: Principal; partner: string }): DemoStatus | null {
    assertCan(principal, "demo:run");
    return this.#runs.get(partner)?.run.status() ?? this.#last.get(partner) ?? null;
  }

  /** On shutdown: every run ends (its token is revoked). */
  async stopAll(): Promise<void> {
    const runs = [...this.#runs.values()];
    for (const { run } of runs) run.stop();
    await Promise.all(runs.map(({ run }) => run.done));
  }
}

/** The demo runner of this process (set by the process runtime, or by a test). */
export function demoRunner(): DemoRunner {
  const runner = processSlot().demo as DemoRunner | undefined;
  if (!runner) throw new Error("the demo service is not set up in this process (lib/process-runtime.ts)");
  return runner;
}

export function setDemoRunner(runner: DemoRunner | undefined): void {
  processSlot().demo = runner;
}

/** This server's own address for the demo's HTTP calls: its listen host when it is one address, else loopback. */
export function ownBaseUrl({ host, port }: { host: string | null; port: number }): string {
  const wildcard = !host || host === "0.0.0.0" || host === "::" || host === "[::]";
  const h = wildcard ? "127.0.0.1" : host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  return `http://${h}:${port}`;
}
