import "server-only";
export { Hub, getHub, setHub, type Subscriber } from "./hub";
export { MemoryBus, RedisBus, type EventBus } from "./bus";
export { handleSse, isSsePath, type SseOptions } from "./handler";
export { readEvents, logPosition, pruneEvents, appendEvent, type LoggedEvent, type EventType } from "../events/log";
export { committedEvents, announceCommitted } from "../events/notify";
export { CHANNEL_EVENT_TYPES, renderFrame, type StreamChannel } from "../projections";
