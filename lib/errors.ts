/**
 * Typed errors thrown by lib/ and mapped to HTTP responses in one place (lib/http).
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
