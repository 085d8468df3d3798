import type { ColumnType, Generated } from "kysely";

/**
 * Table types of the one schema shared by SQLite and PostgreSQL.
 * Money is integer minor units, timestamps ISO-8601 text set by the app, booleans 0/1,
 * lists JSON text: the portable subset both dialects read and write identically.
 */
/** The two databases Pass runs on; dialect quirks are handled in lib/db only. */
export type Dialect = "sqlite" | "postgres";

export type Database = {
  partners: PartnersTable;
  users: UsersTable;
  sessions: SessionsTable;
  deviceTokens: DeviceTokensTable;
  stations: StationsTable;
  categories: CategoriesTable;
  foods: FoodsTable;
  modifierGroups: ModifierGroupsTable;
  modifierOptions: ModifierOptionsTable;
  foodModifierGroups: FoodModifierGroupsTable;
  orders: OrdersTable;
  payments: PaymentsTable;
  orderItems: OrderItemsTable;
  lineParts: LinePartsTable;
  dayCounters: DayCountersTable;
  events: EventsTable;
  logMeta: LogMetaTable;
  eventStreams: EventStreamsTable;
  eventRetention: EventRetentionTable;
  screens: ScreensTable;
  screenDisconnects: ScreenDisconnectsTable;
  loginLockouts: LoginLockoutsTable;
  printers: PrintersTable;
  printJobs: PrintJobsTable;
  printCursor: PrintCursorTable;
  pairings: PairingsTable;
  carts: CartsTable;
  cartMembers: CartMembersTable;
  jobs: JobsTable;
  webhooks: WebhooksTable;
  notificationSubscriptions: NotificationSubscriptionsTable;
  outbox: OutboxTable;
  webhookDeliveries: WebhookDeliveriesTable;
  customers: CustomersTable;
  orderHistory: OrderHistoryTable;
  couriers: CouriersTable;
  zReports: ZReportsTable;
  reportDays: ReportDaysTable;
};

export type PartnersTable = {
  id: string;
  slug: string;
  name: string;
  imageUrl: string | null;
  timezone: string;
  cutoverHour: number;
  autoCancelMinutes: number | null;
  autoConfirmSources: string; // JSON string[]
  createdAt: string;
  /** Orders become READY only when expo bumps them, after every station is done. */
  expoConfirms: Generated<number>;
  warnPercent: Generated<number>;
  latePercent: Generated<number>;
  /** ISO 4217 code; every amount is formatted with it and `locale` (migration 0011). */
  currency: Generated<string>;
  /** BCP 47 tag, e.g. "fr-FR": number formats and the screens' message catalogue. */
  locale: Generated<string>;
  defaultPaymentMethod: Generated<string>;
  /** Seconds before an order from an auto-confirm source is confirmed; null = at once. */
  autoConfirmSeconds: number | null;
  /** Overrides KITCHEN_ACK_SECONDS for this restaurant; null = the process default. */
  kitchenAckSeconds: number | null;
  /** Table names (JSON string[], migration 0013): the back office's printable QR sheet. */
  tables: Generated<string>;
  /** One line, printed under the name on invoices (migration 0021); null: none. */
  address: string | null;
  /** The restaurant's tax (VAT) number on invoices; null: none. */
  taxId: string | null;
  /** JSON [{ name, percent }]: the taxes its prices include, shown on invoices; "[]": none. */
  taxRates: Generated<string>;
  /** Migration 0019: where the restaurant is (rider:auto_assign's nearest courier); null = unknown. */
  latitude: Generated<number | null>;
  longitude: Generated<number | null>;
};

export type Role = "admin" | "operator" | "kitchen";

export type UsersTable = {
  id: string;
  partnerId: string | null;
  role: Role;
  username: string;
  passwordHash: string;
  createdAt: string;
  disabledAt: string | null;
};

export type SessionsTable = {
  id: string; // keyed hash of the cookie value; the value itself is never stored
  userId: string;
  createdAt: string;
  expiresAt: string;
};

export type DeviceTokensTable = {
  id: string;
  partnerId: string;
  role: string;
  name: string;
  channels: string; // JSON string[]
  /** "named" | "message": see migration 0006. */
  streamFormat: Generated<string>;
  tokenHash: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
};

export type FoodsTable = {
  id: string;
  partnerId: string;
  name: string;
  price: number;
  surcharge: number;
  category: string;
  station: string;
  available: number;
  position: number;
  updatedAt: string;
  /** Migration 0008 (SPEC §2b): `category` keeps the category's name for the seeds shapes. */
  categoryId: string | null;
  description: string | null;
  imageUrl: string | null;
  prepMinutes: number | null;
  allergens: Generated<string>; // JSON AllergenCode[]
  archived: Generated<number>;
  /** 86'd "until the end of the business day": when it comes back by itself. */
  availableAgainAt: string | null;
};

export type StationsTable = {
  id: string;
  partnerId: string;
  /** What foods, options and kitchen screens name (`/kitchen?station=grill`). */
  key: string;
  name: string;
  position: number;
  prepMinutes: number | null;
  createdAt: string;
};

export type CategoriesTable = {
  id: string;
  partnerId: string;
  name: string;
  position: number;
  archived: Generated<number>;
  updatedAt: string;
};

export type ModifierGroupsTable = {
  id: string;
  partnerId: string;
  name: string;
  minChoices: number;
  maxChoices: number;
  position: number;
  archived: Generated<number>;
  updatedAt: string;
};

export type ModifierOptionsTable = {
  id: string;
  groupId: string;
  partnerId: string;
  name: string;
  /** Minor units, may be negative ("no cheese −0.50"). */
  priceDelta: number;
  allergens: Generated<string>; // JSON AllergenCode[]
  station: string | null;
  available: Generated<number>;
  availableAgainAt: string | null;
  position: number;
  archived: Generated<number>;
  updatedAt: string;
};

export type FoodModifierGroupsTable = {
  foodId: string;
  groupId: string;
  position: number;
};

export type OrdersTable = {
  id: Generated<number>;
  partnerId: string;
  businessDay: string;
  dayOrdinal: number;
  displayCode: string;
  ticketNumber: number | null;
  table: string | null;
  customer: string | null;
  source: string;
  priority: string;
  status: string;
  paymentMethod: string | null;
  subTotal: number;
  discount: number;
  surcharge: number;
  total: number;
  createdAt: string;
  confirmedAt: string | null;
  statusChangedAt: string;
  userId: string | null;
  cashRegisterId: string | null;
  courierName: string | null;
  cancelReason: string | null;
  trackingTokenHash: string | null;
  kitchenAckAt: Generated<string | null>;
  kitchenAlertAt: Generated<string | null>;
  courierLocation: Generated<string | null>; // JSON {lat, lng, at}
  serviceType: Generated<string>;
  promisedAt: Generated<string | null>;
  allergies: Generated<string | null>; // JSON {codes, note}
  /** 1 when the kitchen must acknowledge an allergy before bumping (lib/menu/allergens.ts needsAllergyAck). */
  allergyAlert: Generated<number>;
  allergyAckAt: Generated<string | null>;
  allergyAckBy: Generated<string | null>;
  /** Migration 0009: a scheduled order's held lines fire then. */
  fireAt: Generated<string | null>;
  /** The partner's "expo confirms" setting when the order was placed. */
  expoConfirms: Generated<number>;
  expoBumpedAt: Generated<string | null>;
  /** The partner's colour thresholds when the order was placed (% of each part's target). */
  warnPercent: Generated<number>;
  latePercent: Generated<number>;
  /** Migration 0018: the guest who gave a phone or an email (lib/orders/customers.ts). */
  customerId: Generated<number | null>;
  /** Migration 0019: the courier row carrying it (lib/orders/couriers.ts), and "manual" or "job". */
  courierId: Generated<string | null>;
  courierAssignedBy: Generated<string | null>;
};

/** Migration 0014: how an order was paid, one row per payment (a split bill has several). */
export type PaymentsTable = {
  orderId: number;
  position: number;
  method: string;
  /** Minor units; the payments of an order sum to its total. */
  amount: number;
  /** Cash handed over (minor units) and the change given back; null for card and other. */
  tendered: number | null;
  change: number | null;
  createdAt: string;
};

export type LinePartsTable = {
  id: string;
  orderId: number;
  orderItemId: string;
  station: string;
  course: number;
  position: number;
  state: string; // PartState
  firedAt: string | null;
  startedAt: string | null;
  startedBy: string | null;
  doneAt: string | null;
  doneBy: string | null;
  targetMinutes: Generated<number>;
  /** Migration 0020: times a station recalled this part after bumping it (reports' speed of service). */
  recalls: Generated<number>;
};

export type OrderItemsTable = {
  id: string;
  orderId: number;
  position: number;
  foodId: string;
  name: string;
  station: string;
  quantity: number;
  unitPrice: number;
  unitSurcharge: number;
  total: number;
  notes: string | null;
  modifiers: Generated<string>; // JSON LineModifier[]
  allergens: Generated<string>; // JSON AllergenCode[]
  course: Generated<number>;
  /** Migration 0016: the cart member (phone) who added the line; null for an order placed whole. */
  addedBy: Generated<string | null>;
  /** Bumped by every change to the line while it is in a cart. */
  version: Generated<number>;
};

export type DayCountersTable = {
  partnerId: string;
  businessDay: string;
  kind: "display" | "ticket";
  value: number;
};

export type EventsTable = {
  /**
   * The event's position in the log (Last-Event-ID): dense, in commit order. NULL on PostgreSQL
   * between the writer's commit and the sequencer step that stamps it (lib/events/log.ts);
   * every reader filters on it, so an unstamped event is not yet in the log for anyone.
   */
  id: ColumnType<number, number | undefined, number>;
  /** The write key: taken at append, unique, never changes (the outbox refers to it). */
  seq: Generated<number>;
  partnerId: string;
  type: string;
  orderId: number | null;
  payload: string; // JSON
  /** Shape of `payload`; rows from before versioning are 1 (lib/orders/events.ts upgrades them). */
  payloadVersion: Generated<number>;
  createdAt: string;
};

/** One row per partner that appended: a writer holds its partner's row from the append to its commit. */
export type EventStreamsTable = {
  partnerId: string;
  appended: number;
};

export type LogMetaTable = {
  id: number;
  lastEventId: number;
  epoch: string;
};

export type EventRetentionTable = {
  partnerId: string;
  prunedThrough: number;
};

export type ScreensTable = {
  id: string;
  partnerId: string | null;
  name: string;
  who: string;
  lastSeenAt: string;
  lastEventId: number | null;
  soundUnlocked: number;
  awake: number;
  /** The device this tab belongs to (lib/orders/presence.ts deviceKeyOf); null on rows written before 0022. */
  deviceKey: string | null;
  /** The device token the tab reports as, for its current name. */
  tokenId: string | null;
  /** 1 while the page is visible: a hidden tab's heartbeats are throttled, so it has longer. */
  visible: Generated<number>;
  /** When the tab closed (its pagehide beacon); null while open. */
  closedAt: string | null;
  /** The page load that sent the close: its late heartbeats do not reopen the tab. */
  closedPage: string | null;
};

/** A device that went offline and came back (migration 0022_presence). */
export type ScreenDisconnectsTable = {
  /** `${deviceKey}@${wentAt}`: the same gap noticed twice is one row. */
  id: string;
  partnerId: string | null;
  deviceKey: string;
  tokenId: string | null;
  who: string;
  screen: string;
  wentAt: string;
  backAt: string;
  /** "closed" (its last tab said so) | "lost" (its heartbeats stopped). */
  reason: string;
};

/** A sign-in lockout (migration 0010): one row per locked account or address. */
export type LoginLockoutsTable = {
  /** "account" (subject: the username, lower case) or "address" (subject: the client address). */
  kind: string;
  subject: string;
  /** The account's partner; null for an admin, an unknown username, or an address. */
  partnerId: string | null;
  /** 0: no user has that name. */
  knownUser: number;
  /** The account tried (for an address: the last one). */
  username: string;
  /** Where the failures came from (for an account: the last one). */
  address: string;
  failures: number;
  lockedAt: string;
  lockedUntil: string;
};

/** A network ESC/POS printer (migration 0012, lib/printing). */
export type PrintersTable = {
  id: string;
  partnerId: string;
  name: string;
  host: string;
  port: number;
  /** 58 or 80 (mm). */
  paperWidth: number;
  stations: string; // JSON string[] of station keys
  receipt: number;
  /** "auto" (chosen for the restaurant's language) or a code page name ("cp858"). */
  codePage: string;
  buzzer: number;
  backupPrinterId: string | null;
  enabled: number;
  paused: number;
  /** The last real status: unknown, ready, paper-near-end, paper-out, cover-open, offline, refused, timeout, error. */
  status: string;
  statusDetail: string | null;
  statusAt: string | null;
  leaseOwner: string | null;
  leaseUntil: string | null;
  createdAt: string;
  updatedAt: string;
};

export type PrintJobsTable = {
  id: string;
  partnerId: string;
  printerId: string;
  /** `${eventId}:kitchen:${station}`, `${eventId}:receipt`, `test:…`, `reprint:…`; unique per printer. */
  jobKey: string;
  eventId: number;
  orderId: number | null;
  kind: string;
  station: string | null;
  document: string; // JSON: what to print (lib/printing/jobs.ts PrintDocument)
  /** queued, printing, printed, moved (to the backup), cancelled. */
  state: string;
  attempts: number;
  queuedAt: string;
  nextAttemptAt: string;
  lastError: string | null;
  leaseOwner: string | null;
  leaseUntil: string | null;
  sentAt: string | null;
  printedAt: string | null;
  /** Printed on a backup: the name of the printer it was meant for. */
  backupFrom: string | null;
  movedTo: string | null;
  late: number;
};

export type PrintCursorTable = {
  id: number;
  throughEventId: number;
};

/** A screen being paired by code (migration 0013, lib/auth/pairing.ts). */
export type PairingsTable = {
  id: string;
  /** Keyed hash of the code shown on the screen. */
  codeHash: string;
  /** Keyed hash of the secret in the screen's pairing cookie: only that browser receives the token. */
  secretHash: string;
  partnerId: string | null;
  createdAt: string;
  expiresAt: string;
  claimedAt: string | null;
  /** Who claimed it (username). */
  claimedBy: string | null;
  role: string | null;
  station: string | null;
  name: string | null;
  /** The device token the screen received. */
  tokenId: string | null;
  deliveredAt: string | null;
};

/** A table's shared cart (migration 0016, lib/orders/carts.ts); its order row has status CREATED while open. */
export type CartsTable = {
  orderId: number;
  partnerId: string;
  table: string;
  /** The table while OPEN, null after: one open cart per table (unique with partnerId). */
  openTable: string | null;
  state: string; // "OPEN" | "SUBMITTED" | "EXPIRED"
  /** Bumped by every change: phones keep the cart with the highest version. */
  version: Generated<number>;
  /** Phones that joined so far ("Guest 3" is the third). */
  guests: Generated<number>;
  openedAt: string;
  touchedAt: string;
  submittedAt: string | null;
  expiredAt: string | null;
};

export type CartMembersTable = {
  id: string;
  orderId: number;
  tokenHash: string;
  name: string;
  number: number;
  joinedAt: string;
};

/** The embedded job queue (migration 0017, SQLite only; PostgreSQL uses graphile-worker's schema). */
export type JobsTable = {
  id: Generated<number>;
  task: string;
  payload: string; // JSON
  runAt: string;
  attempts: Generated<number>;
  maxAttempts: number;
  lastError: string | null;
  lockedBy: string | null;
  lockedAt: string | null;
  jobKey: string | null;
  /** Set when the last attempt failed: the job stays, in the failed list. */
  failedAt: string | null;
  createdAt: string;
  updatedAt: string;
};

export type WebhooksTable = {
  id: string;
  partnerId: string;
  url: string;
  /** AES-256-GCM with a key derived from SESSION_SECRET (lib/notifications/webhooks.ts). */
  secretSealed: string;
  events: string; // JSON string[]
  createdAt: string;
  removedAt: string | null;
};

export type NotificationSubscriptionsTable = {
  id: string;
  orderId: number;
  channel: string;
  target: string;
  detail: string; // JSON
  createdAt: string;
};

export type OutboxTable = {
  id: string;
  partnerId: string;
  eventId: number;
  orderId: number | null;
  channel: string;
  recipient: string;
  body: string; // JSON
  status: string; // pending | sent | failed
  attempts: Generated<number>;
  claimedBy: string | null;
  claimedAt: string | null;
  lastError: string | null;
  sentAt: string | null;
  createdAt: string;
};

export type WebhookDeliveriesTable = {
  id: string;
  webhookId: string;
  outboxId: string;
  eventType: string;
  attempt: number;
  httpStatus: number | null;
  error: string | null;
  durationMs: number;
  at: string;
};

/** Migration 0018: a partner's guest, created or matched at order time (lib/orders/customers.ts). */
export type CustomersTable = {
  id: Generated<number>;
  partnerId: string;
  name: string | null;
  /** E.164. */
  phone: string | null;
  /** Lower-cased. */
  email: string | null;
  marketingConsent: Generated<number>;
  createdAt: string;
  updatedAt: string;
};

/** The audit trail (migration 0021, lib/events/history.ts): each order event and who caused it. */
export type OrderHistoryTable = {
  id: Generated<number>;
  orderId: number;
  partnerId: string;
  eventId: number;
  type: string;
  /** user | device | guest | system */
  actorKind: string;
  actorId: string | null;
  actorName: string | null;
  /** JSON, or null when there is nothing beside the snapshot (or it was too long to keep). */
  detail: string | null;
  createdAt: string;
};

/** Migration 0019: a partner's courier (lib/orders/couriers.ts). */
export type CouriersTable = {
  id: string;
  partnerId: string;
  name: string;
  /** E.164. */
  phone: string;
  active: Generated<number>;
  available: Generated<number>;
  lastLat: number | null;
  lastLng: number | null;
  lastLocationAt: string | null;
  lastAssignedAt: string | null;
  /** The device token (role "courier") their phone signs in with; null until one is issued. */
  tokenId: string | null;
  createdAt: string;
  updatedAt: string;
};

/** Migration 0020: the end-of-day report of one partner's business day, written once (lib/reports/z-report.ts). */
export type ZReportsTable = {
  partnerId: string;
  businessDay: string;
  figures: string; // JSON ReportFigures
  pdf: string; // base64
  createdAt: string;
  createdBy: string;
};

/** Migration 0020: an ended business day's report groups, reused while its orders are unchanged (lib/reports/figures.ts). */
export type ReportDaysTable = {
  partnerId: string;
  businessDay: string;
  stamp: string;
  groups: string; // JSON DayGroups
  /** JSON {sums, daySums?}: the groups' sums alone (the week-before comparison reads only these). */
  sums: string;
  computedAt: string;
};
