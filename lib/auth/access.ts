import { type ErrorDetails, ForbiddenError, NotFoundError } from "../errors";
import type { Actor } from "../events/history";

/**
 * Who is asking, and what they may do: the one place for role, action, channel and partner checks.
 */
export type UserRole = "admin" | "operator" | "kitchen";
/** "courier": a courier's phone (lib/orders/couriers.ts), issued from the couriers back office, never paired or listed as a device role. */
export type TokenRole = "operator" | "kitchen" | "printer" | "display" | "integration" | "courier";

export type Principal =
  | { kind: "user"; userId: string; username: string; role: UserRole; partnerId: string | null }
  | {
      kind: "token";
      tokenId: string;
      name: string;
      role: TokenRole;
      partnerId: string;
      channels: readonly string[];
      /** How this device's streams frame data events (`?format=` overrides). */
      streamFormat?: StreamFormat;
    };

/** "named": `event: new-order`; "message": unnamed `data:` frames, for `EventSource.onmessage` clients. */
export const STREAM_FORMATS = ["named", "message"] as const;
export type StreamFormat = (typeof STREAM_FORMATS)[number];

export const CHANNELS = ["cashier", "display", "printer", "kitchen", "partner"] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * Channels anyone may read, signed in or not, one partner at a time: `menu` (the guests' live
 * menu) carries only what the public GET /api/menu shows. Opens are limited per client address
 * (`streams:anonymous`, lib/limits.ts).
 */
export const PUBLIC_CHANNELS = ["menu"] as const;
export type PublicChannel = (typeof PUBLIC_CHANNELS)[number];

export type Action =
  | "orders:read"
  | "orders:create"
  | "orders:confirm"
  | "orders:status"
  | "orders:reprint"
  | "orders:cancel"
  /** Report where a delivery's courier is (docs/contracts.md#seeds-004): staff and integrations, not screens. */
  | "orders:location"
  | "foods:write"
  /** Build the menu: stations, categories, foods, modifier groups (back office). */
  | "menu:write"
  /** Mark a dish or an option sold out and back ("86"): every staff screen, the kitchen included. */
  | "menu:86"
  /** Tap "allergy seen" on a ticket before it can be bumped. */
  | "orders:allergy-ack"
  /** The dashboard's notice of locked sign-ins (lib/auth/lockouts.ts scopes what each one sees). */
  | "lockouts:read"
  /** Network printers: add, change, remove (back office). */
  | "printers:write"
  /** See the printers, their live status and their jobs (the cashier's banner, the print console). */
  | "printers:read"
  /** Run the print console: reprint a job, print a test page, pause a printer. */
  | "printers:operate"
  /** Start and stop the demo service (lib/demo): invented orders, so admins only. */
  | "demo:run"
  /** The restaurant's profile in the back office (PATCH /api/partners/{slug}). */
  | "partner:write"
  /**
   * The partner's users (add, reset a password, change a role, disable). An operator manages
   * their own partner's operators and kitchen users only; admins are made by admins (lib/auth/users-admin.ts).
   */
  | "users:manage"
  /** Device tokens and pairing a screen by code (lib/auth/devices.ts, lib/auth/pairing.ts). */
  | "devices:manage"
  /** A partner's webhooks: add, list, remove, read the delivery log (they carry its events out). */
  | "webhooks:manage"
  /** The failed background jobs (GET /api/jobs/failed). */
  | "jobs:read"
  /** The partner's couriers: add, change, sign a phone in (lib/orders/couriers.ts). */
  | "couriers:manage"
  /** A courier's own deliveries: list them, mark them picked up / delivered, be available or not. */
  | "courier:deliver"
  /** Reports and the end-of-day Z reports (lib/reports): the owner's, a person's never a device's. */
  | "reports:read";

/** Everything staff at the counter may do: admins (every partner) and operators (their own). */
const STAFF_ACTIONS: readonly Action[] = [
  "orders:read",
  "orders:create",
  "orders:confirm",
  "orders:status",
  "orders:reprint",
  "orders:cancel",
  "orders:location",
  "foods:write",
  "menu:write",
  "menu:86",
  "orders:allergy-ack",
  "lockouts:read",
  "printers:write",
  "printers:read",
  "printers:operate",
  "partner:write",
  "users:manage",
  "devices:manage",
  "couriers:manage",
  "reports:read",
];

const ACTIONS: Record<UserRole | TokenRole, readonly Action[]> = {
  // Integrations, the failed jobs and the demo service are the admin's: an operator runs the counter.
  admin: [...STAFF_ACTIONS, "demo:run", "webhooks:manage", "jobs:read"],
  operator: STAFF_ACTIONS,
  kitchen: ["orders:read", "orders:status", "menu:86", "orders:allergy-ack", "printers:read"],
  /** The print station's device: its console, never orders or the menu. */
  printer: ["printers:read", "printers:operate"],
  display: [],
  integration: ["orders:create", "orders:read", "orders:location"],
  /** Only the deliveries assigned to them (lib/orders/couriers.ts checks the order's courier). */
  courier: ["courier:deliver", "orders:location"],
};

/** Channels a user role reads; a token reads the channels it was given (defaulting per role). */
const USER_CHANNELS: Record<UserRole, readonly Channel[]> = {
  admin: CHANNELS,
  operator: CHANNELS,
  kitchen: ["kitchen", "display"],
};

export const DEFAULT_TOKEN_CHANNELS: Record<TokenRole, readonly Channel[]> = {
  operator: ["cashier", "display", "printer", "kitchen", "partner"],
  kitchen: ["kitchen", "display"],
  printer: ["printer"],
  display: ["display"],
  integration: ["partner"],
  courier: [],
};

/** The kitchen moves tickets along; it does not cancel or deliver. */
const KITCHEN_STATUSES = new Set(["PREPARING", "READY", "PICKED_UP"]);

/**
 * The back office's own actions are people's, never a device's: an operator token (a cashier
 * tablet) confirms orders like an operator but does not make users, tokens or change the profile.
 */
const USER_ONLY_ACTIONS: ReadonlySet<Action> = new Set([
  "partner:write",
  "users:manage",
  "devices:manage",
  "couriers:manage",
  "reports:read",
]);

export function can(principal: Principal, action: Action): boolean {
  if (principal.kind === "token" && USER_ONLY_ACTIONS.has(action)) return false;
  return ACTIONS[principal.role].includes(action);
}

export function assertCan(principal: Principal, action: Action): void {
  if (!can(principal, action)) throw new ForbiddenError(`${describe(principal)} may not ${action.replace(":", " ")}`);
}

export function canSetStatus(principal: Principal, status: string): boolean {
  if (!can(principal, "orders:status")) return false;
  if (principal.role === "kitchen") return KITCHEN_STATUSES.has(status);
  return true;
}

export function channelsOf(principal: Principal): readonly string[] {
  return principal.kind === "token" ? principal.channels : USER_CHANNELS[principal.role];
}

/** null = anonymous (a guest's phone, a kiosk): public channels only. */
export function canReadChannel(principal: Principal | null, channel: string): boolean {
  if ((PUBLIC_CHANNELS as readonly string[]).includes(channel)) return true;
  return principal !== null && channelsOf(principal).includes(channel);
}

/**
 * /ws topics (docs/contracts.md#seeds-001), in the same table as actions and channels: what a
 * topic carries decides who may subscribe. Payments and customers are the cashier's (as on the
 * SSE cashier channel); orders, shipments and the menu are for whoever may read orders.
 */
export const WS_TOPIC_ACCESS: Record<string, (principal: Principal) => boolean> = {
  order_changes: (p) => can(p, "orders:read"),
  shipment_changes: (p) => can(p, "orders:read"),
  product_changes: (p) => can(p, "orders:read"),
  transaction_changes: (p) => canReadChannel(p, "cashier"),
  customer_changes: (p) => canReadChannel(p, "cashier"),
};

export function canSubscribeTopic(principal: Principal, topic: string): boolean {
  return WS_TOPIC_ACCESS[topic]?.(principal) ?? false;
}

/** null = every partner (admin). */
export function partnerScope(principal: Principal): string | null {
  return principal.kind === "user" && principal.role === "admin" ? null : principal.partnerId;
}

/** Another partner's row is reported as missing (with the same details as a missing one), never as forbidden. */
export function assertPartnerVisible(principal: Principal, partnerId: string, what: string, details?: ErrorDetails): void {
  const scope = partnerScope(principal);
  if (scope !== null && scope !== partnerId) throw new NotFoundError(what, details);
}

function describe(principal: Principal): string {
  return principal.kind === "user" ? `role ${principal.role}` : `a ${principal.role} token`;
}

/**
 * Who a request's principal is in the order's history (lib/events/history.ts): a user by id and
 * username, a device token or paired screen by id and name; no principal is a guest.
 */
export function actorOf(principal: Principal | null): Actor {
  if (!principal) return { kind: "guest", id: null, name: null };
  return principal.kind === "user"
    ? { kind: "user", id: principal.userId, name: principal.username }
    : { kind: "device", id: principal.tokenId, name: principal.name };
}
