/**
 * Typed errors thrown by lib/ and rendered in one place: `errorBody` below, used by REST
 * (lib/http), every stream transport (lib/realtime/transport.ts), /ws and upstream mode.
 * The body is always `{ error: { code, message, details? } }`.
 */
import { processSlot } from "./process";

export type ErrorDetails = Record<string, unknown>;

/** Marks an AppError whichever copy of this module made it (see isAppError). */
const APP_ERROR = Symbol.for("pass.app-error");

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetails,
  ) {
    super(message);
    this.name = new.target.name;
    Object.defineProperty(this, APP_ERROR, { value: true });
  }
}

/**
 * An AppError — also one made by another bundle's copy of this module: server.ts and each route
 * bundle load their own lib/ (docs/architecture.md#known-traps), and the process's rate limits,
 * built by server.ts, throw server.ts's RateLimitedError into the route handlers. `instanceof`
 * alone took that 429 for an unexpected error (a 500).
 */
export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError || (typeof err === "object" && err !== null && (err as { [APP_ERROR]?: boolean })[APP_ERROR] === true);
}

/** 400 naming the failing field (a dotted path such as `items.0.quantity`). */
export class ValidationError extends AppError {
  constructor(field: string, message: string, extra?: ErrorDetails) {
    super(400, "VALIDATION_FAILED", `${field}: ${message}`, { field, ...extra });
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = "authentication required") {
    super(401, "UNAUTHORIZED", message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = "not allowed") {
    super(403, "FORBIDDEN", message);
  }
}

/** Also used for another partner's data: its existence is never revealed. */
export class NotFoundError extends AppError {
  constructor(what: string, details?: ErrorDetails) {
    super(404, "NOT_FOUND", `${what} not found`, details);
  }
}

/** An illegal lifecycle transition; details carry the order's current status. */
export class ConflictError extends AppError {
  constructor(message: string, details?: ErrorDetails) {
    super(409, "CONFLICT", message, details);
  }
}

export type ErrorBody = { error: { code: string; message: string; details?: ErrorDetails } };

/**
 * The one error renderer: an AppError becomes its status and body; anything else is logged
 * and answered as a 500 that reveals nothing.
 */
export function errorBody(err: unknown): { status: number; body: ErrorBody } {
  if (isAppError(err)) {
    return {
      status: err.status,
      body: { error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } },
    };
  }
  if (isAbortedRequest(err)) {
    // The client went away (or was too slow) while sending its body: one line, no stack.
    logError(`pass: request body aborted by the client (${(err as Error).message})`);
    return { status: 400, body: { error: { code: "REQUEST_ABORTED", message: "the request body did not arrive" } } };
  }
  logError("pass: unexpected error", err);
  return { status: 500, body: { error: { code: "INTERNAL", message: "internal error" } } };
}

/**
 * Through the runtime's logger (lib/log.ts, found in the process slot: browser bundles load this
 * module too and must not pull pino in); the error is a field of its one JSON line.
 */
function logError(message: string, err?: unknown): void {
  const log = processSlot().log?.();
  if (!log) {
    console.error(message, ...(err === undefined ? [] : [err]));
    return;
  }
  if (err === undefined) log.error(message);
  else {
    const e = err instanceof Error ? err : new Error(String(err));
    const code = (e as NodeJS.ErrnoException).code;
    log.error({ err: { message: e.message, ...(code ? { code } : {}), ...(e.stack ? { stack: e.stack } : {}) } }, message);
  }
}

/** A request body that stopped arriving: Node's "aborted" (ECONNRESET), a web stream's AbortError, undici's "terminated". */
export function isAbortedRequest(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 4; e = (e as Error & { cause?: unknown }).cause, depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    if (e.name === "AbortError" || e.name === "ResponseAborted" || code === "ECONNRESET" || code === "ERR_HTTP_REQUEST_TIMEOUT")
      return true;
    if (e.message === "aborted" || e.message === "terminated") return true;
  }
  return false;
}

export const ERROR_HEADERS = { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" } as const;

/** Headers an error answer carries besides ERROR_HEADERS: `Retry-After` for a rate limit. */
export function errorHeaders(err: unknown): Record<string, string> {
  const retry = isAppError(err) ? err.details?.retryAfterSeconds : undefined;
  return typeof retry === "number" ? { "retry-after": String(retry) } : {};
}
