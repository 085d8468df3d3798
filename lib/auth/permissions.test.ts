/**
 * The whole permission table, walked for every user role and token kind: actions (REST and the
 * WS location report), SSE channels and /ws topics. One expected matrix here; a change to
 * lib/auth/access.ts that is not also made here fails.
 */
import { describe, expect, it } from "vitest";
import { WS_TOPICS } from "../projections";
import {
  CHANNELS,
  DEFAULT_TOKEN_CHANNELS,
  PUBLIC_CHANNELS,
  WS_TOPIC_ACCESS,
  can,
  canReadChannel,
  canSubscribeTopic,
  type Action,
  type Principal,
} from "./access";

const ACTIONS: Action[] = [
  "orders:read",
  "orders:create",
  "orders:confirm",
  "orders:status",
  "orders:reprint",
  "orders:cancel",
  "orders:location",
  "foods:write",
  "lockouts:read",
  "printers:write",
  "printers:read",
  "printers:operate",
  "partner:write",
  "users:manage",
  "devices:manage",
];

const user = (role: "admin" | "operator" | "kitchen"): Principal => ({
  kind: "user",
  userId: "u",
  username: role,
  role,
  partnerId: role === "admin" ? null : "p",
});
const token = (role: "operator" | "kitchen" | "printer" | "display" | "integration"): Principal => ({
  kind: "token",
  tokenId: "t",
  name: role,
  role,
  partnerId: "p",
  channels: DEFAULT_TOKEN_CHANNELS[role],
});

type Row = { who: string; principal: Principal; actions: Action[]; channels: string[]; topics: string[] };
const ALL_ORDER_ACTIONS = ACTIONS;
/** The back office's actions are people's: a device token never has them. */
const DEVICE_STAFF_ACTIONS = ACTIONS.filter((a) => !["partner:write", "users:manage", "devices:manage"].includes(a));
const STAFF_TOPICS = ["order_changes", "product_changes", "customer_changes", "shipment_changes", "transaction_changes"];
const READ_TOPICS = ["order_changes", "product_changes", "shipment_changes"];

const TABLE: Row[] = [
  { who: "admin user", principal: user("admin"), actions: ALL_ORDER_ACTIONS, channels: [...CHANNELS], topics: STAFF_TOPICS },
  { who: "operator user", principal: user("operator"), actions: ALL_ORDER_ACTIONS, channels: [...CHANNELS], topics: STAFF_TOPICS },
  {
    who: "kitchen user",
    principal: user("kitchen"),
    actions: ["orders:read", "orders:status", "printers:read"],
    channels: ["kitchen", "display"],
    topics: READ_TOPICS,
  },
  // An operator token acts as an operator (its role), with every channel by default.
  { who: "operator token", principal: token("operator"), actions: DEVICE_STAFF_ACTIONS, channels: [...CHANNELS], topics: STAFF_TOPICS },
  {
    who: "kitchen token",
    principal: token("kitchen"),
    actions: ["orders:read", "orders:status", "printers:read"],
    channels: ["kitchen", "display"],
    topics: READ_TOPICS,
  },
  { who: "printer token", principal: token("printer"), actions: ["printers:read", "printers:operate"], channels: ["printer"], topics: [] },
  { who: "display token", principal: token("display"), actions: [], channels: ["display"], topics: [] },
  {
    who: "integration token",
    principal: token("integration"),
    actions: ["orders:create", "orders:read", "orders:location"],
    channels: ["partner"],
    topics: READ_TOPICS,
  },
];

/** Every channel a stream may name: the staff channels and the public ones (the guests' menu). */
const ALL_CHANNELS = [...CHANNELS, ...PUBLIC_CHANNELS];

describe("the permission table", () => {
  it("covers every /ws topic", () => {
    expect(Object.keys(WS_TOPIC_ACCESS).sort()).toEqual([...WS_TOPICS].sort());
  });

  describe.each(TABLE)("$who", ({ principal, actions, channels, topics }) => {
    it.each(ACTIONS)("action %s", (action) => {
      expect(can(principal, action)).toBe(actions.includes(action));
    });
    it.each(ALL_CHANNELS)("SSE channel %s", (channel) => {
      // The public menu is everyone's; the rest as the row says.
      expect(canReadChannel(principal, channel)).toBe(channel === "menu" || channels.includes(channel));
    });
    it.each([...WS_TOPICS])("/ws topic %s", (topic) => {
      expect(canSubscribeTopic(principal, topic)).toBe(topics.includes(topic));
    });
  });

  describe("anonymous (a guest's phone, a kiosk)", () => {
    it("public channels are exactly the menu", () => {
      expect([...PUBLIC_CHANNELS]).toEqual(["menu"]);
    });
    it.each(ALL_CHANNELS)("SSE channel %s", (channel) => {
      expect(canReadChannel(null, channel)).toBe(channel === "menu");
    });
    it("an unknown channel is nobody's", () => {
      expect(canReadChannel(null, "menus")).toBe(false);
      expect(canReadChannel(user("admin"), "menus")).toBe(false);
    });
  });
});
