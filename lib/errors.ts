/**
 * Typed errors thrown by lib/ and rendered in one place: `errorBody` below, used by REST
 * (lib/http), every stream transport (lib/realtime/transport.ts), /ws and upstream mode.
 * The body is always `{ error: { code, message, details? } }`.
 */
export type ErrorDetails = Record<string, unknown>;

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetails,
  ) {
    super(message);
    this.name = new.target.name;
  }
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
  if (err instanceof AppError) {
    return {
      status: err.status,
      body: { error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } },
    };
  }
  console.error("pass: unexpected error", err);
  return { status: 500, body: { error: { code: "INTERNAL", message: "internal error" } } };
}

export const ERROR_HEADERS = { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" } as const;

/** Headers an error answer carries besides ERROR_HEADERS: `Retry-After` for a rate limit. */
export function errorHeaders(err: unknown): Record<string, string> {
  const retry = err instanceof AppError ? err.details?.retryAfterSeconds : undefined;
  return typeof retry === "number" ? { "retry-after": String(retry) } : {};
}
