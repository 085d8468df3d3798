import "server-only";
import { EventEmitter } from "node:events";
import type { LoggedEvent } from "./log";

/**
 * Committed events are announced here, after their transaction commits. The fan-out hub
 * listens; it treats these as hints and reads the log for anything it missed.
 * On globalThis because route bundles and server.ts each load their own copy of this module.
 */
const KEY = Symbol.for("pass.log-committed");
type G = { [KEY]?: EventEmitter };

export function committedEvents(): EventEmitter {
  const g = globalThis as G;
  if (!g[KEY]) {
    g[KEY] = new EventEmitter();
    g[KEY].setMaxListeners(0);
  }
  return g[KEY];
}

export function announceCommitted(events: readonly LoggedEvent[]): void {
  if (events.length > 0) committedEvents().emit("committed", events);
}
