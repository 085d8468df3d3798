import "server-only";
import { EventEmitter } from "node:events";
import type { Db } from "../db";
import { processSlot } from "../process";
import type { LoggedEvent } from "./log";

/**
 * Committed events are announced here, after their transaction commits; realtime publishes
 * them on the bus. In the process slot (lib/process.ts) because route bundles and server.ts
 * each load their own copy of this module and must share one notifier.
 */
export function committedEvents(): EventEmitter {
  const slot = processSlot();
  if (!slot.commits) {
    const emitter = new EventEmitter();
    emitter.setMaxListeners(0);
    slot.commits = emitter;
  }
  return slot.commits as EventEmitter;
}

/**
 * `db` says which log the events belong to: a process may hold more than one database (the
 * CLI, tests of two deployments), and a node publishes only its own log's commits.
 */
export function announceCommitted(events: readonly LoggedEvent[], db: Db): void {
  if (events.length > 0) committedEvents().emit("committed", events, db);
}
