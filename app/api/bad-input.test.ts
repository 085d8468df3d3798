/**
 * The bad-input corpus (issue "Security hardening", item 4): every value the storage would
 * refuse or mangle — NUL and other control characters, ids past int4, money past its column,
 * blank names, overlong text, malformed JSON or percent-encoding — sent to every route handler
 * and to the realtime endpoints, on SQLite and PostgreSQL. Each answer is a 4xx naming the
 * field (paths that name no row are 404), never a 5xx, and nothing is written.
 *
 * Adding a route or a field is one line in ROUTES or in the case lists below.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { logPosition } from "@/lib/events/log";
import { describeEachDatabase } from "@/lib/testing/each-database";
import { makePartner, makeToken, makeUser, type TestPartner } from "@/lib/testing/fixtures";
import { startTestNode, type TestNode } from "@/lib/testing/node";
import * as loginRoute from "./auth/login/route";
import * as foodRoute from "./foods/[id]/route";
import * as menuRoute from "./menu/route";
import * as confirmRoute from "./orders/[id]/confirm/route";
import * as courierRoute from "./orders/[id]/courier/route";
import * as reprintRoute from "./orders/[id]/reprint/route";
import * as orderRoute from "./orders/[id]/route";
import * as statusRoute from "./orders/[id]/status/route";
import * as ordersRoute from "./orders/route";
import * as stationsRoute from "./stations/route";
import * as stationRoute from "./stations/[id]/route";
import * as categoriesRoute from "./categories/route";
import * as categoryRoute from "./categories/[id]/route";
import * as foodsRoute from "./foods/route";
import * as foodAvailabilityRoute from "./foods/[id]/availability/route";
import * as foodsReorderRoute from "./foods/reorder/route";
import * as manageRoute from "./menu/manage/route";
import * as groupsRoute from "./modifier-groups/route";
import * as groupRoute from "./modifier-groups/[id]/route";
import * as optionsRoute from "./modifier-groups/[id]/options/route";
import * as optionRoute from "./modifier-groups/[id]/options/[optionId]/route";
import * as optionAvailabilityRoute from "./modifier-groups/[id]/options/[optionId]/availability/route";
import * as optionsReorderRoute from "./modifier-groups/[id]/options/reorder/route";
import { createGroup } from "@/lib/menu";
import * as heartbeatRoute from "./screens/heartbeat/route";
import * as deviceRoute from "./devices/[id]/route";
import * as partnerRoute from "./partners/[slug]/route";
import * as partnerUsersRoute from "./partners/[slug]/users/route";
import * as partnerDevicesRoute from "./partners/[slug]/devices/route";
import * as partnerCouriersRoute from "./partners/[slug]/couriers/route";
import * as pairingsRoute from "./partners/[slug]/pairings/route";
import * as userRoute from "./users/[id]/route";
import { createLimits, scaledRules, setLimits } from "@/lib/limits";

const ORIGIN = "http://pass.test";
type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

// --- the values ------------------------------------------------------------------------------

const CONTROL = { NUL: "a\u0000b", SOH: "a\u0001b", ESC: "a\u001bb", DEL: "a\u007fb", "lone surrogate": "a\ud800b" };
const LINE_BREAKS = { LF: "a\nb", CR: "a\rb", TAB: "a\tb" };
const BLANK = { spaces: "   ", tabs: "\t\t" };
const overlong = (n: number) => "x".repeat(n + 1);
const BAD_PATH_IDS = ["2147483648", "9007199254740993", "-1", "1e3", "abc", "0", "1.5", "\u0000", "", " 1"];
const BAD_MONEY = ["21474836.48", "100000", "99999.991", "1e9", "-1", "1.234", "abc", "", "0x10", "\u0000"];
const BAD_QUANTITIES: unknown[] = [0, 1e6, 100, -1, 1.5, "2", null, 2147483648];
/** Whole numbers the menu bounds (prep minutes, group min/max): past int4, negative, fractional, wrong types. */
const BAD_COUNTS: unknown[] = [2147483648, 2 ** 53 + 2, 1e300, -1, 1.5, "1", true, [1], { n: 1 }];
const BAD_SIGNED_MONEY = ["1.234", "--1", "+-1", "abc", "", "1e3", "0x10", "\u0000", "100000", "-100000", "1".repeat(18)];
const countCases = (field: string, values: unknown[] = BAD_COUNTS) =>
  values.map((value) => ({ label: `${field}: ${JSON.stringify(value)}`, field, value }));
const typeCases = (field: string, values: unknown[]) =>
  values.map((value) => ({ label: `${field}: ${JSON.stringify(value)}`, field, value }));
/** A list of ids where each entry is text: the corpus's text cases for entry 0, sent as a one-element list. */
const idListCases = (field: string, max = 64) =>
  textCases(`${field}.0`, max, { blank: true }).map((c) => ({ ...c, value: [c.value], field: `${field}.0` }));

const textCases = (field: string, max: number, { blank = false, multiline = false } = {}) => [
  ...Object.entries(CONTROL).map(([label, value]) => ({ label: `${field}: ${label}`, field, value })),
  ...(multiline ? [] : Object.entries(LINE_BREAKS).map(([label, value]) => ({ label: `${field}: ${label}`, field, value }))),
  ...(blank ? Object.entries(BLANK).map(([label, value]) => ({ label: `${field}: ${label}`, field, value })) : []),
  { label: `${field}: ${max + 1} characters`, field, value: overlong(max) },
];

/** Query parameters: a URL cannot carry a lone surrogate (it arrives as U+FFFD), so those cases are left out. */
const queryTextCases = (field: string, max: number, options?: { blank?: boolean }) =>
  textCases(field, max, options)
    .filter((c) => !c.label.endsWith("lone surrogate"))
    .map((c) => ({ ...c, value: String(c.value) }));

// --- the routes ------------------------------------------------------------------------------

type Auth = "anonymous" | "operator";
type Route = {
  name: string;
  handler: Handler;
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /** Further path parameters, always valid (an option's group). */
  params?: (ctx: Ctx) => Record<string, string>;
  auth: Auth;
  /** A body the route accepts (the bad value replaces one field of it). */
  body?: (ctx: Ctx) => Record<string, unknown>;
  /** The path parameter, when the route has one. */
  param?: { name: string; valid: (ctx: Ctx) => string };
  /** Query parameters the route reads, with a valid value each. */
  query?: Record<string, string>;
  /** Bad values per body field (dotted paths); `names` when the answer names a field inside `value`. */
  fields?: { label: string; field: string; value: unknown; names?: string }[];
  /** Bad values per query parameter. */
  queryCases?: { label: string; field: string; value: string }[];
};
type Ctx = { demo: TestPartner; orderId: number; stationId: string; groupId: string; optionId: string; userId: string; deviceId: string };

const orderBody = ({ demo }: Ctx) => ({
  partner: "demo",
  table: "3",
  customer: "Ann",
  items: [{ foodId: demo.food("Fries").id, quantity: 1 }],
});
const idParam = { name: "id", valid: ({ orderId }: Ctx) => String(orderId) };

const ROUTES: Route[] = [
  {
    name: "POST /api/auth/login",
    handler: loginRoute.POST as Handler,
    method: "POST",
    auth: "anonymous",
    body: () => ({ username: "op", password: "fixture-pass-4821" }),
    fields: [
      ...textCases("username", 64, { blank: true }),
      { label: "password: NUL", field: "password", value: "pass\u0000word" },
      { label: "password: 257 characters", field: "password", value: overlong(256) },
    ],
  },
  {
    name: "POST /api/orders",
    handler: ordersRoute.POST as Handler,
    method: "POST",
    auth: "anonymous",
    body: orderBody,
    fields: [
      ...textCases("partner", 64, { blank: true }),
      ...textCases("table", 32),
      ...textCases("customer", 100),
      ...textCases("items.0.foodId", 64, { blank: true }),
      ...textCases("items.0.notes", 500, { multiline: true }),
      ...BAD_QUANTITIES.map((value) => ({ label: `items.0.quantity: ${JSON.stringify(value)}`, field: "items.0.quantity", value })),
      // The menu model's order fields (issue "The menu" item 5).
      ...typeCases("items.0.modifiers", ["x", {}, 1]),
      { label: "items.0.modifiers: [1]", field: "items.0.modifiers", value: [1], names: "items.0.modifiers.0" },
      ...textCases("groupId", 64, { blank: true }).map((c) => ({
        label: `items.0.modifiers.0.${c.label}`,
        field: "items.0.modifiers",
        value: [{ groupId: c.value, optionIds: ["x"] }],
        names: "items.0.modifiers.0.groupId",
      })),
      ...textCases("optionIds.0", 64, { blank: true }).map((c) => ({
        label: `items.0.modifiers.0.${c.label}`,
        field: "items.0.modifiers",
        value: [{ groupId: "g", optionIds: [c.value] }],
        names: "items.0.modifiers.0.optionIds.0",
      })),
      {
        label: "items.0.modifiers.0.groupId: not a group of the food",
        field: "items.0.modifiers",
        value: [{ groupId: "no-such-group", optionIds: [] }],
        names: "items.0.modifiers.0.groupId",
      },
      ...countCases("items.0.course", [0, 10, 1.5, "1", 2147483648, null]),
      ...typeCases("serviceType", ["drive-thru", "DINE-IN", 1, "\u0000"]),
      ...typeCases("promisedAt", ["tomorrow", "2026-13-01T00:00:00Z", 1, "2026-01-01T00:00:00Z\u0000"]),
      ...idListCases("allergies.codes", 32),
      { label: "allergies.codes.0: unknown code", field: "allergies.codes.0", value: "nutz" },
      { label: "allergies.codes: 15 codes", field: "allergies.codes", value: Array.from({ length: 15 }, () => "milk") },
      ...textCases("allergies.note", 200),
      { label: "allergies: a list", field: "allergies", value: ["peanuts"] },
      // The guest's contact (issue "Jobs and notifications" item 4, lib/orders/customers.ts).
      ...textCases("customerPhone", 32),
      ...typeCases("customerPhone", ["not a phone", "+1 555", "12", 5551234]),
      ...textCases("customerEmail", 254),
      ...typeCases("customerEmail", ["nope", "a@b", "a b@example.com", "@example.com", 1]),
      ...typeCases("marketingConsent", ["yes", 1, null]),
      { label: "marketingConsent: true without a phone or an email", field: "marketingConsent", value: true },
    ],
  },
  {
    name: "GET /api/orders",
    handler: ordersRoute.GET as Handler,
    method: "GET",
    auth: "operator",
    queryCases: [
      ...queryTextCases("status", 200),
      { label: "status: unknown", field: "status", value: "NOPE" },
      { label: "since: not a date", field: "since", value: "yesterday" },
      { label: "since: NUL", field: "since", value: "2026-01-01T00:00:00Z\u0000" },
      ...queryTextCases("partner", 64),
    ],
  },
  {
    name: "GET /api/menu",
    handler: menuRoute.GET as Handler,
    method: "GET",
    auth: "anonymous",
    query: { partner: "demo" },
    queryCases: [...queryTextCases("partner", 64, { blank: true }), { label: "soldOut: not 0 or 1", field: "soldOut", value: "yes" }],
  },
  { name: "GET /api/orders/[id]", handler: orderRoute.GET as Handler, method: "GET", auth: "operator", param: idParam },
  {
    name: "POST /api/orders/[id]/confirm",
    handler: confirmRoute.POST as Handler,
    method: "POST",
    auth: "operator",
    param: idParam,
    body: () => ({ paymentMethod: "CASH" }),
    fields: [
      ...BAD_MONEY.map((value) => ({ label: `discount: ${JSON.stringify(value)}`, field: "discount", value })),
      { label: "discount: a number", field: "discount", value: 5 },
      ...typeCases("discountPercent", [101, -1, "10", 1e300, 10.555, null, "10%"]),
      ...BAD_MONEY.map((value) => ({ label: `tendered: ${JSON.stringify(value)}`, field: "tendered", value })),
      { label: "tendered: below the total", field: "tendered", value: "0.01" },
      { label: "payments: one payment", field: "payments", value: [{ method: "CASH", amount: "1" }] },
      {
        label: "payments: amounts that do not sum to the total",
        field: "payments",
        value: [
          { method: "CASH", amount: "0.01" },
          { method: "CARD", amount: "0.01" },
        ],
      },
      {
        label: "payments.0.amount: NUL",
        field: "payments",
        value: [
          { method: "CASH", amount: "1\u0000" },
          { method: "CARD", amount: "1" },
        ],
        names: "payments.0.amount",
      },
      {
        label: "payments.1.tendered: on a card payment",
        field: "payments",
        value: [
          { method: "CASH", amount: "1" },
          { method: "CARD", amount: "1", tendered: "5" },
        ],
        names: "payments.1.tendered",
      },
      ...textCases("cashRegisterId", 64, { blank: true }),
    ],
  },
  {
    name: "POST /api/orders/[id]/status",
    handler: statusRoute.POST as Handler,
    method: "POST",
    auth: "operator",
    param: idParam,
    body: () => ({ status: "CANCELLED", reason: "test" }),
    fields: [...textCases("reason", 200), { label: "status: NUL", field: "status", value: "CANCELLED\u0000" }],
  },
  {
    name: "POST /api/orders/[id]/reprint",
    handler: reprintRoute.POST as Handler,
    method: "POST",
    auth: "operator",
    param: idParam,
    body: () => ({ orderItemIds: [], receipt: true }),
    fields: [
      ...textCases("orderItemIds.0", 64, { blank: true }).map((c) => ({ ...c, field: "orderItemIds.0", value: [c.value] })),
      { label: "orderItemIds: 101 ids", field: "orderItemIds", value: Array.from({ length: 101 }, () => "x") },
    ],
  },
  {
    name: "POST /api/orders/[id]/courier",
    handler: courierRoute.POST as Handler,
    method: "POST",
    auth: "operator",
    param: idParam,
    body: () => ({ courierName: "Bob" }),
    fields: textCases("courierName", 80, { blank: true }),
  },
  {
    name: "PATCH /api/foods/[id]",
    handler: foodRoute.PATCH as Handler,
    method: "PATCH",
    auth: "operator",
    param: { name: "id", valid: ({ demo }) => demo.food("Fries").id },
    body: () => ({ available: true }),
    fields: [
      ...textCases("name", 100, { blank: true }),
      ...textCases("category", 64, { blank: true }),
      ...textCases("station", 64, { blank: true }),
      ...BAD_MONEY.map((value) => ({ label: `price: ${JSON.stringify(value)}`, field: "price", value })),
      ...BAD_MONEY.map((value) => ({ label: `surcharge: ${JSON.stringify(value)}`, field: "surcharge", value })),
    ],
  },
  // --- the menu API (issue "The menu") ---
  {
    name: "POST /api/stations",
    handler: stationsRoute.POST as Handler,
    method: "POST",
    auth: "operator",
    body: () => ({ partner: "demo", key: "wok", name: "Wok" }),
    fields: [
      ...textCases("partner", 64, { blank: true }),
      ...textCases("key", 32, { blank: true }),
      ...typeCases("key", ["Wok Station", "-wok", "WOK"]),
      ...textCases("name", 64, { blank: true }),
      ...countCases("prepMinutes", [...BAD_COUNTS, 0, 241]),
    ],
  },
  {
    name: "PATCH /api/stations/[id]",
    handler: stationRoute.PATCH as Handler,
    method: "PATCH",
    auth: "operator",
    param: { name: "id", valid: ({ stationId }) => stationId },
    body: () => ({ name: "Oven 2" }),
    fields: [...textCases("name", 64, { blank: true }), ...countCases("prepMinutes", [...BAD_COUNTS, 0, 241])],
  },
  {
    name: "POST /api/categories",
    handler: categoriesRoute.POST as Handler,
    method: "POST",
    auth: "operator",
    body: () => ({ partner: "demo", name: "Soups" }),
    fields: [...textCases("partner", 64, { blank: true }), ...textCases("name", 64, { blank: true })],
  },
  {
    name: "PATCH /api/categories/[id]",
    handler: categoryRoute.PATCH as Handler,
    method: "PATCH",
    auth: "operator",
    param: { name: "id", valid: ({ demo }) => demo.food("Fries").categoryId! },
    body: () => ({ name: "Sides 2" }),
    fields: textCases("name", 64, { blank: true }),
  },
  {
    name: "POST /api/foods",
    handler: foodsRoute.POST as Handler,
    method: "POST",
    auth: "operator",
    body: ({ demo }) => ({ partner: "demo", name: "Soup", price: "5", categoryId: demo.food("Fries").categoryId, station: "fryer" }),
    fields: [
      ...textCases("partner", 64, { blank: true }),
      ...textCases("name", 100, { blank: true }),
      ...textCases("description", 500, { multiline: true }),
      ...textCases("imageUrl", 500),
      ...typeCases("imageUrl", ["javascript:alert(1)", "data:text/html,x", "ftp://x"]),
      ...textCases("categoryId", 64, { blank: true }),
      ...textCases("station", 32, { blank: true }),
      { label: "station: not the partner's", field: "station", value: "wok" },
      ...BAD_MONEY.map((value) => ({ label: `price: ${JSON.stringify(value)}`, field: "price", value })),
      ...BAD_MONEY.map((value) => ({ label: `surcharge: ${JSON.stringify(value)}`, field: "surcharge", value })),
      ...typeCases("price", [5, null, ["5"]]),
      ...countCases("prepMinutes", [...BAD_COUNTS, 0, 241]),
      ...idListCases("allergens", 32),
      { label: "allergens.0: unknown code", field: "allergens.0", value: ["nutz"] },
      ...typeCases("allergens", ["milk", 1]),
      ...typeCases("available", ["yes", 1, null]),
      ...idListCases("modifierGroupIds"),
      { label: "modifierGroupIds.0: unknown", field: "modifierGroupIds.0", value: ["no-such-group"] },
    ],
  },
  {
    name: "POST /api/foods/[id]/availability",
    handler: foodAvailabilityRoute.POST as Handler,
    method: "POST",
    auth: "operator",
    param: { name: "id", valid: ({ demo }) => demo.food("Fries").id },
    body: () => ({ available: false, until: "end-of-day" }),
    fields: [...typeCases("available", ["no", 0, null, "\u0000"]), ...typeCases("until", ["tomorrow", "\u0000", 1, "END-OF-DAY"])],
  },
  {
    name: "POST /api/foods/reorder",
    handler: foodsReorderRoute.POST as Handler,
    method: "POST",
    auth: "operator",
    body: ({ demo }) => ({ partner: "demo", ids: [demo.food("Fries").id] }),
    fields: [
      ...textCases("partner", 64, { blank: true }),
      ...idListCases("ids"),
      { label: "ids.0: unknown", field: "ids.0", value: ["no-such-food"] },
      ...typeCases("ids", ["x", [], null, Array.from({ length: 501 }, (_, i) => `f${i}`)]),
    ],
  },
  {
    name: "GET /api/menu/manage",
    handler: manageRoute.GET as Handler,
    method: "GET",
    auth: "operator",
    query: { partner: "demo" },
    queryCases: queryTextCases("partner", 64, { blank: true }),
  },
  {
    name: "POST /api/modifier-groups",
    handler: groupsRoute.POST as Handler,
    method: "POST",
    auth: "operator",
    body: () => ({ partner: "demo", name: "Size", min: 0, max: 1 }),
    fields: [
      ...textCases("partner", 64, { blank: true }),
      ...textCases("name", 64, { blank: true }),
      ...countCases("min", [...BAD_COUNTS, 21, null]),
      ...countCases("max", [...BAD_COUNTS, 0, 21, null]),
      ...textCases("options.0.name", 64, { blank: true }),
      ...[
        ...BAD_SIGNED_MONEY.map((value) => ({
          label: `priceDelta: ${JSON.stringify(value)}`,
          option: { priceDelta: value },
          at: "priceDelta",
        })),
        { label: "station: not the partner's", option: { station: "wok" }, at: "station" },
        ...textCases("station", 32, { blank: true }).map((c) => ({ label: c.label, option: { station: c.value }, at: "station" })),
        { label: "allergens.0: unknown", option: { allergens: ["nutz"] }, at: "allergens.0" },
        ...textCases("allergens.0", 32, { blank: true }).map((c) => ({
          label: c.label,
          option: { allergens: [c.value] },
          at: "allergens.0",
        })),
      ].map((c) => ({ label: `options.0.${c.label}`, field: "options", value: [{ name: "a", ...c.option }], names: `options.0.${c.at}` })),
      ...typeCases("options", ["x", { name: "a" }, Array.from({ length: 51 }, () => ({ name: "a" }))]),
    ],
  },
  {
    name: "PATCH /api/modifier-groups/[id]",
    handler: groupRoute.PATCH as Handler,
    method: "PATCH",
    auth: "operator",
    param: { name: "id", valid: ({ groupId }) => groupId },
    body: () => ({ name: "Sides 2" }),
    fields: [
      ...textCases("name", 64, { blank: true }),
      ...countCases("min", [...BAD_COUNTS, 21]),
      ...countCases("max", [...BAD_COUNTS, 0, 21]),
    ],
  },
  {
    name: "POST /api/modifier-groups/[id]/options",
    handler: optionsRoute.POST as Handler,
    method: "POST",
    auth: "operator",
    param: { name: "id", valid: ({ groupId }) => groupId },
    body: () => ({ name: "Large" }),
    fields: [
      ...textCases("name", 64, { blank: true }),
      ...BAD_SIGNED_MONEY.map((value) => ({ label: `priceDelta: ${JSON.stringify(value)}`, field: "priceDelta", value })),
      ...typeCases("priceDelta", [1, null]),
      ...textCases("station", 32, { blank: true }),
      { label: "station: not the partner's", field: "station", value: "wok" },
      ...idListCases("allergens", 32),
      { label: "allergens.0: unknown", field: "allergens.0", value: ["nutz"] },
      ...typeCases("available", ["yes", 1]),
    ],
  },
  {
    name: "PATCH /api/modifier-groups/[id]/options/[optionId]",
    handler: optionRoute.PATCH as Handler,
    method: "PATCH",
    auth: "operator",
    params: ({ groupId }) => ({ id: groupId }),
    param: { name: "optionId", valid: ({ optionId }) => optionId },
    body: () => ({ name: "Large" }),
    fields: [
      ...textCases("name", 64, { blank: true }),
      ...BAD_SIGNED_MONEY.map((value) => ({ label: `priceDelta: ${JSON.stringify(value)}`, field: "priceDelta", value })),
      { label: "station: not the partner's", field: "station", value: "wok" },
      ...idListCases("allergens", 32),
    ],
  },
  {
    name: "POST /api/modifier-groups/[id]/options/[optionId]/availability",
    handler: optionAvailabilityRoute.POST as Handler,
    method: "POST",
    auth: "operator",
    params: ({ groupId }) => ({ id: groupId }),
    param: { name: "optionId", valid: ({ optionId }) => optionId },
    body: () => ({ available: false }),
    fields: [...typeCases("available", ["no", 0, null]), ...typeCases("until", ["tomorrow", "\u0000"])],
  },
  {
    name: "POST /api/modifier-groups/[id]/options/reorder",
    handler: optionsReorderRoute.POST as Handler,
    method: "POST",
    auth: "operator",
    param: { name: "id", valid: ({ groupId }) => groupId },
    body: ({ optionId }) => ({ ids: [optionId] }),
    fields: [...idListCases("ids"), { label: "ids.0: unknown", field: "ids.0", value: ["no-such-option"] }, ...typeCases("ids", ["x", []])],
  },
  {
    name: "POST /api/screens/heartbeat",
    handler: heartbeatRoute.POST as Handler,
    method: "POST",
    auth: "operator",
    body: () => ({ screenId: "bad-input-screen", screen: "kitchen", lastEventId: null, soundUnlocked: true, awake: true }),
    fields: [
      ...textCases("screen", 40, { blank: true }),
      { label: "lastEventId: past int4", field: "lastEventId", value: 2147483648 },
      { label: "shownOrderIds.0: past int4", field: "shownOrderIds.0", value: 2147483648 },
      { label: "shownOrderIds.0: 0", field: "shownOrderIds.0", value: 0 },
      ...typeCases("deviceId", ["short", "bad id with spaces", "x".repeat(65), 1, null]),
      ...typeCases("visible", ["yes", 1, null]),
      ...typeCases("closing", ["yes", 1, null]),
      ...typeCases("pageId", ["short", "bad id with spaces", 1, null]),
    ],
  },
  // --- the back office (issue "Cashier and back office" item 2) ---
  {
    name: "PATCH /api/partners/[slug]",
    handler: partnerRoute.PATCH as Handler,
    method: "PATCH",
    auth: "operator",
    param: { name: "slug", valid: () => "demo" },
    body: () => ({ name: "Partner demo" }),
    fields: [
      ...textCases("name", 100, { blank: true }),
      ...textCases("imageUrl", 500),
      ...textCases("timezone", 64, { blank: true }),
      ...textCases("currency", 3, { blank: true }),
      ...textCases("locale", 35, { blank: true }),
      ...countCases("cutoverHour"),
      ...countCases("kitchenAckSeconds"),
      ...countCases("autoConfirmSeconds"),
      ...countCases("autoCancelMinutes"),
      ...typeCases("defaultPaymentMethod", ["BITCOIN", 1, null, ""]),
      ...typeCases("expoConfirms", ["yes", 1, null]),
      ...idListCases("autoConfirmSources", 16),
      ...idListCases("tables", 20),
      { label: "autoConfirmSources.0: unknown source", field: "autoConfirmSources.0", value: ["fax"] },
      { label: "currency: unknown", field: "currency", value: "QQQ" },
      { label: "locale: unknown", field: "locale", value: "zz-not-a-locale-1" },
      { label: "timezone: unknown", field: "timezone", value: "Mars/Base" },
    ],
  },
  {
    name: "POST /api/partners/[slug]/users",
    handler: partnerUsersRoute.POST as Handler,
    method: "POST",
    auth: "operator",
    param: { name: "slug", valid: () => "demo" },
    body: () => ({ username: "new-cook", role: "kitchen", password: "fixture-pass-4821" }),
    fields: [
      ...textCases("username", 64, { blank: true }),
      { label: "password: NUL", field: "password", value: "pass\u0000word-long" },
      { label: "password: 257 characters", field: "password", value: overlong(256) },
      { label: "password: too short", field: "password", value: "short" },
      ...typeCases("role", ["root", 1, null]),
    ],
  },
  {
    name: "PATCH /api/users/[id]",
    handler: userRoute.PATCH as Handler,
    method: "PATCH",
    auth: "operator",
    param: { name: "id", valid: ({ userId }) => userId },
    body: () => ({ disabled: false }),
    fields: [
      { label: "password: NUL", field: "password", value: "pass\u0000word-long" },
      { label: "password: 257 characters", field: "password", value: overlong(256) },
      { label: "password: common", field: "password", value: "password123" },
      ...typeCases("role", ["root", 1]),
      ...typeCases("disabled", ["yes", 1]),
    ],
  },
  {
    name: "PATCH /api/devices/[id]",
    handler: deviceRoute.PATCH as Handler,
    method: "PATCH",
    auth: "operator",
    param: { name: "id", valid: ({ deviceId }) => deviceId },
    body: () => ({ name: "Grill TV" }),
    fields: [...textCases("name", 80, { blank: true })],
  },
  {
    name: "POST /api/partners/[slug]/devices",
    handler: partnerDevicesRoute.POST as Handler,
    method: "POST",
    auth: "operator",
    param: { name: "slug", valid: () => "demo" },
    body: () => ({ name: "Bar printer", role: "printer" }),
    fields: [...textCases("name", 80, { blank: true }), ...typeCases("role", ["root", 1, null]), ...countCases("expiresInDays")],
  },
  {
    name: "POST /api/partners/[slug]/couriers",
    handler: partnerCouriersRoute.POST as Handler,
    method: "POST",
    auth: "operator",
    param: { name: "slug", valid: () => "demo" },
    body: () => ({ name: "Sam", phone: "+44 20 7946 0958" }),
    fields: [
      ...textCases("name", 80, { blank: true }),
      ...textCases("phone", 32, { blank: true }),
      ...["123", "not a phone", "+1", "+44 20 7946 0958 0958"].map((value) => ({ label: `phone: ${value}`, field: "phone", value })),
      ...typeCases("available", ["yes", 1, null]),
    ],
  },
  {
    name: "POST /api/partners/[slug]/pairings",
    handler: pairingsRoute.POST as Handler,
    method: "POST",
    auth: "operator",
    param: { name: "slug", valid: () => "demo" },
    body: () => ({ code: "ABCDEFGH", role: "kitchen", name: "Grill TV" }),
    fields: [
      ...textCases("code", 20, { blank: true }),
      ...textCases("name", 80, { blank: true }),
      ...textCases("station", 32, { blank: true }),
      ...typeCases("role", ["root", 1, null]),
      { label: "code: malformed", field: "code", value: "AB" },
    ],
  },
];

/** Bodies that are not the object the route reads: refused as `body`. */
const BAD_BODIES = ["", "{", "not json", "null", "42", '"text"', "[]", "[{}]", "true"];

function setField(body: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(body);
  const keys = path.split(".");
  let target: any = copy;
  for (const k of keys.slice(0, -1)) {
    target[k] ??= /^\d+$/.test(keys[keys.indexOf(k) + 1] ?? "") ? [] : {};
    target = target[k];
  }
  target[keys.at(-1)!] = value;
  return copy;
}

// --- the run ---------------------------------------------------------------------------------

describeEachDatabase("bad-input corpus", (t) => {
  const ctx = {} as Ctx;
  let cookie: string;

  async function call(
    route: Route,
    { body, rawBody, query, param }: { body?: unknown; rawBody?: string; query?: Record<string, string>; param?: string },
  ) {
    const qs = query ? `?${new URLSearchParams(query)}` : "";
    const headers: Record<string, string> = { host: "pass.test", "content-type": "application/json" };
    if (route.auth === "operator") Object.assign(headers, { cookie, origin: ORIGIN });
    const sendsBody = route.method !== "GET";
    const req = new Request(`${ORIGIN}/x${qs}`, {
      method: route.method,
      headers,
      body: sendsBody ? (rawBody ?? JSON.stringify(body ?? route.body?.(ctx) ?? {})) : undefined,
    });
    const params = { ...route.params?.(ctx), ...(route.param ? { [route.param.name]: param ?? route.param.valid(ctx) } : {}) };
    const res = await route.handler(req, { params: Promise.resolve(params) });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : null };
  }

  async function snapshot() {
    const orders = await t.db
      .selectFrom("orders")
      .select((eb) => eb.fn.countAll().as("n"))
      .executeTakeFirstOrThrow();
    return { events: (await logPosition({ db: t.db })).lastEventId, orders: Number(orders.n) };
  }

  async function expectRefused(run: () => Promise<{ status: number; json: any }>, field: string | null, status?: number) {
    const before = await snapshot();
    const res = await run();
    expect(res.status, JSON.stringify(res.json)).toBeGreaterThanOrEqual(400);
    expect(res.status, JSON.stringify(res.json)).toBeLessThan(500);
    if (status) expect(res.status).toBe(status);
    expect(res.json?.error?.code).toEqual(expect.any(String));
    if (field !== null) expect(res.json.error.details?.field, JSON.stringify(res.json)).toBe(field);
    expect(await snapshot()).toEqual(before);
  }

  beforeAll(async () => {
    ctx.demo = await makePartner(t.db, "demo");
    const { principal } = await makeUser(t.db, { partnerId: ctx.demo.partner.id, role: "operator", username: "op" });
    ctx.stationId = (await t.db
      .selectFrom("stations")
      .select("id")
      .where("partnerId", "=", ctx.demo.partner.id)
      .executeTakeFirstOrThrow())!.id;
    const group = await createGroup({
      db: t.db,
      principal,
      input: { partner: "demo", name: "Sides", min: 0, max: 1, options: [{ name: "Salad" }] },
    });
    ctx.groupId = group.id;
    ctx.userId = principal.kind === "user" ? principal.userId : "";
    ctx.deviceId = (await makeToken(t.db, { partnerId: ctx.demo.partner.id, role: "kitchen" })).id;
    // The corpus sends dozens of claims as one operator; the claim limit itself is tested in back-office.test.ts.
    setLimits(createLimits({ rules: scaledRules(1000) }));
    ctx.optionId = group.options[0]!.id;
    const login = await loginRoute.POST(
      new Request(`${ORIGIN}/api/auth/login`, { method: "POST", body: JSON.stringify({ username: "op", password: "fixture-pass-4821" }) }),
      {
        params: Promise.resolve({}),
      } as never,
    );
    cookie = login.headers.get("set-cookie")!.split(";")[0]!;
    const placed = await ordersRoute.POST(new Request(`${ORIGIN}/api/orders`, { method: "POST", body: JSON.stringify(orderBody(ctx)) }), {
      params: Promise.resolve({}),
    } as never);
    ctx.orderId = ((await placed.json()) as { id: number }).id;
    // The most expensive food a menu may hold, for the order-total overflow case.
    const patched = await call(ROUTES.find((r) => r.name === "PATCH /api/foods/[id]")!, {
      body: { price: "99999.99", surcharge: "99999.99" },
      param: ctx.demo.food("Lemonade").id,
    });
    expect(patched.status).toBe(200);
  });

  for (const route of ROUTES) {
    describe(route.name, () => {
      for (const c of route.fields ?? []) {
        it(`400 ${c.label}`, () =>
          expectRefused(() => call(route, { body: setField(route.body!(ctx), c.field, c.value) }), c.names ?? c.field, 400));
      }
      if (route.body) {
        for (const raw of BAD_BODIES) {
          it(`400 body ${JSON.stringify(raw)}`, () => expectRefused(() => call(route, { rawBody: raw }), "body", 400));
        }
        it("400 an unknown field, named", () =>
          expectRefused(() => call(route, { body: { ...route.body!(ctx), extra: 1 } }), "extra", 400));
      }
      for (const c of route.queryCases ?? []) {
        it(`400 ?${c.label}`, () => expectRefused(() => call(route, { query: { ...route.query, [c.field]: c.value } }), c.field, 400));
      }
      if (route.param) {
        for (const id of BAD_PATH_IDS) {
          it(`404 path ${JSON.stringify(id)}`, () => expectRefused(() => call(route, { param: id }), null, 404));
        }
      }
    });
  }

  it("400 an order whose total would pass the integer column, naming items", () =>
    expectRefused(
      () =>
        call(ROUTES.find((r) => r.name === "POST /api/orders")!, {
          body: { partner: "demo", items: Array.from({ length: 100 }, () => ({ foodId: ctx.demo.food("Lemonade").id, quantity: 99 })) },
        }),
      "items",
      400,
    ));

  describe("realtime endpoints", () => {
    let node: TestNode;
    beforeAll(async () => {
      node = await startTestNode({ db: t.db });
      return () => node.close();
    });

    const STREAM_CASES: { path: string; field: string; auth?: boolean }[] = [
      { path: "/api/events/%E0%A4%A", field: "path" },
      { path: "/events/%E0%A4%A", field: "path" },
      { path: "/api/events/%", field: "path" },
      { path: "/api/events/%00", field: "channel" },
      { path: "/api/events/kitchen%00", field: "channel" },
      { path: "/api/events/kitchen?partner=%00", field: "partner", auth: true },
      { path: "/api/events/kitchen?partner=a%01b", field: "partner", auth: true },
      { path: `/api/events/kitchen?partner=${overlong(64)}`, field: "partner", auth: true },
      { path: "/api/events/kitchen?view=%00", field: "view", auth: true },
      { path: "/api/events/kitchen?format=%00", field: "format", auth: true },
      ...["2147483648", "9007199254740993", "-1", "1e3", "abc", "0", "%00", "%E0%A4%A"].map((v) => ({
        path: `/v1/orders/live?orderId=${v}`,
        field: "orderId",
      })),
      ...["%00", "a%1Fb", "%20%20", overlong(100)].map((v) => ({ path: `/v1/orders/live?customerId=${v}`, field: "customerId" })),
    ];

    for (const c of STREAM_CASES) {
      it(`4xx ${c.path.slice(0, 80)}`, () =>
        expectRefused(async () => {
          const res = await fetch(`${node.url}${c.path}`, { headers: c.auth ? { cookie } : {} });
          const text = await res.text();
          return { status: res.status, json: text ? JSON.parse(text) : null };
        }, c.field));
    }

    const WS_LOCATIONS: { label: string; message: Record<string, unknown>; names: string }[] = [
      ...[2147483648, 2 ** 53 + 2, 1e300, -1, 0, 1.5, "1", null].map((orderId) => ({
        label: `orderId ${JSON.stringify(orderId)}`,
        message: { orderId, lat: 1, lng: 1 },
        names: "orderId",
      })),
      { label: "lat 91", message: { lat: 91, lng: 0 }, names: "lat" },
      { label: "lat -1e9", message: { lat: -1e9, lng: 0 }, names: "lat" },
      { label: "lng 181", message: { lat: 0, lng: 181 }, names: "lng" },
      { label: 'lat "north"', message: { lat: "north", lng: 0 }, names: "lat" },
    ];

    it(`/ws location: ${WS_LOCATIONS.length} bad messages each answered with an error naming the field, nothing written`, async () => {
      const before = await snapshot();
      const ws = new WebSocket(`${node.url.replace("http", "ws")}/ws`, { headers: { cookie } });
      const messages: Record<string, any>[] = [];
      ws.on("message", (data) => messages.push(JSON.parse(data.toString())));
      await new Promise<void>((resolve, reject) => {
        ws.once("open", () => resolve());
        ws.once("error", reject);
      });
      for (const c of WS_LOCATIONS) ws.send(JSON.stringify({ type: "location", orderId: ctx.orderId, ...c.message }));
      const deadline = Date.now() + 5_000;
      while (messages.filter((m) => m.type === "error" || m.type === "location-recorded").length < WS_LOCATIONS.length) {
        if (Date.now() > deadline) throw new Error(`timed out; got ${JSON.stringify(messages)}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      const answers = messages.filter((m) => m.type === "error" || m.type === "location-recorded");
      WS_LOCATIONS.forEach((c, i) => {
        expect(answers[i]!.type, c.label).toBe("error");
        expect(String(answers[i]!.message), c.label).toMatch(
          c.names === "lat" && c.message.lat === "north" ? /numeric/ : new RegExp(c.names),
        );
      });
      expect(ws.readyState).toBe(WebSocket.OPEN);
      ws.close();
      expect(await snapshot()).toEqual(before);
    });
  });
});
