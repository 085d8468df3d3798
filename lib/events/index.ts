import "server-only";
export {
  appendEvent,
  readEvents,
  logPosition,
  countEvents,
  prunedThrough,
  pruneEvents,
  sequenceEvents,
  sequencePending,
  positionOf,
  snapshotPosition,
  settleSnapshotPosition,
  type AppendedEvent,
  type LoggedEvent,
  type EventType,
} from "./log";
export { committedEvents, announceCommitted } from "./notify";
export { mutate, type Emit, type Trx } from "./mutate";
