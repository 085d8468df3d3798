import "server-only";
export * from "./service";
export * from "./dto";
export { formatMoney, parseMoney, orderTotals, lineTotal } from "./money";
export { businessDay, displayCode } from "./business-day";
export { ORDER_STATUSES, OPEN_STATUSES, STATUS_NAMES, statusFor, canTransition, type OrderStatus } from "./status";
export { recordHeartbeat, flagUnacknowledged, listScreens, type Heartbeat } from "./screens";
export { stationAction, expoBump, expoUndo, fireCourseNow, fireDue } from "./stations";
export { STATION_ACTIONS, UNDO_WINDOW_MS, type LinePart, type PartState, type StationAction } from "./line-state";
export {
  CART_IDLE_MS,
  addCartItem,
  changeCartItem,
  expireCarts,
  getCart,
  loadCart,
  openCart,
  removeCartItem,
  renameCartMember,
  submitCart,
  type CartLineInput,
  type CartLinePatch,
  type SubmitCartInput,
} from "./carts";
export { toCartDto, type CartDto, type CartRecord, type CartItemRecord, type CartMemberRecord } from "./cart-dto";
export { CART_STATUSES, isCartStatus } from "./status";
export { autoConfirmOrder, cancelOverdue, AUTO_CANCEL_REASON } from "./automation";
export { staffCustomerOf, type StaffCustomerDto } from "./customers";
export { getOrderHistory, orderTimeline, type TimelineEntry, type TimelineActor } from "./history";
export { orderInvoicePdf, buildInvoice, includedTaxes, invoiceNumber, type Invoice } from "./invoice";
export {
  assignCourier,
  autoAssignCourier,
  createCourier,
  issueCourierToken,
  listCouriers,
  markDelivery,
  myDeliveries,
  recordCourierLocation,
  recordCourierPosition,
  setMyAvailability,
  updateCourier,
  type CourierDelivery,
  type CourierRecord,
} from "./couriers";
