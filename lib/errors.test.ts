/** The error renderer: an aborted request body is a 400 and one log line, not a 500 with a stack. */
import { afterEach, expect, it } from "vitest";
import { errorBody, errorHeaders, isAbortedRequest } from "./errors";
import { createLogger, setLogger } from "./log";

/** The process logger (lib/log.ts) writing into a list: one entry per JSON line. */
function captureLog(): string[] {
  const lines: string[] = [];
  setLogger(createLogger({ destination: { write: (chunk: string) => void lines.push(chunk) } }));
  return lines;
}
afterEach(() => setLogger(undefined));

it("an aborted request body is one line in the log and a 400", () => {
  const aborted = Object.assign(new Error("aborted"), { code: "ECONNRESET" });
  expect(isAbortedRequest(aborted)).toBe(true);
  expect(isAbortedRequest(new TypeError("fetch failed", { cause: aborted }))).toBe(true);
  expect(isAbortedRequest(new Error("boom"))).toBe(false);
  const lines = captureLog();
  expect(errorBody(aborted)).toMatchObject({ status: 400, body: { error: { code: "REQUEST_ABORTED" } } });
  expect(lines).toHaveLength(1);
  expect(lines[0]!.trimEnd()).not.toContain("\n");
  const entry = JSON.parse(lines[0]!);
  expect(entry).toMatchObject({ level: "error", msg: "pass: request body aborted by the client (aborted)" });
  expect(entry.err).toBeUndefined();
  expect(errorBody(new Error("boom")).status).toBe(500);
  // The unexpected error's stack is a field of its one line.
  expect(lines).toHaveLength(2);
  expect(lines[1]!.trimEnd().split("\n")).toHaveLength(1);
  expect(JSON.parse(lines[1]!)).toMatchObject({ msg: "pass: unexpected error", err: { message: "boom" } });
});

it("an AppError made by another copy of lib/ (server.ts's limits inside a route bundle) keeps its status, not a 500", async () => {
  // A second instance of the module, as a route bundle beside server.ts has.
  // @ts-expect-error: vite's `?query` loads the file again as another module; TypeScript knows no such path.
  const other = (await import("./errors?another-bundle")) as typeof import("./errors");
  const mine = await import("./errors");
  expect(other.AppError).not.toBe(mine.AppError);
  const spent = new other.AppError(429, "RATE_LIMITED", "too many sign-in attempts; retry in 40 s", { retryAfterSeconds: 40 });
  expect(spent instanceof mine.AppError).toBe(false);
  expect(errorBody(spent)).toEqual({
    status: 429,
    body: { error: { code: "RATE_LIMITED", message: "too many sign-in attempts; retry in 40 s", details: { retryAfterSeconds: 40 } } },
  });
  expect(errorHeaders(spent)).toEqual({ "retry-after": "40" });
  expect(errorBody(new other.ValidationError("path", "malformed percent-encoding")).status).toBe(400);
  // A look-alike without the mark is still an unexpected error.
  captureLog();
  expect(errorBody(Object.assign(new Error("x"), { status: 400, code: "VALIDATION_FAILED" })).status).toBe(500);
});
