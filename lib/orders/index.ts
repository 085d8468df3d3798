import "server-only";
export * from "./service";
export * from "./dto";
export { formatMoney, parseMoney, orderTotals, lineTotal } from "./money";
export { businessDay, displayCode } from "./business-day";
export { ORDER_STATUSES, OPEN_STATUSES, STATUS_NAMES, statusFor, canTransition, type OrderStatus } from "./status";
export { recordHeartbeat, flagUnacknowledged, listScreens, type Heartbeat } from "./screens";
export { stationAction, expoBump, expoUndo, fireCourseNow, fireDue } from "./stations";
export { STATION_ACTIONS, UNDO_WINDOW_MS, type LinePart, type PartState, type StationAction } from "./line-state";
