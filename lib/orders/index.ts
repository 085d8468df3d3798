import "server-only";
export * from "./service";
export * from "./dto";
export { formatMoney, parseMoney, orderTotals, lineTotal } from "./money";
export { businessDay, displayCode } from "./business-day";
export { ORDER_STATUSES, OPEN_STATUSES, STATUS_NAMES, statusFor, canTransition, type OrderStatus } from "./status";
export { recordHeartbeat, flagUnacknowledged, listScreens, type Heartbeat } from "./screens";
