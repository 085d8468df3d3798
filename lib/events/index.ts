import "server-only";
export {
  appendEvent,
  readEvents,
  logPosition,
  countEvents,
  newEpoch,
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
export { type Actor, type ActorKind, type HistoryRow, guestActor, systemActor, readHistory } from "./history";
