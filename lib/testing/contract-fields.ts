/**
 * The seeds/003 and seeds/000 field lists, in the contracts' own key order
 * (docs/contracts.md#seeds-003, #seeds-000): every contract test compares against these.
 */
export const HEAD = [
  "id",
  "displayCode",
  "table",
  "customer",
  "createdAt",
  "confirmedAt",
  "ticketNumber",
  "status",
  "paymentMethod",
  "subTotal",
  "discount",
  "surcharge",
  "total",
  "userId",
  "cashRegisterId",
];
export const NEW_ORDER_ITEM = ["id", "quantity", "orderId", "foodId", "unitPrice", "unitSurcharge", "total", "notes"];
export const PRINTER_ITEM = ["id", "quantity", "orderId", "notes", "unitPrice", "unitSurcharge", "total", "food"];
export const REPRINT_ITEM = ["id", "orderId", "foodId", "quantity", "notes", "unitPrice", "unitSurcharge", "total", "food"];
export const CONFIRMED_REF = ["displayCode", "ticketNumber", "id"];
export const ORDER_LIST_DTO = ["id", "partnerName", "partnerImage", "displayNumber", "status", "priority", "activeTimer", "courierName"];
