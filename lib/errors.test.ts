/** The error renderer: an aborted request body is a 400 and one log line, not a 500 with a stack. */
import { expect, it, vi } from "vitest";
import { errorBody, isAbortedRequest } from "./errors";

it("an aborted request body is one line in the log and a 400", () => {
  const aborted = Object.assign(new Error("aborted"), { code: "ECONNRESET" });
  expect(isAbortedRequest(aborted)).toBe(true);
  expect(isAbortedRequest(new TypeError("fetch failed", { cause: aborted }))).toBe(true);
  expect(isAbortedRequest(new Error("boom"))).toBe(false);
  const log = vi.spyOn(console, "error").mockImplementation(() => {});
  try {
    expect(errorBody(aborted)).toMatchObject({ status: 400, body: { error: { code: "REQUEST_ABORTED" } } });
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0]).toHaveLength(1);
    expect(String(log.mock.calls[0]![0])).not.toContain("\n");
    expect(errorBody(new Error("boom")).status).toBe(500);
  } finally {
    log.mockRestore();
  }
});
