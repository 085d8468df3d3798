import { AsyncLocalStorage } from "node:async_hooks";
import crypto from "node:crypto";
import pino from "pino";
import type { LogLevel } from "./config";
import { processSlot } from "./process";

/**
 * The process's structured log (docs/operations.md#logs): one JSON object per line (pino) —
 * warnings and errors on stderr, the rest on stdout, as before — `{"level":"info","time":"…","pid":…,"msg":"pass: ready on …"}`, with `reqId` on the
 * lines of a request (`x-request-id`, see server.ts). Built once in the runtime
 * (lib/process-runtime.ts) and kept in the process slot, so server.ts and every route bundle
 * write through the same one; messages keep their `pass: …` wording.
 *
 * Writes are synchronous: a line is out before `process.exit` (a failed start, the shutdown
 * deadline), and Pass logs a few lines per minute, not per event.
 */
export type Logger = pino.Logger;

export function createLogger({ level = "info", destination }: { level?: LogLevel; destination?: pino.DestinationStream } = {}): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination ??
      pino.multistream(
        [
          { level: "trace", stream: pino.destination({ fd: 1, sync: true }) },
          { level: "warn", stream: pino.destination({ fd: 2, sync: true }) },
        ],
        { dedupe: true },
      ),
  );
}

export function setLogger(logger: Logger | undefined): void {
  processSlot().logger = logger;
  processSlot().log = logger ? log : undefined;
}

let fallback: Logger | undefined;

type RequestScope = { reqId: string; logger?: Logger };
const SCOPE_KEY = Symbol.for("pass.request-log");

/** One store for the process (every bundle loads its own copy of this module). */
function scopes(): AsyncLocalStorage<RequestScope> {
  const g = globalThis as { [SCOPE_KEY]?: AsyncLocalStorage<RequestScope> };
  g[SCOPE_KEY] ??= new AsyncLocalStorage<RequestScope>();
  return g[SCOPE_KEY];
}

/** Runs a request's handling with its id: every line logged inside carries `reqId`. */
export function withRequestId<T>(reqId: string, run: () => T): T {
  return scopes().run({ reqId }, run);
}

function base(): Logger {
  const installed = processSlot().logger as Logger | undefined;
  if (installed) return installed;
  fallback ??= createLogger({ level: (process.env.LOG_LEVEL as LogLevel | undefined) ?? "info" });
  return fallback;
}

/** The runtime's logger (inside a request: with its `reqId`); outside a server (tests, a script) a default one. */
export function log(): Logger {
  const scope = scopes().getStore();
  if (!scope) return base();
  scope.logger ??= base().child({ reqId: scope.reqId });
  return scope.logger;
}

const REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** A client's or proxy's `x-request-id` when it is a sane token, else a new one. */
export function requestIdOf(given: string | string[] | undefined): string {
  const value = Array.isArray(given) ? given[0] : given;
  return value && REQUEST_ID.test(value) ? value : crypto.randomUUID();
}

/** An error as one field `err` (message, code, stack): inside the JSON line, so the log stays one line per entry. */
export function errorFields(err: unknown): { err: { message: string; code?: string; stack?: string } } {
  const e = err instanceof Error ? err : new Error(String(err));
  const code = (e as NodeJS.ErrnoException).code;
  return { err: { message: e.message, ...(code ? { code } : {}), ...(e.stack ? { stack: e.stack } : {}) } };
}
